"""Counts, per corpus and class, the manifest rows a training run had no features for (e.g. no face found), from the
run's report (`report.json`, `rowsWithoutFeaturesById`) and its manifest.

    python3 bench/feature_cache_misses.py MANIFEST.csv REPORT_FOLDER/report.json

Read from the report, not from the feature cache: the cache's keys follow the extractor's recipe (since b16d010 they
include the decoder's frame sampling), and a script that recomputed them found none after that change and printed
nothing.
"""
import csv
import json
import sys
from collections import Counter

manifest, report = sys.argv[1], sys.argv[2]
with open(report) as f:
    missing_by_id = json.load(f).get('rowsWithoutFeaturesById') or {}
seen, missing, reasons = Counter(), Counter(), Counter()
with open(manifest, newline='') as f:
    for row in csv.DictReader(f):
        k = (row.get('group', ''), row['label'])
        seen[k] += 1
        if row['id'] in missing_by_id:
            missing[k] += 1
            reasons[missing_by_id[row['id']]] += 1
for corpus in sorted({c for c, _ in seen}):
    s = sum(v for (c, _), v in seen.items() if c == corpus)
    m = sum(v for (c, _), v in missing.items() if c == corpus)
    per = ', '.join(f'{l} {missing[(c, l)]}/{seen[(c, l)]}' for (c, l) in sorted(seen) if c == corpus)
    print(f'{corpus}: {m} of {s} without features ({100 * m / s:.1f} %); {per}')
if sum(missing.values()) != len(missing_by_id):
    sys.exit(f'the report names {len(missing_by_id)} rows without features, the manifest holds '
             f'{sum(missing.values())} of them: not the report of this manifest')
for r, n in reasons.most_common(3):
    print(f'  {n} x {r}')

"""Counts, per corpus and class, the manifest rows whose cached encoder output is 'missing' (e.g. no face found),
reading the feature cache (format in dev.moodtag.train.FeatureCache) for image-only manifests (content hash =
sha256 of "file:image\\n" + the picture's bytes, as FeatureExtractor computes it).

    python3 bench/feature_cache_misses.py MANIFEST.csv target/feature-cache/<encoder>/<fingerprint>.bin
"""
import csv
import hashlib
import os
import sys
from collections import Counter

from feature_cache import entries


manifest, cache = sys.argv[1], sys.argv[2]
cached = {key: reason for key, (vector, reason) in entries(cache).items()}
base = os.path.dirname(os.path.abspath(manifest))
seen, missing, reasons = Counter(), Counter(), Counter()
with open(manifest, newline='') as f:
    for row in csv.DictReader(f):
        with open(os.path.join(base, row['image']), 'rb') as img:
            key = hashlib.sha256(b'file:image\n' + img.read()).hexdigest()
        if key not in cached:
            continue
        k = (row.get('group', ''), row['label'])
        seen[k] += 1
        if cached[key] is not None:
            missing[k] += 1
            reasons[cached[key]] += 1
for corpus in sorted({c for c, _ in seen}):
    s = sum(v for (c, _), v in seen.items() if c == corpus)
    m = sum(v for (c, _), v in missing.items() if c == corpus)
    per = ', '.join(f'{l} {missing[(c, l)]}/{seen[(c, l)]}' for (c, l) in sorted(seen) if c == corpus)
    print(f'{corpus}: {m} of {s} without a face ({100 * m / s:.1f} %); {per}')
for r, n in reasons.most_common(3):
    print(f'  {n} x {r}')

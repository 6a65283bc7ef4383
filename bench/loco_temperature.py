#!/usr/bin/env python3
"""Would one temperature make the published probabilities honest on a corpus never seen?

Reads the predictions-<subset>.csv of a leave-one-corpus-out run (`moodtag train --folds corpus --fusion late`),
fits a temperature T (probabilities p^(1/T), renormalised) on one held-out corpus's rows by log-loss, and scores it
on the other corpus's rows: with two corpora, the only test of a temperature fitted across corpora that does not
look at the rows it is scored on. The temperature fitted on the scored rows themselves is shown as an oracle bound.
Standard library only; a tool, not part of the product.

usage: bench/loco_temperature.py target/reports/loco-late/predictions-<subset>.csv
"""
import csv
import math
import sys

BINS = 15


def rows(path):
    with open(path, newline='') as f:
        reader = csv.DictReader(f)
        classes = [c[2:] for c in reader.fieldnames if c.startswith('p_')]
        by_fold = {}
        for r in reader:
            if r['p_' + classes[0]] == '':
                continue  # no probabilities served for this row
            p = [float(r['p_' + c]) for c in classes]
            by_fold.setdefault(r['fold'], []).append((p, classes.index(r['truth'])))
    return by_fold


def scaled(p, t):
    logs = [math.log(max(v, 1e-12)) / t for v in p]
    top = max(logs)
    e = [math.exp(v - top) for v in logs]
    s = sum(e)
    return [v / s for v in e]


def figures(data, t):
    nll = conf = right = 0.0
    bins = [[0, 0.0, 0] for _ in range(BINS)]
    for p, y in data:
        q = scaled(p, t)
        top = max(range(len(q)), key=q.__getitem__)
        b = min(BINS - 1, int(q[top] * BINS))
        bins[b][0] += 1
        bins[b][1] += q[top]
        bins[b][2] += top == y
        nll -= math.log(max(q[y], 1e-15))
        conf += q[top]
        right += top == y
    n = len(data)
    return {'ece': sum(abs(b[2] - b[1]) for b in bins) / n, 'logloss': nll / n, 'conf': conf / n, 'acc': right / n}


def fit(data):
    grid = [0.0125 * i for i in range(1, 801)]  # 0.0125 .. 10
    return min(grid, key=lambda t: figures(data, t)['logloss'])


def main(path):
    by_fold = rows(path)
    if len(by_fold) != 2:
        sys.exit(f'{path}: expected the two folds of a leave-one-corpus-out run, found {sorted(by_fold)}')
    print('| scored on | rows | temperature | T | mean top p | accuracy | ECE | log-loss |')
    print('|---|---|---|---|---|---|---|---|')
    for fold in sorted(by_fold):
        other = next(f for f in by_fold if f != fold)
        data = by_fold[fold]
        for name, t in (('as served', 1.0), (f'fitted on {other}', fit(by_fold[other])), ('fitted on these rows (oracle)', fit(data))):
            f = figures(data, t)
            print(f"| {fold} | {len(data)} | {name} | {t:.3f} | {f['conf']:.3f} | {f['acc']:.3f} | {f['ece']:.3f} | {f['logloss']:.3f} |")


if __name__ == '__main__':
    main(sys.argv[1])

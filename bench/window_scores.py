#!/usr/bin/env python3
"""Per-utterance figures from a window report (idea B of *Noise and reverberation copies, and windows* in
TRAINING.md): reads a `moodtag train` predictions-<subset>.csv whose test rows are windows (`CLIP~wK`) and whole
clips, and prints UA, WA and per-class recall for (1) each clip predicted by the mean probability of its windows
that have features (a clip with none takes what was served for its windows: the training majority class) and
(2) the whole clips as scored by the same model.

usage: bench/window_scores.py target/reports/DIR/predictions-SUBSET.csv
"""
import csv, sys
from collections import defaultdict


def figures(truth_pred, classes):
    n = len(truth_pred)
    recall = []
    for c in classes:
        rows = [p for t, p in truth_pred if t == c]
        recall.append(100.0 * sum(p == c for p in rows) / len(rows) if rows else float("nan"))
    wa = 100.0 * sum(t == p for t, p in truth_pred) / n
    ua = sum(recall) / len(recall)
    return f"n {n}, UA {ua:.1f}, WA {wa:.1f}, recall " + " / ".join(f"{r:.1f}" for r in recall) + \
        " (" + " / ".join(classes) + ")"


def main():
    rows = list(csv.DictReader(open(sys.argv[1])))
    classes = [k[2:] for k in rows[0] if k.startswith("p_")]
    windows, whole = defaultdict(list), []
    for r in rows:
        clip, sep, _ = r["id"].partition("~w")
        (windows[clip].append(r) if sep else whole.append(r))
    by_mean, majority_only = [], 0
    for clip, ws in sorted(windows.items()):
        scored = [[float(w["p_" + c]) for c in classes] for w in ws if w["p_" + classes[0]] != ""]
        if scored:
            mean = [sum(col) / len(scored) for col in zip(*scored)]
            pred = classes[max(range(len(classes)), key=mean.__getitem__)]
        else:
            pred, majority_only = ws[0]["predicted"], majority_only + 1
        by_mean.append((ws[0]["truth"], pred))
    windowed = sum(len(ws) for ws in windows.values())
    print(f"mean of window probabilities: {figures(by_mean, classes)}; {windowed} windows, "
          f"{majority_only} clip(s) with no window that has features")
    if whole:
        print(f"whole clips, same model:      {figures([(r['truth'], r['predicted']) for r in whole], classes)}")


if __name__ == "__main__":
    main()

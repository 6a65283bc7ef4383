#!/usr/bin/env python3
"""Scores `moodtag tag` timelines of speaker recordings (bench/recording-eval.sh) against the clips they were made
of: each segment takes the label of the clip it overlaps most; 4-class UA over all segments of all recordings, per
setting, and how many recordings the second pass standardised. Stdlib only.

usage: recording_eval.py RECORDINGS_DIR RESULTS_DIR [RESULTS_DIR ...]
"""
import csv, glob, json, os, sys

CANON = {"happiness": "happy", "sadness": "sad", "anger": "angry"}
CLASSES = ["neutral", "happy", "sad", "angry"]


def score(recordings, results):
    confusion = {t: {p: 0 for p in CLASSES} for t in CLASSES}
    unmatched = unlabelled = 0
    verdicts = {}
    for clips_csv in sorted(glob.glob(os.path.join(recordings, "*.clips.csv"))):
        name = os.path.basename(clips_csv)[: -len(".clips.csv")]
        clips = [(float(r["start"]), float(r["end"]), CANON.get(r["label"], r["label"]))
                 for r in csv.DictReader(open(clips_csv))]
        found = glob.glob(os.path.join(results, "**", name + ".wav.emotion.json"), recursive=True)
        if not found:
            raise SystemExit(f"no result for {name} in {results}")
        result = json.load(open(found[0]))
        timeline = result.get("timeline") or {}
        over = (timeline.get("speechStandardisation") or {}).get("over", "absent")
        verdicts[over] = verdicts.get(over, 0) + 1
        for s in timeline.get("segments", []):
            best, truth = 0.0, None
            for a, b, label in clips:
                o = min(b, s["end"]) - max(a, s["start"])
                if o > best:
                    best, truth = o, label
            if truth is None:
                unmatched += 1
                continue
            if not s.get("label"):
                unlabelled += 1
                continue
            confusion[truth][s["label"]] += 1
    recalls = {t: (confusion[t][t] / sum(confusion[t].values())) if sum(confusion[t].values()) else float("nan")
               for t in CLASSES}
    present = [r for r in recalls.values() if r == r]
    ua = 100 * sum(present) / len(present)
    n = sum(sum(r.values()) for r in confusion.values())
    wa = 100 * sum(confusion[t][t] for t in CLASSES) / n
    return ua, wa, n, recalls, verdicts, unmatched, unlabelled


def main():
    recordings, results = sys.argv[1], sys.argv[2:]
    print("| results | segments scored | UA % | WA % | recall n / h / s / a | recordings: timeline's speech read over | segments without a clip / without a label |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        ua, wa, n, rec, verdicts, unmatched, unlabelled = score(recordings, r)
        recall = " / ".join(f"{100 * rec[c]:.1f}" for c in CLASSES)
        v = ", ".join(f"{k} {c}" for k, c in sorted(verdicts.items()))
        print(f"| {os.path.basename(os.path.normpath(r))} | {n} | {ua:.1f} | {wa:.1f} | {recall} | {v} | {unmatched} / {unlabelled} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Scores `moodtag tag --speech-over-batch` results (bench/batch-speech-served.sh) against the corpus's labels: per
results folder (one batch, or sub-folders each tagged as one batch), 4-class UA, WA, recall and the confusion matrix of
the first pass (firstPassLabel where the second pass rewrote the clip, else label) and of the served label, pooled
over all clips, with the guard's verdict per batch. A clip with no label counts as a miss. Stdlib only.

usage: batch_speech_served.py SPEECH_POOLED_CSV RESULTS_DIR [RESULTS_DIR ...]
"""
import csv, glob, json, os, sys

CANON = {"happiness": "happy", "sadness": "sad", "anger": "angry"}
CLASSES = ["neutral", "happy", "sad", "angry"]
RESULT = ".emotion.json"


def truth_by_id(pooled):
    return {r["id"]: CANON.get(r["label"], r["label"]) for r in csv.DictReader(open(pooled))}


def read(folder, truth):
    """(true label, first-pass label, served label, batch folder, verdict) per result under folder."""
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*" + RESULT), recursive=True)):
        clip = os.path.basename(path)[: -len(RESULT)]
        result = json.load(open(path))
        standardisation = result.get("speechStandardisation") or {}
        # An error result (no speech heard) is no clip of the batch: it has no verdict, and no label to score
        verdict = None if result.get("status") == "error" else standardisation.get("over", "absent")
        if verdict == "utterance":
            verdict += ": " + (standardisation.get("reason") or "")
        elif verdict == "batch":
            verdict += f" (first pass {standardisation['firstPassDominant']} {standardisation['firstPassDominantShare']:.2f})"
        served = result.get("label")
        first = result.get("firstPassLabel", served)
        rows.append((truth[os.path.splitext(clip)[0]], first, served, os.path.dirname(path), verdict))
    if not rows:
        raise SystemExit(f"no {RESULT} under {folder}")
    return rows


def scores(pairs):
    confusion = {t: {p: 0 for p in CLASSES + [None]} for t in CLASSES}
    for t, p in pairs:
        confusion[t][p if p in CLASSES else None] += 1
    recall = {t: confusion[t][t] / sum(confusion[t].values()) for t in CLASSES if sum(confusion[t].values())}
    ua = 100 * sum(recall.values()) / len(recall)
    wa = 100 * sum(confusion[t][t] for t in CLASSES) / len(pairs)
    return ua, wa, recall, confusion


def recalls(recall):
    return " / ".join(f"{100 * recall[c]:.1f}" if c in recall else "-" for c in CLASSES)


def matrix(title, confusion):
    lines = [f"{title} (rows true, columns labelled; 'none': no label)", "",
             "| true \\ labelled | " + " | ".join(CLASSES) + " | none |", "|---" * (len(CLASSES) + 2) + "|"]
    for t in CLASSES:
        lines.append(f"| {t} | " + " | ".join(str(confusion[t][p]) for p in CLASSES + [None]) + " |")
    return "\n".join(lines)


def main():
    truth = truth_by_id(sys.argv[1])
    folders = sys.argv[2:]
    print("| results | clips | batches: verdict | per utterance (first pass) UA (WA) | recall n / h / s / a "
          "| served UA (WA) | recall n / h / s / a | labels changed | no label |")
    print("|---|---|---|---|---|---|---|---|---|")
    details = []
    for folder in folders:
        rows = read(folder, truth)
        verdicts, shares = {}, []
        for batch in sorted({r[3] for r in rows}):
            for v in {r[4] for r in rows if r[3] == batch} - {None}:
                verdicts[v.split(" (")[0]] = verdicts.get(v.split(" (")[0], 0) + 1
                shares.append(v)
        ua1, wa1, rec1, conf1 = scores([(r[0], r[1]) for r in rows])
        ua2, wa2, rec2, conf2 = scores([(r[0], r[2]) for r in rows])
        changed = sum(r[1] != r[2] for r in rows)
        unlabelled = sum(r[2] is None for r in rows)
        name = os.path.basename(os.path.normpath(folder))
        v = "; ".join(f"{k} {c}" for k, c in sorted(verdicts.items()))
        print(f"| {name} | {len(rows)} | {v} | {ua1:.1f} ({wa1:.1f}) | {recalls(rec1)} | **{ua2:.1f}** ({wa2:.1f}) "
              f"| {recalls(rec2)} | {changed} | {unlabelled} |")
        details.append(f"{name}, each batch's verdict: " + "; ".join(shares))
        details += [matrix(f"{name}, per utterance", conf1), matrix(f"{name}, served", conf2)]
    print()
    print("\n\n".join(details))


if __name__ == "__main__":
    main()

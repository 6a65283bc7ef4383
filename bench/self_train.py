#!/usr/bin/env python3
"""Self-training over a batch on top of speech standardised over it, measured for TRAINING.md (*Self-training over a
batch*). One round of transductive pseudo-labelling: the per-speaker part trained on the training corpus labels a
batch (standardised over it, as `moodtag tag --speech-over-batch` serves it); the batch's most confident clips, the
same number per predicted class, are added with their predicted labels to the training rows; the part is trained again
and labels the whole batch again. Tools only (numpy, through bench/coral_batch.py).

The first pass is bench/coral_batch.py's batch-standardised manifests (same rows, same batches, seed 7), scored by
`moodtag train --fusion late --normalise none`; the second pass copies each batch's chosen rows from that manifest
under their own id (pseudo-<id>), their predicted label and the training side's pseudo group (<corpus>:pseudo, or
fit:pseudo inside a training corpus), keeps the batch's rows as test rows, and writes one manifest per batch (a batch
is labelled by a part retrained for it alone).

usage:
  self_train.py first EMBEDDING.bin FUNCTIONALS.bin OUT_DIR SIZE...
      the first-pass manifests: OUT/inner-<train>-f<k>-<size>-batch.csv (the training corpus's 3 speaker folds cut in
      pseudo-batches, as bench/coral_batch.py's inner step) and OUT/batch-<test>-<size>.csv (the test corpora)
  self_train.py second OUT_DIR NAME RULE...
      per rule and batch of OUT/NAME.csv (first pass scored in OUT/r-NAME): OUT/st-NAME-<rule>-<batch>.csv; a batch
      for which the rule picks nothing gets its first-pass predictions copied into OUT/r-st-NAME-<rule>-<batch>
      (nothing to retrain). Prints how many clips each batch added and how many of them were labelled right. NAME may
      be a self-trained batch's manifest (st-...): a second round, its picks replacing the first round's.
  self_train.py choose OUT_DIR RULE,RULE,... SIZE...
      the inner table from OUT/r-inner-*-batch and OUT/r-st-inner-* and the rule chosen per test corpus and size
  self_train.py score OUT_DIR NAME RULE
      UA (WA) and recall pooled over OUT/r-st-NAME-<rule>-* (NAME may hold a * to pool the inner folds)
RULE: k<q>, at most round(q * batch size / 4) clips per predicted class (q of an even class share), as many per class
as the class with the fewest predictions has; t<p>, the clips whose highest probability is at least p, as many per
class as the class with the fewest such clips has (none when a class has none). The most confident go first.
"""
import csv, glob, os, sys

import coral_batch

CLASSES = ("neutral", "happy", "sad", "angry")


def predictions(report_dir):
    path = next(p for p in sorted(glob.glob(os.path.join(report_dir, "predictions-*.csv"))))
    return path, list(csv.DictReader(open(path)))


def picked(preds, rule):
    """The rows of one batch's predictions that the rule adds, balanced over the predicted classes."""
    # A clip with no speech heard has no probabilities (scored as the training majority): it is never picked
    heard = [r for r in preds if r["p_" + r["predicted"]]]
    by_class = {c: sorted((r for r in heard if r["predicted"] == c), key=lambda r: -float(r["p_" + c]))
                for c in CLASSES}
    if rule.startswith("k"):
        cap = max(1, round(float(rule[1:]) * len(preds) / len(CLASSES)))
        per_class = min(cap, *(len(v) for v in by_class.values()))
    else:
        t = float(rule[1:])
        per_class = min(sum(float(r["p_" + c]) >= t for r in v) for c, v in by_class.items())
    return [r for c in CLASSES for r in by_class[c][:per_class]]


def second(out_dir, name, rules):
    rows = list(csv.reader(open(os.path.join(out_dir, name + ".csv"))))
    header, body = rows[0], rows[1:]
    pred_path, preds = predictions(os.path.join(out_dir, "r-" + name))
    test_groups = list(dict.fromkeys(r["group"] for r in preds))
    test_prefix = test_groups[0].split(":")[0]
    # A second round starts again from the training corpus: the first round's picks make way for this round's
    training = [r for r in body if r[2].split(":")[0] != test_prefix and not r[2].endswith(":pseudo")]
    pseudo_group = training[0][2].split(":")[0] + ":pseudo"
    by_id = {r[0]: r for r in body}
    for rule in rules:
        for g in test_groups:
            mine = [p for p in preds if p["group"] == g]
            chosen = picked(mine, rule)
            right = sum(p["predicted"] == p["truth"] for p in chosen)
            base = f"st-{name}-{rule}-{g.split(':')[1]}"
            print(f"{base}: {len(mine)} clips, {len(chosen)} added ({len(chosen) // len(CLASSES)} per class), "
                  f"{right} labelled right")
            if not chosen:
                report = os.path.join(out_dir, "r-" + base)
                os.makedirs(report, exist_ok=True)
                with open(os.path.join(report, os.path.basename(pred_path)), "w", newline="") as fh:
                    w = csv.DictWriter(fh, fieldnames=list(preds[0].keys()))
                    w.writeheader()
                    w.writerows(mine)
                open(os.path.join(report, "report.json"), "w").write("{}\n")
                continue
            with open(os.path.join(out_dir, base + ".csv"), "w", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                w.writerows(training)
                w.writerows(["pseudo-" + p["id"], p["predicted"], pseudo_group] + by_id[p["id"]][3:] for p in chosen)
                w.writerows(by_id[p["id"]] for p in mine)


def choose(out_dir, rules, sizes):
    """The inner table (pooled over the 3 folds) and the rule chosen per training corpus and size: the highest inner UA
    among the rules, ties to the earlier rule as given; the last line is the choices as TEST:SIZE=RULE."""
    chosen = []
    print("| training corpus | batch size | first pass | " + " | ".join(rules) + " | chosen |")
    print("|---" * (len(rules) + 4) + "|")
    for train_corpus in coral_batch.CORPORA:
        test = next(c for c in coral_batch.CORPORA if c != train_corpus)
        for size in sizes:
            first = coral_batch.score([os.path.join(out_dir, f"r-inner-{train_corpus}-f{k}-{size}-batch")
                                       for k in range(coral_batch.INNER_FOLDS)])[0]
            uas = {}
            for rule in rules:
                dirs = [d for d in glob.glob(os.path.join(out_dir, f"r-st-inner-{train_corpus}-f*-{size}-batch-{rule}-*"))
                        if os.path.isdir(d)]
                uas[rule] = coral_batch.score(sorted(dirs))[0]
            best = max(rules, key=lambda r: (round(uas[r], 6), -rules.index(r)))
            chosen.append(f"{test}:{size}={best}")
            print(f"| {train_corpus} | {size} | {first:.1f} | " + " | ".join(f"{uas[r]:.1f}" for r in rules)
                  + f" | {best} |")
    print(" ".join(chosen))


def main():
    mode = sys.argv[1]
    if mode == "first":
        emb, fun, out_dir = sys.argv[2:5]
        sizes = sys.argv[5:]
        os.makedirs(out_dir, exist_ok=True)
        f = coral_batch.Features(emb, fun)
        with open(os.path.join(out_dir, "first.log"), "w") as log:
            coral_batch.run_inner(f, out_dir, sizes, [], log)
            coral_batch.run_test(f, out_dir, sizes, {}, log)
    elif mode == "second":
        second(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif mode == "choose":
        choose(sys.argv[2], sys.argv[3].split(","), sys.argv[4:])
    elif mode == "score":
        out_dir, name, rule = sys.argv[2:5]
        ua, wa, recall = coral_batch.score(sorted(d for d in glob.glob(os.path.join(out_dir, f"r-st-{name}-{rule}-*"))
                                                  if os.path.isdir(d)))
        print(f"{ua:.1f} ({wa:.1f}) | " + " / ".join(f"{r:.1f}" for r in recall))
    else:
        raise SystemExit("mode must be first, second or score")


if __name__ == "__main__":
    main()

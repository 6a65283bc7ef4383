#!/usr/bin/env bash
# What `moodtag tag --speech-over-batch` gives across corpora, as served: the product's own train, combine and tag
# commands, the classifier trained on the other corpus, each test corpus's four-class clips tagged as one batch and
# in random batches of 25 and 100. TRAINING.md, *Servable invariances*, has the figures and their simulation.
#
#   bench/batch-speech-served.sh               both directions, the whole corpus and batches of 25 and 100
#   SIZES="all 100" bench/batch-speech-served.sh   fewer batchings (all = the whole test corpus as one batch)
#   TESTS=ravdess bench/batch-speech-served.sh      one direction, by its test corpus (EmoDB -> RAVDESS here)
#   SIMULATE=1 bench/batch-speech-served.sh         also the training command's simulation of the same batches
#   SELF_TRAIN=1 SIZES=all bench/batch-speech-served.sh   the tag runs with --self-train too (one round of
#       self-training over each batch; MOODTAG_BATCH_SELF_TRAIN_SHARE and the other moodtag.batch.self-train-*
#       settings pass through); its tables are table-<train>-to-<test>-self-train[-q<share>].md
#
# 1. Per training corpus (speech-pooled.csv's rows of that corpus): the speech part and the per-speaker part with the
#    options of models/classifier/rebuild.sh's speech lines (--fusion late --no-ablation, --normalise speaker for the
#    second; 3 speaker-grouped folds, as a one-corpus manifest has no corpus to hold out), combined with rebuild.sh's
#    weights for those two (0.80, 0.80) beside a copy of models/pack.json.
# 2. The test corpus's four-class clips copied under CLIPS (default /tmp/batch-speech-served), once as one folder and
#    once split into batches: the rows in speech-pooled.csv's order shuffled by Python's random.Random(7) and cut in
#    runs of N, the batches of the training command's simulation, whose manifests it writes as
#    target/datasets/sp-spk-<test>-<size>.csv (the other corpus grouped by speaker, this one by batch).
# 3. `moodtag tag FOLDER --speech-over-batch` per folder, speech-to-text off (the classifier has no text part);
#    results are written beside the clips. Each run's summary goes to the log beside its report; a run whose only
#    failures are clips in which the detector hears no speech (7 RAVDESS clips, no label) goes on.
# 4. bench/batch_speech_served.py scores the results against the corpus's labels: label (second pass) and
#    firstPassLabel (per utterance), pooled over the batches.
#
# WORK (default target/batch-served) holds the parts, packs, reports and tables; features for training come from
# target/feature-cache like every train.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$here/target/batch-served}
clips=${CLIPS:-/tmp/batch-speech-served}
sizes=${SIZES:-all 100 25}
self_train=${SELF_TRAIN:+--self-train}
table_suffix=${SELF_TRAIN:+-self-train}${SELF_TRAIN:+${MOODTAG_BATCH_SELF_TRAIN_SHARE:+-q$MOODTAG_BATCH_SELF_TRAIN_SHARE}}
mt="nice -n 10 $here/moodtag"
mkdir -p "$work" "$clips"
cd "$here"
$mt dataset speech-pooled >/dev/null
python3 - "$here/target/datasets/speech-pooled.csv" "$clips" $sizes <<'PY'
import csv, os, random, shutil, sys
pooled, clips, sizes = sys.argv[1], sys.argv[2], sys.argv[3:]
four = {"neutral", "happy", "sad", "angry", "happiness", "sadness", "anger"}
rows = list(csv.DictReader(open(pooled)))
base = os.path.dirname(pooled)
for corpus in ("emodb", "ravdess"):
    mine = [r for r in rows if r["group"].startswith(corpus + ":")]
    with open(pooled.replace("speech-pooled", f"speech-{corpus}-only"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys()); w.writeheader(); w.writerows(mine)
    test = [r for r in mine if r["label"] in four]
    random.Random(7).shuffle(test)
    for size in sizes:
        n = len(test) if size == "all" else int(size)
        batched = [dict(r, group=f"{corpus}:c{i // n}") for i, r in enumerate(test)]
        # The simulation's manifest of the same batches: the other corpus grouped by speaker, this one by batch.
        others = [r for r in rows if r["label"] in four and not r["group"].startswith(corpus + ":")]
        with open(pooled.replace("speech-pooled", f"sp-spk-{corpus}-{size}"), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=rows[0].keys()); w.writeheader()
            w.writerows(batched + others if corpus == "emodb" else others + batched)
        top = os.path.join(clips, f"{corpus}-{size}")
        if os.path.isdir(top):
            continue
        for i, r in enumerate(test):
            folder = top if size == "all" else os.path.join(top, f"batch-{i // n:03d}")
            os.makedirs(folder, exist_ok=True)
            shutil.copy(os.path.normpath(os.path.join(base, r["audio"])), folder)
PY
for train in emodb ravdess; do
  pack="$work/pack-$train"
  if [ ! -f "$pack/classifier/classifier.json" ]; then
    for n in none speaker; do
      $mt train --manifest "target/datasets/speech-$train-only.csv" --labels 4class --folds grouped:3 --fusion late \
        --normalise $n --no-ablation --out "$work/report-$train-$n" --export "$work/clf-$train-$n"
    done
    mkdir -p "$pack"; cp models/pack.json "$pack/pack.json"
    $mt combine --part "$work/clf-$train-none" --part "$work/clf-$train-speaker" --weight 0.80,0.80 --out "$pack/classifier"
  fi
done
for test in ${TESTS:-emodb ravdess}; do
  train=$([ $test = emodb ] && echo ravdess || echo emodb)
  pack="$work/pack-$train"
  for size in $sizes; do
    top="$clips/$test-$size"
    if [ $size = all ]; then folders=("$top"); else folders=("$top"/batch-*); fi
    start=$(date +%s)
    for folder in "${folders[@]}"; do
      name=$train-to-$test-$size${folder#"$top"}; name=${name//\//-}
      echo "== $name $(date -u +%H:%M:%S)"
      MOODTAG_PACK_MANIFEST="$pack/pack.json" MOODTAG_TRANSCRIBE_ENABLED=false \
        $mt tag "$folder" --speech-over-batch $self_train --force --out "$work/out-$name" >"$work/out-$name.log" 2>&1 \
        || grep -q "^failures: [1-9]" "$work/out-$name.log" || { tail -20 "$work/out-$name.log"; exit 1; }
      grep -h "speech over the batch" "$work/out-$name.log" || true
    done
    echo "$train -> $test, $size${self_train:+ $self_train}: $(( $(date +%s) - start )) s of tagging" | tee -a "$work/wall.txt"
  done
  python3 "$here/bench/batch_speech_served.py" "$here/target/datasets/speech-pooled.csv" \
    $(for s in $sizes; do echo "$clips/$test-$s"; done) | tee "$work/table-$train-to-$test$table_suffix.md"
done

# SIMULATE=1: the training command's simulation of the same batches (TRAINING.md's simulated rows): the per-speaker
# part trained on the other corpus with each test row standardised over its batch, and per utterance; once as
# documented (early fusion: one SVM without probabilities, labelled by its vote) and once with --fusion late (Platt
# probabilities, labelled by the highest, as served); reports in WORK/sim-<test>-<fusion>-<size>/report.md.
if [ -n "${SIMULATE:-}" ]; then
  for test in emodb ravdess; do
    for fusion in early late; do
      $mt train --dataset speech-pooled --folds corpus:$test --fusion $fusion --no-ablation \
        --out "$work/sim-$test-$fusion-utterance" >"$work/sim-$test-$fusion-utterance.log" 2>&1
      for size in $sizes; do
        $mt train --manifest "target/datasets/sp-spk-$test-$size.csv" --labels 4class --folds corpus:$test \
          --fusion $fusion --normalise speaker --no-ablation --out "$work/sim-$test-$fusion-$size" \
          >"$work/sim-$test-$fusion-$size.log" 2>&1
      done
    done
  done
fi

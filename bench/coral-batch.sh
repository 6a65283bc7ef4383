#!/usr/bin/env bash
# Does CORAL over a batch add to speech standardised over a batch? TRAINING.md, *CORAL over a batch*, has the figures.
# bench/coral_batch.py writes precomputed-feature manifests from the default pack's cached speech features (fill the
# cache with bench/batch-speech-served.sh or any speech-pooled train first); `moodtag train --fusion late --normalise
# none` scores each as the per-speaker part trained on the other corpus, labelled by the highest probability as served.
#
#   bench/coral-batch.sh        1. the shrinkage chosen on each training corpus alone (3 speaker folds, pseudo-batches)
#                               2. the test corpora scored once: per utterance, over the batch, and with CORAL at the
#                                  chosen shrinkage, batches of 25 and 100 and the whole corpus
#   CANDIDATES=0.1,0.3,0.6,lw   the shrinkages step 1 chooses among (lw: each batch's Ledoit-Wolf estimate)
#   JOBS=2                      trainings run at once
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$here/target/coral}
sizes=${SIZES:-all 100 25}
candidates=${CANDIDATES:-0.1,0.3,0.6,lw}
cd "$here"
. bench/train-manifests.sh
start=$(date +%s)
python3 bench/coral_batch.py "$emb" "$fun" "$work" inner $sizes --candidates "$candidates"
train_all "$work" "$work"/inner-*.csv
python3 bench/coral_batch.py choose "$work" "$candidates" $sizes | tee "$work/inner.md"
echo "inner: $(( $(date +%s) - start )) s" | tee -a "$work/wall.txt"
start=$(date +%s)
read -r -a shrink <<<"$(tail -1 "$work/inner.md")"
python3 bench/coral_batch.py "$emb" "$fun" "$work" test $sizes "${shrink[@]}"
train_all "$work" "$work"/utterance-*.csv "$work"/batch-*.csv "$work"/coral-*.csv
{
  echo "| test corpus | batches of | per utterance UA (WA) | recall n / h / s / a | over the batch | recall | CORAL | recall | shrinkage |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for test in emodb ravdess; do
    for size in $sizes; do
      c=$(ls -d "$work"/r-coral-*-$test-$size | head -1); a=${c##*/r-coral-}
      echo "| $test | $size | $(python3 bench/coral_batch.py score "$work/r-utterance-$test") | $(python3 bench/coral_batch.py score \
        "$work/r-batch-$test-$size") | $(python3 bench/coral_batch.py score "$c") | ${a%%-*} |"
    done
  done
} | tee "$work/test.md"
echo "test: $(( $(date +%s) - start )) s" | tee -a "$work/wall.txt"

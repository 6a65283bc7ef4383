#!/usr/bin/env bash
# Does self-training over a batch (one round of pseudo-labels) add to speech standardised over it? TRAINING.md,
# *Self-training over a batch*, has the figures. bench/self_train.py writes precomputed-feature manifests from the
# default pack's cached speech features (fill the cache with bench/batch-speech-served.sh or any speech-pooled train
# first) and bench/train-manifests.sh scores each as the per-speaker part trained on the other corpus, labelled by the
# highest probability as served.
#
#   bench/self-train.sh         1. the rule chosen on each training corpus alone (3 speaker folds, pseudo-batches)
#                               2. the test corpora scored once: over the batch (first pass) and self-trained with the
#                                  chosen rule, batches of 100 and the whole corpus
#                               3. a second round for the whole corpus (the rule chosen for it), inside the training
#                                  corpus's folds and on the test corpora
#   RULES=k0.1,k0.25,k0.5,t0.6,t0.8
#                               the rules step 1 chooses among (bench/self_train.py: k<q> at most q of an even class
#                               share per predicted class, t<p> those whose highest probability is at least p)
#   SIZES="all 100"             batch sizes (a number of clips, or all)
#   JOBS=2                      trainings run at once
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$here/target/self-train}
sizes=${SIZES:-all 100}
rules=${RULES:-k0.1,k0.25,k0.5,t0.6,t0.8}
cd "$here"
. bench/train-manifests.sh
start=$(date +%s)
python3 bench/self_train.py first "$emb" "$fun" "$work" $sizes
first=()
for size in $sizes; do first+=("$work"/inner-*-"$size"-batch.csv "$work"/batch-*-"$size".csv); done
train_all "$work" "${first[@]}"
for size in $sizes; do
  for m in "$work"/inner-*-"$size"-batch.csv; do python3 bench/self_train.py second "$work" "$(basename "$m" .csv)" ${rules//,/ }; done
done >"$work/picks-inner.txt"
train_all "$work" "$work"/st-inner-*.csv
python3 bench/self_train.py choose "$work" "$rules" $sizes | tee "$work/inner.md"
echo "inner: $(( $(date +%s) - start )) s" | tee -a "$work/wall.txt"
start=$(date +%s)
for choice in $(tail -1 "$work/inner.md"); do
  test=${choice%%:*}; size=${choice#*:}; size=${size%%=*}; rule=${choice#*=}
  python3 bench/self_train.py second "$work" "batch-$test-$size" "$rule"
done | tee "$work/picks-test.txt"
train_all "$work" "$work"/st-batch-*.csv
{
  echo "| test corpus | batches of | over the batch UA (WA) | recall n / h / s / a | self-trained | recall | rule |"
  echo "|---|---|---|---|---|---|---|"
  for choice in $(tail -1 "$work/inner.md"); do
    test=${choice%%:*}; size=${choice#*:}; size=${size%%=*}; rule=${choice#*=}
    echo "| $test | $size | $(python3 bench/coral_batch.py score "$work/r-batch-$test-$size") | $(python3 \
      bench/self_train.py score "$work" "batch-$test-$size" "$rule") | $rule |"
  done
} | tee "$work/test.md"
echo "test: $(( $(date +%s) - start )) s" | tee -a "$work/wall.txt"
start=$(date +%s)
if [[ " $sizes " == *" all "* ]]; then
  second=()
  for choice in $(tail -1 "$work/inner.md"); do
    test=${choice%%:*}; size=${choice#*:}; size=${size%%=*}; rule=${choice#*=}
    [ "$size" = all ] || continue
    train_corpus=$(ls "$work"/inner-*-f0-all-batch.csv | grep -v "inner-$test-" | sed 's/.*inner-\(.*\)-f0-all-batch.csv/\1/')
    for m in "$work"/st-inner-"$train_corpus"-f*-all-batch-"$rule"-c0.csv "$work/st-batch-$test-all-$rule-c0.csv"; do
      python3 bench/self_train.py second "$work" "$(basename "$m" .csv)" "$rule"
    done
    second+=("$test:$train_corpus:$rule")
  done >"$work/picks-second.txt"
  train_all "$work" "$work"/st-st-*.csv
  {
    echo "| test corpus, whole | inner first pass | inner round 1 | inner round 2 | test first pass | round 1 | round 2 UA (WA) | recall n / h / s / a | rule |"
    echo "|---|---|---|---|---|---|---|---|---|"
    for s in "${second[@]}"; do
      IFS=: read -r test train_corpus rule <<<"$s"
      inner() { python3 bench/coral_batch.py score "$@" | cut -d' ' -f1; }
      echo "| $test | $(inner "$work"/r-inner-"$train_corpus"-f?-all-batch) | $(inner \
        "$work"/r-st-inner-"$train_corpus"-f?-all-batch-"$rule"-c0) | $(inner \
        "$work"/r-st-st-inner-"$train_corpus"-f?-all-batch-"$rule"-c0-"$rule"-c0) | $(inner \
        "$work/r-batch-$test-all") | $(inner "$work/r-st-batch-$test-all-$rule-c0") | $(python3 \
        bench/coral_batch.py score "$work/r-st-st-batch-$test-all-$rule-c0-$rule-c0") | $rule |"
    done
  } | tee "$work/second.md"
  echo "second round: $(( $(date +%s) - start )) s" | tee -a "$work/wall.txt"
fi

#!/usr/bin/env bash
# What a timeline's second pass (speech standardised over the recording) gives across corpora, on the product's own
# path: `moodtag tag` on one recording per speaker, the classifier trained on the other corpus.
#
#   bench/recording-eval.sh            both directions: EmoDB -> RAVDESS and RAVDESS -> EmoDB
#   SHARE=0.8 bench/recording-eval.sh  the same with each recording held in one mood: one emotion's clips (taking
#                                      turns over the speakers) make up 80 % of it
#
# 1. Recordings: each speaker's 4-class clips of ../shared/data (EmoDB, RAVDESS speech) in a seeded random order with
#    1.5-3.5 s of silence between them, 16 kHz WAV, and the clips' places (dev.moodtag.testing.SpeakerRecordingWriter).
# 2. Per training corpus: the speech part per utterance and the speech part standardised per speaker (`moodtag train
#    --normalise speaker`), both exported and combined (`moodtag combine`, weights 1,1: the second replaces the first
#    in the second pass), in a copy of the default pack.
# 3. `moodtag tag` on the other corpus's recordings (results moved from beside them to out-*/ after each run) with moodtag.timeline.speech-over-recording=off (first pass only),
#    auto with the default guard, and auto with the guard's share at 1 (no guard); text off (the classifier has no
#    text part, and recognition would only cost time).
# 4. bench/recording_eval.py: each VAD segment takes the label of the clip it overlaps most; 4-class UA.
#
# WORK (default target/rec-eval) holds everything; features come from target/feature-cache like every train.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$here/target/rec-eval}
mt="$here/moodtag"
mkdir -p "$work"
cd "$here"
"$mt" dataset speech-pooled >/dev/null
python3 - "$here/target/datasets/speech-pooled.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for corpus in ("emodb", "ravdess"):
    with open(sys.argv[1].replace("speech-pooled", f"speech-{corpus}-only"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=rows[0].keys()); w.writeheader()
        w.writerows(r for r in rows if r["group"].startswith(corpus + ":"))
PY
./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test
labels=neutral,happy,sad,angry,happiness,sadness,anger
share=${SHARE:-}
suffix=${share:+-skew$share}
for corpus in emodb ravdess; do
  [ -d "$work/$corpus$suffix" ] || java -cp "$here/target/test-classes:$here/target/classes:$(cat "$work/cp.txt")" \
    dev.moodtag.testing.SpeakerRecordingWriter target/datasets/speech-pooled.csv "$work/$corpus$suffix" "$labels" "$corpus:" $share
done
search="$here/models,$here/target/models,$here/../shared/models"
for train in emodb ravdess; do
  test=$([ $train = emodb ] && echo ravdess || echo emodb)$suffix
  pack="$work/pack-$train"
  if [ ! -f "$pack/classifier/classifier.json" ]; then
    for n in none speaker; do
      "$mt" train --manifest "target/datasets/speech-$train-only.csv" --labels 4class --folds grouped:3 --fusion late \
        --normalise $n --no-ablation --out "$work/report-$train-$n" --export "$work/clf-$train-$n"
    done
    mkdir -p "$pack"; cp models/pack.json "$pack/pack.json"
    "$mt" combine --part "$work/clf-$train-none" --part "$work/clf-$train-speaker" --weight 1,1 --out "$pack/classifier"
  fi
  for setting in off auto auto-unguarded; do
    out="$work/out-$train-to-$test-$setting"
    rm -rf "$out" "$work/$test"/*.emotion.json
    echo "== $train -> $test, speech-over-recording $setting"
    MOODTAG_PACK_MANIFEST="$pack/pack.json" MOODTAG_PACK_SEARCH_PATH="$search" MOODTAG_TRANSCRIBE_ENABLED=false \
    MOODTAG_TIMELINE_SPEECH_OVER_RECORDING=${setting%%-*} \
    MOODTAG_TIMELINE_RECORDING_MAX_DOMINANT_SHARE=$([ $setting = auto-unguarded ] && echo 1.0 || echo 0.65) \
      "$mt" tag "$work/$test" --out "$out" >"$out.log" 2>&1 || { tail -20 "$out.log"; exit 1; }
    mv "$work/$test"/*.emotion.json "$out/"   # results are written beside the media; the next setting starts clean
  done
  python3 "$here/bench/recording_eval.py" "$work/$test" "$work/out-$train-to-$test-off" "$work/out-$train-to-$test-auto" \
    "$work/out-$train-to-$test-auto-unguarded" | tee "$work/table-$train-to-$test.md"
done

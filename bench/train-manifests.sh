# Sourced by bench/coral-batch.sh and bench/self-train.sh from the checkout's root with $work set: sets $emb and $fun to
# the default pack's cached speech features, makes $work and speech-pooled.csv if missing, and defines
# train_all WORK MANIFEST..., which scores each precomputed-feature
# manifest as the per-speaker part served over a batch (`moodtag train --fusion late --normalise none`, labelled by the
# highest probability) into WORK/r-<name>, skipping those already there; the held-out side is the manifest's test
# corpus (held inside a training corpus). JOBS=2 trainings run at once.
cache=target/feature-cache
emb=$(ls $cache/speech-oww-embedding/*.bin); fun=$(ls $cache/speech-functionals/*.bin)
mkdir -p "$work"
[ -f target/datasets/speech-pooled.csv ] || ./moodtag dataset speech-pooled >/dev/null
train_all() {
  local work=$1; shift
  for m in "$@"; do
    name=$(basename "$m" .csv); [ -f "$work/r-$name/report.json" ] && continue
    case $name in *inner-*) held=held;; *emodb*) held=emodb;; *) held=ravdess;; esac
    echo "$m $held $name"
  done | xargs -r -P "${JOBS:-2}" -L 1 sh -c 'nice -n 10 ./moodtag train --manifest "$0" --labels 4class \
      --folds corpus:$1 --fusion late --normalise none --no-ablation --out "'"$work"'/r-$2" \
      >"'"$work"'/r-$2.log" 2>&1 || { echo "failed: $2"; tail -5 "'"$work"'/r-$2.log"; }'
}

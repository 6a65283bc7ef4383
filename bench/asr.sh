#!/usr/bin/env bash
# Speech-to-text cost (a benchmark, not a test): prints figures, never fails on them.
#   bench/asr.sh utterance [file=../shared/samples/01-01-01-01-01-01-01.mp4] [runs=10]
#       ASR of one utterance (stream-decode + VAD + Vosk, `moodtag asr-eval --cache none` on the file `runs` times,
#       median of the per-clip seconds) against the end-to-end p50 of the same file without ASR (`moodtag bench-embed`).
#   bench/asr.sh pipeline [file=../shared/samples/01-01-01-01-01-01-01.mp4] [rounds=2]
#       The issue's target: `moodtag bench FILE --warmup 2 --runs 8 --concurrency 1` on the file with its sidecar
#       transcript (the files beside it that share its name) and alone (recognised), alternately for `rounds` rounds in
#       the same minutes; end-to-end p50 of each and their ratio per round (target: recognised <= 2x sidecar).
#       MOODTAG names another moodtag launcher to compare (default this checkout's ./moodtag).
#   bench/asr.sh long [seconds=3600]
#       ASR of a generated interview-like recording (LongRecordingWriter, as bench/tag-long.sh) streamed while decoded:
#       wall time, real-time factor and peak RSS (GNU time), pinned to CPUS (default 0,1), JAVA_OPTS (default -Xmx512m).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-utterance}
cpus=${CPUS:-0,1}
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing
echo "load before: $(uptime)"
case "$mode" in
  utterance)
    file=$(realpath "${2:-$here/../shared/samples/01-01-01-01-01-01-01.mp4}")
    runs=${3:-10}
    { echo file; for _ in $(seq "$runs"); do echo "$file"; done; } >"$work/m.csv"
    taskset -c "$cpus" "$here/moodtag" asr-eval "$work/m.csv" --cache none --out "$work/asr.csv" 2>"$work/asr.log" \
      | grep -E '^(moodtag asr-eval|gate|recognised)' | sed 's/^/  /'
    # the first run warms the JIT and the native code: left out of the median
    # the per-clip CSV's "seconds" column, found by name (columns were added after it); no field here holds a comma
    asr_ms=$(awk -F, 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == "seconds") c = i; next} NR > 2 {print $c * 1000}' \
      "$work/asr.csv" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    taskset -c "$cpus" "$here/moodtag" bench-embed "$file" --runs "$runs" 2>/dev/null >"$work/embed.txt"
    sed 's/^/  /' "$work/embed.txt" | head -8
    e2e_ms=$(awk -v f="$(basename "$file")" 'index($0, f) == 1 {print $NF; exit}' "$work/embed.txt")
    awk -v a="$asr_ms" -v e="$e2e_ms" 'BEGIN {
      printf "ASR median %.0f ms; end-to-end p50 without ASR %.0f ms; with ASR run after it %.0f ms = %.2fx\n", a, e, a + e, (a + e) / e }'
    ;;
  pipeline)
    file=$(realpath "${2:-$here/../shared/samples/01-01-01-01-01-01-01.mp4}")
    rounds=${3:-2}
    moodtag=${MOODTAG:-$here/moodtag}
    name=$(basename "$file"); stem=${name%.*}
    mkdir -p "$work/sidecar" "$work/recognised"
    cp "$(dirname "$file")/$stem".* "$work/sidecar/"
    cp "$file" "$work/recognised/"
    echo "  sidecar: $(cd "$work/sidecar" && ls | grep -v -x -F "$name" | tr '\n' ' ')"
    for round in $(seq "$rounds"); do
      declare -A p50=()
      for side in sidecar recognised; do
        taskset -c "$cpus" "$moodtag" bench "$work/$side/$name" --warmup 2 --runs 8 --concurrency 1 --label "$side" --pause-ms "${PAUSE_MS:-0}" \
          2>/dev/null >"$work/$side.txt"
        p50[$side]=$(awk '/^ *end to end/ {print $5; exit}' "$work/$side.txt")
        echo "  round $round, $side: $(grep -E '^ *(decode|end to end) ' "$work/$side.txt" | tr -s ' ' | tr '\n' ';')" \
          "$(grep -E 'utterances/s|peak RSS' "$work/$side.txt" | tr -s ' ' | tr '\n' ';')"
      done
      awk -v s="${p50[sidecar]}" -v r="${p50[recognised]}" -v n="$round" 'BEGIN {
        printf "round %d: end-to-end p50 %.0f ms with the sidecar, %.0f ms recognised: %.2fx (target <= 2x)\n", n, s, r, r / s }'
      echo "  load: $(uptime | sed 's/.*load/load/')"
    done
    ;;
  long)
    seconds=${2:-3600}
    mkdir -p "$work/archive"
    (cd "$here" && ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
    java -cp "$here/target/test-classes:$here/target/classes:$(cat "$work/cp.txt")" dev.moodtag.testing.LongRecordingWriter \
      "$seconds" "$work/archive/interview.mp4"
    /usr/bin/time -v -o "$work/time.txt" taskset -c "$cpus" "$here/moodtag" asr-eval "$work/archive/interview.mp4" \
      --cache none --out "$work/asr.csv" >"$work/stdout.txt" 2>"$work/stderr.txt" || { tail -20 "$work/stderr.txt"; exit 1; }
    grep -E '^(moodtag asr-eval|gate|recognised)' "$work/stdout.txt" | sed 's/^/  /'
    wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
    rss_kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
    wall_s=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    awk -v s="$seconds" -v w="$wall_s" -v r="$rss_kb" -v c="$cpus" -v j="$JAVA_OPTS" 'BEGIN {
      printf "moodtag asr-eval, %.0f s recording on cores %s (%s): wall %.1f s, real-time factor %.3f (%.1fx faster than real time), peak RSS %.0f MB\n",
        s, c, j, w, w / s, s / w, r / 1024 }'
    ;;
  *) echo "usage: bench/asr.sh utterance [file] [runs] | pipeline [file] [rounds] | long [seconds]" >&2; exit 2 ;;
esac
echo "load after:  $(uptime)"

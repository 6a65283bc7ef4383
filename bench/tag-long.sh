#!/usr/bin/env bash
# Long-recording benchmark (not a test): generates an interview-like A/V recording (real EmoDB speech between
# silences, face pictures as 320x240 video at 2 fps; MPEG-4 + AAC in mp4), tags it with `moodtag tag`, and prints
# wall time, real-time factor and peak RSS (GNU time's maximum resident set size of the JVM), with the load average.
#   bench/tag-long.sh [seconds=3600]      JAVA_OPTS (default -Xmx512m) and CPUS (default 0,1: two cores) apply
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-3600}
cpus=${CPUS:-0,1}
export JAVA_OPTS=${JAVA_OPTS:--Xmx512m}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/archive"

# The generator is a test-scope class (it reads ../shared/data/emodb and ../shared/samples).
(cd "$here" && ./mvnw -B -q test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
java -cp "$here/target/test-classes:$here/target/classes:$(cat "$work/cp.txt")" dev.moodtag.testing.LongRecordingWriter \
  "$seconds" "$work/archive/interview.mp4"
"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing

echo "load before: $(uptime)"
/usr/bin/time -v -o "$work/time.txt" taskset -c "$cpus" "$here/moodtag" tag "$work/archive" --out "$work/out" \
  >"$work/stdout.txt" 2>"$work/stderr.txt" || { tail -20 "$work/stderr.txt"; exit 1; }
echo "load after:  $(uptime)"
wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
rss_kb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{print $NF}')
wall_s=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
grep -E '^(outcomes|failures)' "$work/stdout.txt"
grep -o 'segments by [a-z]* over [0-9]* s (held at most [^)]*)' "$work/stderr.txt" || true
flat=$(tr -s ' \n' ' ' <"$work/archive/interview.mp4.emotion.json")
echo "result summary: $(echo "$flat" | grep -o '"summary" : {[^}]*}' || echo none)"
echo "result timings (ms): $(echo "$flat" | grep -o '"timingsMs" : {[^}]*}' || echo none)"
awk -v s="$seconds" -v w="$wall_s" -v r="$rss_kb" -v c="$cpus" -v j="$JAVA_OPTS" 'BEGIN {
  printf "moodtag tag, %.0f s recording on cores %s (%s): wall %.1f s, real-time factor %.3f (%.1fx faster than real time), peak RSS %.0f MB\n",
    s, c, j, w, w / s, s / w, r / 1024 }'
cp "$work/out/report.html" "${REPORT_COPY:-/dev/null}" 2>/dev/null || true

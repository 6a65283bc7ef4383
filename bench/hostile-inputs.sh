#!/usr/bin/env bash
# Hostile inputs (issue 16), not a test: generates them, runs each through `moodtag tag` (the function's per-object
# path: Recognizer, shipped settings) in its own JVM, and prints peak RSS and time per input against the goals:
# peak RSS at most 1.2 GB, and no object over its time budget (moodtag.budget.base + per-media-second x length,
# shipped 60 s + 0.5 x length). An object stopped by its budget is within it: it got a limit_exceeded result.
#   bench/hostile-inputs.sh          JAVA_OPTS (default -Xmx2g), CPUS (default: all), KEEP=1 keeps the inputs,
#                                    INPUTS=DIR reuses inputs generated before, ONLY=REGEX runs the matching inputs only
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
export JAVA_OPTS=${JAVA_OPTS:--Xmx2g}
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "inputs and results kept in $work" || trap 'rm -rf "$work"' EXIT
pin=(); [ -n "${CPUS:-}" ] && pin=(taskset -c "$CPUS")

# The generators are test-scope classes (TestMediaWriter, real FFmpeg encoders).
gen=${INPUTS:-$work/gen}
if [ -z "${INPUTS:-}" ]; then
  (cd "$here" && ./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
  java -Xmx512m -XX:MaxDirectMemorySize=1600m -cp "$here/target/test-classes:$here/target/classes:$(cat "$work/cp.txt")" \
    dev.moodtag.media.HostileMedia "$gen" >"$work/gen.txt"
fi
"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing

# name | media file | its sidecar (or -) | media length in seconds (for the budget) | what else it needs
inputs=(
  "16000x16000 frames|frames-16000x16000.mkv|-|1|every frame checked against the size limit"
  "9 min declared as 1 s|declares-1s-holds-9min.mkv|-|540|length from what decodes"
  "15.5 MB .txt sidecar|huge-sidecar.wav|huge-sidecar.txt|0.5|bounded sidecar reading"
  "200k-cue .srt|many-cues.wav|many-cues.srt|0.5|cues parsed in one pass, capped"
  "2-min 8K video|video-8k-120s.mp4|-|120|time budget"
  "random bytes|random-bytes.mp4|-|0|-"
)
rows=()
for entry in "${inputs[@]}"; do
  IFS='|' read -r name file sidecar length note <<<"$entry"
  [[ -n "${ONLY:-}" && ! "$name" =~ $ONLY ]] && continue
  dir="$work/in/${file%.*}"; mkdir -p "$dir"
  cp "$gen/$file" "$dir/"; [ "$sidecar" != - ] && cp "$gen/$sidecar" "$dir/"
  size=$(du -h "$dir/$file" | cut -f1)
  echo "== $name ($file, $size)" >&2
  set +e
  /usr/bin/time -v -o "$work/time.txt" "${pin[@]}" timeout 1800 "$here/moodtag" tag "$dir" --out "$work/out-${file%.*}" \
    >"$work/stdout.txt" 2>"$work/stderr.txt"
  rc=$?
  set -e
  wall=$(grep 'Elapsed (wall clock)' "$work/time.txt" | awk '{print $NF}')
  wall_s=$(echo "$wall" | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
  rss_mb=$(grep 'Maximum resident set size' "$work/time.txt" | awk '{printf "%.0f", $NF / 1024}')
  result="$dir/$file.emotion.json"
  if [ -f "$result" ]; then
    flat=$(tr -s ' \n' ' ' <"$result")
    # sed, not grep | head: under pipefail, head closing early on a large result kills the script
    status=$(echo "$flat" | sed -n 's/^{ "[^"]*" : "[^"]*", "version" : [0-9]*, "status" : "\([a-z_]*\)".*/\1/p')
    kind=$(echo "$flat" | sed -n 's/.*"error" : { "kind" : "\([a-z_]*\)".*/\1/p')
    total_ms=$(echo "$flat" | sed -n 's/.*"total" : \([0-9.]*\).*/\1/p')
  else
    status="no result (rc $rc)"; kind=""; total_ms=""
    tail -3 "$work/stderr.txt" >&2
  fi
  rows+=("$name|$size|$status${kind:+ ($kind)}|$rss_mb|$wall_s|${total_ms:-?}|$length|$note")
done

echo
echo "Hostile inputs through moodtag tag ($JAVA_OPTS${CPUS:+, cores $CPUS}), $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-24s %6s %-34s %9s %9s %10s %10s  %-5s %-5s  %s\n' input size result "RSS MB" "wall s" "object s" "budget s" RSS time "fixed by"
for row in "${rows[@]}"; do
  IFS='|' read -r name size result rss wall total length note <<<"$row"
  awk -v n="$name" -v sz="$size" -v r="$result" -v rss="$rss" -v w="$wall" -v t="$total" -v l="$length" -v note="$note" 'BEGIN {
    budget = 60 + 0.5 * l; obj = (t == "?") ? -1 : t / 1000
    rss_ok = (rss <= 1200) ? "MET" : "MISS"
    time_ok = (obj < 0) ? "?" : (obj <= budget || r ~ /limit_exceeded/) ? "MET" : "MISS"
    printf "%-24s %6s %-34s %9d %9.1f %10s %10.1f  %-5s %-5s  %s\n", n, sz, r, rss, w, (obj < 0 ? "?" : sprintf("%.1f", obj)), budget, rss_ok, time_ok, note }'
done
echo "Goals: peak RSS <= 1200 MB per input (whole JVM, models included); object time (the result's timingsMs.total) within"
echo "60 s + 0.5 s per second of media, or stopped by the budget with limit_exceeded. wall s includes JVM start and model load."

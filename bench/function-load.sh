#!/usr/bin/env bash
# Load check of the function (a benchmark, not a test): N storage events at concurrency C on loopback against
# `moodtag serve` with filesystem storage. Prints throughput, p50/p95 latency, the server's RSS, and checks that
# every object got exactly one result (zero lost, zero duplicated).
#   bench/function-load.sh [events=200] [concurrency=4]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-200}; c=${2:-4}; port=${PORT:-18080}
samples="$here/../shared/samples"
work=$(mktemp -d); inbox="$work/inbox"; mkdir -p "$inbox"
trap 'kill ${pid:-0} 2>/dev/null || true; rm -rf "$work"' EXIT

# N distinct objects, cycling through the shipped samples (the mp4 keeps its transcript sidecar).
mapfile -t media < <(cd "$samples" && ls *.wav *.jpg *.mp4)
for ((i = 0; i < n; i++)); do
  f=${media[$((i % ${#media[@]}))]}; name="$(printf '%04d' "$i")-$f"
  cp "$samples/$f" "$inbox/$name"
  [ -f "$samples/${f%.*}.txt" ] && cp "$samples/${f%.*}.txt" "$inbox/${name%.*}.txt"
done

"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing
MOODTAG_STORAGE_LOCAL_ROOTS="$inbox" MOODTAG_FUNCTION_MAX_CONCURRENT="$c" QUARKUS_HTTP_PORT="$port" \
  "$here/moodtag" serve >"$work/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 120); do
  curl -sf "localhost:$port/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "localhost:$port/q/health/ready" >/dev/null || { echo "server not ready"; tail -20 "$work/server.log"; exit 1; }
jpid=$(pgrep -P "$pid" java || echo "$pid")

start=$(date +%s.%N)
ls "$inbox" | grep -v -e '\.txt$' | sed "s#^#file://$inbox/#" | \
  xargs -P "$c" -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "localhost:$port/recognize" \
    -H 'Content-Type: application/json' -d '{"uri": "{}"}' >"$work/times"
end=$(date +%s.%N)

codes=$(cut -d' ' -f1 "$work/times" | sort | uniq -c | tr '\n' ' ')
results=$(ls "$inbox" | grep -c '\.emotion\.json$' || true)
distinct=$(cat "$inbox"/*.emotion.json | grep -o '"uri" *: *"[^"]*"' | sort -u | wc -l)
statuses=$(cat "$inbox"/*.emotion.json | grep -o '"status" *: *"[a-z]*"' | sort | uniq -c | tr -s ' ' | tr '\n' ';')
p() { cut -d' ' -f2 "$work/times" | sort -n | awk -v q="$1" '{a[NR]=$1} END {i=int(q*NR); if (i<1) i=1; printf "%.0f", a[i]*1000}'; }
rss=$(grep -E 'VmHWM|VmRSS' /proc/"$jpid"/status | tr -s ' ' | tr '\n' ' ')
wall=$(echo "$end - $start" | bc)
echo "moodtag function load check: $n events, concurrency $c, $(nproc) cores, loopback, filesystem storage"
echo "HTTP codes: $codes"
printf 'wall %.1f s, throughput %.2f events/s, latency p50 %s ms, p95 %s ms\n' "$wall" "$(echo "$n / $wall" | bc -l)" "$(p 0.5)" "$(p 0.95)"
echo "server memory: $rss"
echo "results: $results files for $n objects, $distinct distinct sources; statuses: $statuses"
lost=$((n - results))
echo "lost: $lost, duplicated: $((results - distinct))"

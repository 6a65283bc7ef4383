#!/usr/bin/env bash
# Load check of the fan-out (a benchmark, not a test): N objects published with `moodtag tag DIR --publish URL` at a
# bounded rate to two `moodtag serve` processes behind a tiny round-robin proxy (bench/round_robin.py, standing in for
# two pods of the Knative Service). Prints throughput, p50/p95 of the proxied requests and of the publisher's
# per-object time, and checks 0 lost (every object has a result) and 0 duplicated (no object processed twice).
#   bench/publish-load.sh [objects=500] [rate=10] [max-in-flight=4]
#   DRY_RUN=1 bench/publish-load.sh ...   builds the objects, starts the proxy in front of two stub sinks, sends a few
#                                         events through it and checks the counting; starts no moodtag process.
# Small media only (the shipped face images, about 20 kB): this checks the fan-out, not the encoders.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-500}; rate=${2:-10}; inflight=${3:-4}
conc=${MAX_CONCURRENT:-2}
# Free loopback ports, unless given: the machine is shared.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
p1=${PORT1:-$(free_port)}; p2=${PORT2:-$(free_port)}; pp=${PROXY_PORT:-$(free_port)}
samples="$here/../shared/samples"
work=$(mktemp -d); archive="$work/archive"; mkdir -p "$archive"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

mapfile -t media < <(cd "$samples" && ls *.jpg)
for ((i = 0; i < n; i++)); do
  f=${media[$((i % ${#media[@]}))]}
  cp "$samples/$f" "$archive/$(printf '%04d' "$i")-$f"
done

count() { # proxy log -> "requests processed_objects duplicated"
  python3 - "$1" <<'PY'
import json, sys, collections
processed = collections.Counter(); requests = 0
for line in open(sys.argv[1]):
    r = json.loads(line); requests += 1
    for obj, outs in r["outcomes"].items():
        processed[obj] += outs.count("processed")
print(requests, len(processed), sum(c - 1 for c in processed.values() if c > 1))
PY
}
pct() { # file of numbers, quantile -> value
  sort -n "$1" | awk -v q="$2" '{a[NR]=$1} END {i=int(q*NR+0.999999); if (i<1) i=1; if (NR==0) print "n/a"; else printf "%.0f", a[i]}'
}

wait_port() {
  for _ in $(seq 1 40); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $1), 1)" 2>/dev/null && return; sleep 0.25; done
  echo "nothing listens on port $1 after 10 s"; exit 1
}

if [ -n "${DRY_RUN:-}" ]; then
  stub() { python3 - "$1" <<'PY' &
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        uri = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["uri"]
        body = json.dumps({"requestId": self.headers.get("ce-id"), "objects": [{"object": uri, "outcome": "processed"}]}).encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
  pids+=($!); }
  stub "$p1"; stub "$p2"
  python3 "$here/bench/round_robin.py" "$pp" "$work/proxy.jsonl" "http://127.0.0.1:$p1/" "http://127.0.0.1:$p2/" & pids+=($!)
  # every listener, the stubs too: under load a stub that was not listening yet made the proxy answer 502 and curl
  # fail (exit 22) on the first event
  for port in "$p1" "$p2" "$pp"; do wait_port "$port"; done
  for f in $(ls "$archive" | head -6); do
    curl -sf -o /dev/null "localhost:$pp/" -H 'Content-Type: application/json' -H 'ce-specversion: 1.0' \
      -H "ce-id: dry-$f" -H 'ce-type: dev.moodtag.request' -H 'ce-source: bench' -d "{\"uri\": \"file://$archive/$f\"}"
  done
  read -r requests objects dup < <(count "$work/proxy.jsonl")
  backends=$(python3 -c "import json,sys,collections; print(dict(collections.Counter(json.loads(l)['backend'] for l in open(sys.argv[1]))))" "$work/proxy.jsonl")
  echo "dry run: $n objects built in $archive; 6 events through the proxy: $requests requests, $objects objects, $dup duplicated; per backend $backends"
  [ "$requests" = 6 ] && [ "$objects" = 6 ] && [ "$dup" = 0 ] || { echo "dry run FAILED"; exit 1; }
  echo "dry run ok; would run: moodtag serve x2 (ports $p1 $p2, max-concurrent $conc), proxy :$pp, then"
  echo "  moodtag tag $archive --publish http://127.0.0.1:$pp/ --rate $rate --max-in-flight $inflight"
  exit 0
fi

"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing
for port in "$p1" "$p2"; do
  MOODTAG_STORAGE_LOCAL_ROOTS="$archive" MOODTAG_FUNCTION_MAX_CONCURRENT="$conc" QUARKUS_HTTP_PORT="$port" \
    "$here/moodtag" serve >"$work/server-$port.log" 2>&1 & pids+=($!)
done
for port in "$p1" "$p2"; do
  for _ in $(seq 1 240); do curl -sf "localhost:$port/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "localhost:$port/q/health/ready" >/dev/null || { echo "server $port not ready"; tail -20 "$work/server-$port.log"; exit 1; }
done
python3 "$here/bench/round_robin.py" "$pp" "$work/proxy.jsonl" "http://127.0.0.1:$p1/" "http://127.0.0.1:$p2/" & pids+=($!)
wait_port "$pp"

start=$(date +%s.%N)
"$here/moodtag" tag "$archive" --publish "http://127.0.0.1:$pp/" --rate "$rate" --max-in-flight "$inflight" \
  --out "$work/out" >"$work/publish.out" 2>"$work/publish.err" || true
end=$(date +%s.%N)

read -r requests objects dup < <(count "$work/proxy.jsonl")
results=$(ls "$archive" | grep -c '\.emotion\.json$' || true)
python3 -c "import json,sys; [print(json.loads(l)['ms']) for l in open(sys.argv[1])]" "$work/proxy.jsonl" >"$work/ms"
python3 -c "import json,sys; [print(json.loads(l)['seconds']*1000) for l in open(sys.argv[1]) if json.loads(l)['state']=='published']" \
  "$work/out/publish-log.jsonl" >"$work/obj-ms"
codes=$(python3 -c "import json,sys,collections; print(dict(collections.Counter(json.loads(l)['status'] for l in open(sys.argv[1]))))" "$work/proxy.jsonl")
wall=$(echo "$end - $start" | bc)
echo "moodtag fan-out load check: $n objects (face images), rate $rate/s, $inflight in flight, 2 x moodtag serve" \
  "(max-concurrent $conc) behind a round-robin proxy, $(nproc) cores, loopback, filesystem storage"
grep -E 'object\(s\) to' "$work/publish.out" || tail -5 "$work/publish.err"
echo "proxied requests: $requests, HTTP codes: $codes"
printf 'wall %.1f s (JVM start of the publisher included), throughput %.2f objects/s\n' "$wall" "$(echo "$n / $wall" | bc -l)"
echo "proxied request latency p50 $(pct "$work/ms" 0.5) ms, p95 $(pct "$work/ms" 0.95) ms;" \
  "per object until acknowledged (retries included) p50 $(pct "$work/obj-ms" 0.5) ms, p95 $(pct "$work/obj-ms" 0.95) ms"
echo "results: $results for $n objects; lost: $((n - results)), duplicated: $dup"

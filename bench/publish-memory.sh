#!/usr/bin/env bash
# Memory of the fan-out with many events in flight (a measurement, not a test): N small objects published with
# `moodtag tag DIR --publish URL --max-in-flight K` to a local stub sink that answers each event with 202 after
# DELAY seconds, so that K events are in flight at once. Samples the publisher's resident memory and thread count
# every 0.2 s and prints the peaks, the wall time and the events sent; with NMT=1 it also prints the JVM's native
# memory summary (heap, thread stacks, classes, ...), taken every few seconds, the one at the highest resident memory.
#   bench/publish-memory.sh [objects=20000] [max-in-flight=1000] [delay=1]
#   APP=/path/to/quarkus-app   runs that build of moodtag (default: this checkout's target/quarkus-app)
#   JAVA_OPTS=...              extra JVM options for the publisher
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-20000}; inflight=${2:-1000}; delay=${3:-1}
app=${APP:-$here/target/quarkus-app}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=${PORT:-$(free_port)}
work=$(mktemp -d); archive="$work/archive"; mkdir -p "$archive"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
cp "$here/../shared/samples/Cole_Chapman_0001.jpg" "$work/face.jpg"
python3 -c 'import os, sys; [os.link(sys.argv[1], os.path.join(sys.argv[2], "%05d.jpg" % i)) for i in range(int(sys.argv[3]))]' \
  "$work/face.jpg" "$archive" "$n"

python3 - "$port" "$delay" "$work/sink.count" <<'PY' &
import sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
delay = float(sys.argv[2]); count_file = sys.argv[3]; lock = threading.Lock(); count = [0]
class H(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(delay)
        with lock:
            count[0] += 1
            if count[0] % 500 == 0: open(count_file, "w").write(str(count[0]))
        self.send_response(202); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *a): pass
class S(ThreadingHTTPServer):
    request_queue_size = 4096
    daemon_threads = True
S(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
pids+=($!)
for _ in $(seq 1 40); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null && break; sleep 0.25; done

export MOODTAG_PACK_MANIFEST="${MOODTAG_PACK_MANIFEST:-$here/models/pack.json}"
export MOODTAG_PACK_SEARCH_PATH="${MOODTAG_PACK_SEARCH_PATH:-$here/models,$here/target/models,$here/../shared/models}"
nmt=(); [ -n "${NMT:-}" ] && nmt=(-XX:NativeMemoryTracking=summary)
start=$(date +%s.%N)
java ${JAVA_OPTS:-} "${nmt[@]}" -jar "$app/quarkus-run.jar" tag "$archive" --out "$work/out" \
  --publish "http://127.0.0.1:$port/" --rate 100000 --max-in-flight "$inflight" --publish-log "$work/publish.jsonl" \
  >"$work/publish.out" 2>&1 &
jpid=$!; pids+=($jpid)
peak_rss=0; peak_threads=0; nmt_rss=0; last_nmt=$(date +%s)
while kill -0 "$jpid" 2>/dev/null; do
  if [ -r "/proc/$jpid/status" ]; then
    rss=$(awk '/^VmRSS/{print $2}' "/proc/$jpid/status" 2>/dev/null || echo 0)
    th=$(awk '/^Threads/{print $2}' "/proc/$jpid/status" 2>/dev/null || echo 0)
    [ "${rss:-0}" -gt "$peak_rss" ] && peak_rss=$rss
    [ "${th:-0}" -gt "$peak_threads" ] && peak_threads=$th
    if [ -n "${NMT:-}" ] && [ "$(date +%s)" -ge "$((last_nmt + 6))" ]; then
      jcmd "$jpid" VM.native_memory summary > "$work/nmt.now" 2>&1 || true; last_nmt=$(date +%s)
      rss=$(awk '/^VmRSS/{print $2}' "/proc/$jpid/status" 2>/dev/null || echo 0)
      if [ "${rss:-0}" -gt "$nmt_rss" ] && grep -q '^Total' "$work/nmt.now"; then
        nmt_rss=$rss; th=$(awk '/^Threads/{print $2}' "/proc/$jpid/status" 2>/dev/null || echo 0)
        { echo "at RSS $((rss / 1024)) MB, $th threads:"; cat "$work/nmt.now"; } > "$work/nmt.txt"
      fi
    fi
  fi
  sleep 0.2
done
wait "$jpid" && rc=0 || rc=$?
end=$(date +%s.%N)
published=$(grep -c '"published"' "$work/publish.jsonl" || true)
printf 'objects %d, max-in-flight %d, sink delay %s s: exit %d, %s published, %.1f s, peak RSS %d MB, peak threads %d\n' \
  "$n" "$inflight" "$delay" "$rc" "$published" "$(echo "$end - $start" | bc)" "$((peak_rss / 1024))" "$peak_threads"
tail -3 "$work/publish.out"
[ -f "$work/nmt.txt" ] && grep -E '^(at RSS|Total|-\s+(Java Heap|Thread|Class|Code|GC|Internal|Other|Symbol|Native Memory Tracking|Arena|Metaspace|Shared))' "$work/nmt.txt" | sed 's/^/  /'
exit 0

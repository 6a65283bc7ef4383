#!/usr/bin/env bash
# Start-to-ready of `moodtag serve` in JVM mode with the shipped model pack (a benchmark, not a test): starts the jar,
# polls /q/health/ready until UP, prints the milliseconds from process start to ready, the CPU time the process used
# until then (all threads) and the peak RSS (VmHWM), stops
# it. Repeats RUNS times (default 3). Build the jar first (./mvnw package -DskipTests).
#   bench/start-ready.sh [runs=3]
# CPUS=2 pins the JVM to two cores with taskset (the target is "ready in under 3 s on 2 cores").
# ORT_LIBS=dir loads ONNX Runtime's libraries from dir (-Donnxruntime.native.path) instead of extracting them from
# the jar at every start, as the images did until 2026-12-05; the script fills dir from the jar if it is empty.
# NATIVE_LIBS=dir loads every native library from dir (ONNX Runtime's, libvosk, JNA's, libtokenizers, FFmpeg's and
# JavaCPP's), as the images and the edge unit do now; dir is filled by deploy/native-libs.sh if empty.
# JAVA_OPTS adds JVM options (e.g. -XX:TieredStopAtLevel=1); JAR and JAVA run another build or runtime
# (bench/gpu-check.sh runs its bundle this way).
# AOT_CACHE=file (Java 25+, a jar built with -Dquarkus.package.jar.type=aot-jar) starts with that AOT cache, as
# Dockerfile.jvm does; if the file does not exist, it is made first by the image's training run
# (serve --exit-when-ready with -XX:AOTCacheOutput), which is not timed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}; port=${PORT:-18081}; cpus=${CPUS:-2}
jar=${JAR:-$here/target/quarkus-app/quarkus-run.jar}; java=${JAVA:-java}
[ -f "$jar" ] || { echo "no $jar: run ./mvnw package -DskipTests first"; exit 1; }
work=$(mktemp -d); trap '[ -n "${pid:-}" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$work/root"
opts=(${JAVA_OPTS:-})
if [ -n "${ORT_LIBS:-}" ]; then
  if [ ! -f "$ORT_LIBS/libonnxruntime.so" ]; then
    mkdir -p "$ORT_LIBS"
    ortjar=$(ls "$(dirname "$jar")"/lib/main/com.microsoft.onnxruntime.onnxruntime*.jar | head -1)
    unzip -q -j -o "$ortjar" 'ai/onnxruntime/native/linux-x64/*' -d "$ORT_LIBS"
  fi
  opts+=("-Donnxruntime.native.path=$ORT_LIBS")
fi
if [ -n "${NATIVE_LIBS:-}" ]; then
  [ -f "$NATIVE_LIBS/libvosk.so" ] || "$here/deploy/native-libs.sh" "$(dirname "$jar")/lib/main" "$NATIVE_LIBS"
  mapfile -t native_opts < <("$here/deploy/native-libs.sh" --options "$NATIVE_LIBS")
  opts+=("${native_opts[@]}")
fi
if [ -n "${AOT_CACHE:-}" ]; then
  # The JVM checks the cache against the class path's files and, when one is newer (a rebuilt jar), only logs an error
  # and starts without it: ready in 3.9-4.2 s instead of 3.0 s on 2026-12-05, measured as the configuration it was not.
  # A cache older than any file of the application is made again.
  if [ -f "$AOT_CACHE" ] && [ -n "$(find "$(dirname "$jar")" -type f -newer "$AOT_CACHE" -print -quit)" ]; then
    echo "the AOT cache $AOT_CACHE is older than the application in $(dirname "$jar"): making it again"
    rm -f "$AOT_CACHE"
  fi
  if [ ! -f "$AOT_CACHE" ]; then
    echo "training run for the AOT cache $AOT_CACHE"
    (cd "$here" && MOODTAG_STORAGE_LOCAL_ROOTS="$work/root" QUARKUS_HTTP_PORT=0 \
      "$java" "${opts[@]}" -XX:AOTCacheOutput="$AOT_CACHE" -jar "$jar" serve --exit-when-ready >"$work/training.log" 2>&1) \
      || { echo "the training run failed"; tail -20 "$work/training.log"; exit 1; }
  fi
  opts+=("-XX:AOTCache=$AOT_CACHE")
fi
pin=(); command -v taskset >/dev/null && [ "$cpus" -gt 0 ] && pin=(taskset -c "0-$((cpus - 1))")
echo "moodtag serve, JVM mode, start to ready: $runs run(s), ${cpus:-all} core(s), $("$java" -version 2>&1 | head -1)"
echo "load before: $(uptime | sed 's/.*load average/load average/')"
# Readiness is polled without starting a process per poll (bash's /dev/tcp, and a read with a timeout as the
# pause): a curl and a sleep every 20 ms took about 0.6 s from a start on 2 cores (2026-12-05: 3.7-3.9 s to ready
# against 3.1-3.2 s polling every 0.2 s), so the figures measured before that date are that much too high.
exec {tick}<> <(:)   # a pipe that never has data: read -t on it waits without a process
ready_now() {
  local fd reply=""
  { exec {fd}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&"$fd"
  IFS= read -r -d '' -t 5 -u "$fd" reply || true
  exec {fd}>&-
  [[ $reply == "HTTP/1."?" 200"* && $reply =~ \"status\":\ *\"UP\" ]]
}
for ((r = 1; r <= runs; r++)); do
  t0=$EPOCHREALTIME
  (cd "$here" && MOODTAG_STORAGE_LOCAL_ROOTS="$work/root" QUARKUS_HTTP_PORT="$port" \
    exec "${pin[@]}" "$java" "${opts[@]}" -jar "$jar" serve >"$work/server.log" 2>&1) &
  pid=$!
  ready=""
  for _ in $(seq 1 3000); do
    if ready_now; then ready=$EPOCHREALTIME; break; fi
    kill -0 "$pid" 2>/dev/null || break
    read -r -t 0.02 -u "$tick" _ || true
  done
  [ -n "$ready" ] || { echo "run $r: not ready"; tail -20 "$work/server.log"; exit 1; }
  if [ -n "${AOT_CACHE:-}" ] && grep -q '\[error *\]\[aot\]' "$work/server.log"; then
    echo "run $r: the JVM did not use the AOT cache $AOT_CACHE, so this is not the configuration asked for:"
    grep '\[aot\]' "$work/server.log" | head -5
    exit 1
  fi
  hwm=$(awk '/VmHWM/ {print $2}' /proc/"$pid"/status); rss=$(awk '/VmRSS/ {print $2}' /proc/"$pid"/status)
  # CPU time until ready (user + system, all threads): steadier than wall time on a shared box
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/"$pid"/stat)
  printf 'run %d: ready in %d ms, CPU %d ms, RSS %d MiB (peak %d MiB)\n' "$r" $(((${ready/./} - ${t0/./}) / 1000)) "$cpu" \
    $((rss / 1024)) $((hwm / 1024))
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
done
echo "load after: $(uptime | sed 's/.*load average/load average/')"
grep -E 'started in|verified|models loaded' "$work/server.log" | tail -2 || true

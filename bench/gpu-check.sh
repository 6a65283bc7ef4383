#!/usr/bin/env bash
# The CUDA check (a benchmark and a verification, not a test): everything a session lent a GPU has to run, in one
# script, so that the only thing left to learn on the device is the device.
#
#   bench/gpu-check.sh bundle [DIR]   on the CPU machine: assemble what the device needs into DIR (default
#                                     .gpu-bundle, git-ignored through .git/info/exclude): a jlink'd Java runtime, the
#                                     built app, ONNX Runtime's CUDA provider from onnxruntime_gpu, the CUDA 12 runtime,
#                                     cuBLAS and cuDNN 9 it loads (org.bytedeco:cuda redist), the pack's model files and
#                                     the samples; slim the GPU code to the device's architecture (fatbin_slim.py),
#                                     then pack it as xz parts of at most PART_MB (default 56, which leaves room for
#                                     the tree) in .gpu-parts/, each small enough to travel in one device call
#   bench/gpu-check.sh receive        on the device: move the parts that this call carried to /root/gpu-parts, where
#                                     they wait, on the warm machine, for the next call and for `run`
#   bench/gpu-check.sh run            on the device (OUT must be set): unpack the parts (checking their sha256), then
#                                     the checks below, everything written under $OUT
#   bench/gpu-check.sh dry-run        on the CPU machine: `run` with the CPU build and OUT=target/gpu-dry-run, so the
#                                     script itself is known to work; `cuda` is still asked for and its refusal recorded
#
# What `run` records (the issue's list): the GPU nvidia-smi sees and the CUDA/cuDNN libraries the loader finds; which
# provider really ran for each encoder (`moodtag embed` with moodtag.onnx.device=cuda, auto and cpu); per-stage
# latency, end-to-end p50/p95 and throughput at concurrency 1/4/16 (`moodtag bench`) on CUDA and on the device's CPU,
# for the shipped pack and, where the paper's architectures can be exported there, FP32 and INT8; cosine of each
# encoder's embedding on CUDA against CPU; whether every pass of a bench gave the same vectors, with the shipped
# CUDA settings and with ONNX Runtime's own (exhaustive cuDNN search, no deterministic compute); start-to-ready with
# CUDA. gpu-table.md is the table for bench/README.md.
#
# Environment: BUNDLE (default .gpu-bundle), DEVICES (default "cpu cuda auto"; dry-run "cpu cuda"), RUNS (20; dry-run 3),
# CONCURRENCY (1,4,16; dry-run 1,4), PAPER=0 skips the paper's architectures, SM (90) the device's architecture,
# CUDA_REDIST (org.bytedeco:cuda version, 12.6-9.5-1.5.11: CUDA 12.6, cuDNN 9.5), STEP_S (300) each step's time limit,
# READY_DEVICES (default DEVICES) where start-to-ready is measured, PAPER_RUNS (5) and PAPER_CONCURRENCY (1,4),
# PAPER_DEVICES (default DEVICES) where the paper's architectures run, ORT_DEFAULTS=0 skips the bench with ONNX
# Runtime's own CUDA settings, EXPORT_S (STEP_S) limits the paper models' export.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-}
carry_limit=$((64 * 1024 * 1024))   # the device tool's limit on what travels in one call (tree + carried paths)

bundle() {
  local dir=${1:-$here/.gpu-bundle} parts=$here/.gpu-parts sm=${SM:-90} redist=${CUDA_REDIST:-12.6-9.5-1.5.11}
  for ignored in /.gpu-bundle/ /.gpu-parts/; do
    grep -qx "$ignored" "$here/.git/info/exclude" 2>/dev/null || echo "$ignored" >>"$here/.git/info/exclude"
  done
  [ -f "$here/target/quarkus-app/quarkus-run.jar" ] || (cd "$here" && ./mvnw -B -q package -DskipTests)
  rm -rf "$dir" "$parts"; mkdir -p "$dir/ort-native" "$dir/cuda-lib" "$dir/models" "$dir/samples" "$parts"
  echo "java runtime (jlink, uncompressed so that xz does better) ..."
  jlink --add-modules java.base,java.logging,java.naming,java.management,java.sql,java.xml,java.desktop,java.net.http,jdk.unsupported,jdk.crypto.ec,java.security.jgss,jdk.zipfs,java.instrument,jdk.management \
    --strip-debug --no-man-pages --no-header-files --compress=0 --output "$dir/jre"
  cp -r "$here/target/quarkus-app" "$dir/app"
  # Natives the device never loads: ONNX Runtime's CPU build (the app loads the GPU build from ort-native through
  # -Donnxruntime.native.path), the tokenizer for other platforms, and Vosk (the device pack has no recogniser:
  # speech-to-text runs on the CPU whatever the device, so it says nothing about CUDA).
  (cd "$dir/app/lib/main" && zip -q -d com.microsoft.onnxruntime.onnxruntime-*.jar 'ai/onnxruntime/native/*' \
    && zip -q -d ai.djl.huggingface.tokenizers-*.jar 'native/lib/win-*' 'native/lib/osx-*' 'native/lib/linux-aarch64/*' \
    && zip -q -d com.alphacephei.vosk-*.jar 'linux-x86-64/libvosk.so')
  local v gpujar cudajar
  v=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' "$here/pom.xml" | head -1)
  gpujar=~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu/$v/onnxruntime_gpu-$v.jar
  [ -f "$gpujar" ] || (cd "$here" && ./mvnw -B -q dependency:get -Dtransitive=false -Dartifact="com.microsoft.onnxruntime:onnxruntime_gpu:$v")
  unzip -q -j -o "$gpujar" 'ai/onnxruntime/native/linux-x64/*' -x '*tensorrt*' -d "$dir/ort-native"
  # The CUDA libraries the provider names (readelf -d) and the cuDNN parts it loads at run time; onnxruntime_gpu is
  # built for CUDA 12, so a CUDA 13 image (the device's) needs them beside it, as a CUDA 12 runtime image would have.
  cudajar=~/.m2/repository/org/bytedeco/cuda/$redist/cuda-$redist-linux-x86_64-redist.jar
  [ -f "$cudajar" ] || (cd "$here" && ./mvnw -B -q dependency:get -Dtransitive=false -Dartifact="org.bytedeco:cuda:$redist:jar:linux-x86_64-redist")
  local lib libs=()
  # cuDNN 9 loads its sub-libraries on demand and fails a convolution graph (CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED)
  # when any engine library is missing, the runtime-compiled one and the NVRTC it compiles with included (seen on
  # the H200 without them).
  for lib in libcudart.so.12 libcublas.so.12 libcublasLt.so.12 libcudnn.so.9 libcudnn_graph.so.9 libcudnn_ops.so.9 \
             libcudnn_cnn.so.9 libcudnn_adv.so.9 libcudnn_heuristic.so.9 libcudnn_engines_precompiled.so.9 \
             libcudnn_engines_runtime_compiled.so.9 libnvrtc.so.12 "libnvrtc-builtins.so.${redist%%-*}"; do
    libs+=("org/bytedeco/cuda/linux-x86_64/$lib")
  done
  unzip -q -j -o "$cudajar" "${libs[@]}" -d "$dir/cuda-lib"
  # The provider names libcurand.so.10 but binds no symbol from it (nm -D --undefined-only): an empty library with
  # that name satisfies the loader and saves 96 MB.
  if nm -D --undefined-only "$dir/ort-native/libonnxruntime_providers_cuda.so" | grep -q curand; then
    unzip -q -j -o "$cudajar" org/bytedeco/cuda/linux-x86_64/libcurand.so.10 -d "$dir/cuda-lib"
  else
    echo 'int moodtag_curand_placeholder;' | gcc -shared -fPIC -Wl,-soname,libcurand.so.10 -x c - -o "$dir/cuda-lib/libcurand.so.10"
  fi
  # The provider is built against a newer CUDA 12 runtime than the registries hold: bench/cuda-shim forwards the
  # runtime entry points it binds and this libcudart lacks to the driver API (run() preloads it). A production
  # image has a runtime new enough instead (deploy/README.md).
  local prov=$dir/ort-native/libonnxruntime_providers_cuda.so missing
  missing=$(comm -23 <(nm -D --undefined-only "$prov" | sed -n 's/^ *U \(.*\)@libcudart\.so\.12$/\1/p' | sort -u) \
    <(nm -D --defined-only "$dir/cuda-lib/libcudart.so.12" | awk '{print $3}' | sed 's/@.*//' | sort -u) | tr '\n' ' ')
  if [ -n "$missing" ]; then
    echo "libcudart.so.12 of $redist lacks what the provider binds: $missing-> bench/cuda-shim"
    gcc -O2 -shared -fPIC -Wl,--version-script="$here/bench/cuda-shim/cudart12_shim.map" \
      -o "$dir/cuda-lib/libcudart12_shim.so" "$here/bench/cuda-shim/cudart12_shim.c" -ldl
  fi
  python3 "$here/bench/fatbin_slim.py" --arch "$sm" "$dir/cuda-lib"/*.so* "$dir/ort-native/libonnxruntime_providers_cuda.so"
  # Model files named by the shipped pack, found as the CLI finds them (models/, target/models, then ../shared/models);
  # the device pack leaves the recogniser out (above).
  python3 - "$here/models/pack.json" "$here/models" "$here/target/models" "$here/../shared/models" "$dir/models" <<'EOF'
import json, os, shutil, sys
manifest, *search, out = sys.argv[1:]
pack = json.load(open(manifest))
pack.pop("transcriber", None)
def files(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("file", "path") and isinstance(v, str): yield v
            else: yield from files(v)
    elif isinstance(node, list):
        for v in node: yield from files(v)
for f in sorted(set(files(pack))):
    src = next((os.path.join(d, f) for d in search if os.path.isfile(os.path.join(d, f))), None)
    if src is None: sys.exit(f"{f}: not found in {search}")
    os.makedirs(os.path.dirname(os.path.join(out, f)), exist_ok=True)
    shutil.copy2(src, os.path.join(out, f))
json.dump(pack, open(os.path.join(out, "pack.json"), "w"), indent=2)
EOF
  cp -r "$here/models/classifier" "$dir/models/"
  cp "$here"/../shared/samples/*.mp4 "$here"/../shared/samples/*.txt "$here"/../shared/samples/*.wav "$dir/samples/" 2>/dev/null || true
  echo; echo "bundle $dir:"
  du -sb "$dir"/* | sort -n -r | awk '{printf "  %8.1f MiB  %s\n", $1 / 1048576, $2}'
  echo "packing into parts of at most ${PART_MB:-56} MiB (xz) ..."
  tar -C "$dir" -cf - . | xz -T0 -6 | split -b "${PART_MB:-56}M" -d -a 2 - "$parts/part-"
  (cd "$parts" && sha256sum part-* >SHA256SUMS)
  local total n
  total=$(cat "$parts"/part-* | wc -c); n=$(ls "$parts"/part-* | wc -l)
  printf '  %8.1f MiB in %d parts (.gpu-parts/); the device tool carries at most %d MiB per call, tree included\n' \
    "$(echo "$total / 1048576" | bc -l)" "$n" $((carry_limit / 1048576))
  echo "  on the device, one call per part: carry .gpu-parts/part-NN (the last call also .gpu-parts/SHA256SUMS) and run"
  echo "  'bash bench/gpu-check.sh receive'; then 'bash bench/gpu-check.sh run'"
}

receive() {
  mkdir -p /root/gpu-parts
  local f moved=0
  for f in "$here"/.gpu-parts/*; do
    [ -f "$f" ] || continue
    mv -f "$f" /root/gpu-parts/ && moved=$((moved + 1))
  done
  echo "received $moved file(s); waiting: $(ls /root/gpu-parts | tr '\n' ' ')"
}

unpack() {  # dir: the parts waiting in /root/gpu-parts, checked, unpacked into dir
  local dir=$1
  [ -d "$dir/app" ] && return 0
  (cd /root/gpu-parts && sha256sum -c --quiet SHA256SUMS) || { echo "parts damaged or missing" >&2; return 1; }
  mkdir -p "$dir"
  cat /root/gpu-parts/part-* | xz -dc -T0 | tar -C "$dir" -xf -
}

run() {
  : "${OUT:?OUT must name the folder the results go to}"
  local b=${BUNDLE:-$here/.gpu-bundle} java=java app ortlib="" devices=${DEVICES:-cpu cuda auto}
  local runs=${RUNS:-20} conc=${CONCURRENCY:-1,4,16} samples="$here/../shared/samples"
  local pack="$here/models/pack.json" search="$here/models,$here/target/models,$here/../shared/models"
  app="$here/target/quarkus-app/quarkus-run.jar"
  if [ ! -d "$b/app" ] && [ -f /root/gpu-parts/SHA256SUMS ]; then
    b=/root/gpu-bundle; echo "== unpacking the parts into $b"; unpack "$b"
  fi
  if [ -d "$b/app" ]; then
    java="$b/jre/bin/java"; app="$b/app/quarkus-run.jar"; ortlib="$b/ort-native"
    samples="$b/samples"; pack="$b/models/pack.json"; search="$b/models"
    # The CUDA 12 libraries the bundle carries, ahead of anything the image has; the driver's libcuda where the
    # image keeps it.
    local ld="$b/cuda-lib:$ortlib"
    [ -d /usr/local/nvidia/lib64 ] && ld="$ld:/usr/local/nvidia/lib64"
    export LD_LIBRARY_PATH="$ld${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    [ -f "$b/cuda-lib/libcudart12_shim.so" ] && export LD_PRELOAD="$b/cuda-lib/libcudart12_shim.so${LD_PRELOAD:+:$LD_PRELOAD}"
  fi
  local step_s=${STEP_S:-300}
  [ -f "$app" ] || { echo "no app at $app: run 'bench/gpu-check.sh bundle' or ./mvnw package -DskipTests" >&2; exit 1; }
  mkdir -p "$OUT"
  local sample
  sample=$(ls "$samples"/*.mp4 | head -1)
  {
    echo "date: $(date -u +%FT%TZ)"; echo "host: $(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
    echo "java: $("$java" -version 2>&1 | head -1)"
    if command -v nvidia-smi >/dev/null; then nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader; else echo "nvidia-smi: not found"; fi
    echo "CUDA/cuDNN libraries the dynamic loader or Python's nvidia packages hold:"
    { ldconfig -p 2>/dev/null | grep -oE 'lib(cudart|cublas|cublasLt|curand|cudnn|cufft)\.so\.[0-9]+' || true
      find / -xdev \( -name 'libcudart.so.*' -o -name 'libcublas.so.*' -o -name 'libcublasLt.so.*' -o -name 'libcudnn.so.*' -o -name 'libcurand.so.*' \) 2>/dev/null | sed 's:.*/::' || true
    } | sort -u | sed 's/^/  /'
    [ -n "$ortlib" ] && { echo "CUDA provider needs:"; readelf -d "$ortlib/libonnxruntime_providers_cuda.so" 2>/dev/null | sed -n 's/.*NEEDED.*\[\(.*\)\]/  \1/p' | grep -E 'cu|nv'; } || true
    [ -n "$ortlib" ] && { echo "how the loader resolves them (LD_LIBRARY_PATH=$LD_LIBRARY_PATH, LD_PRELOAD=${LD_PRELOAD:-}):"; ldd "$ortlib/libonnxruntime_providers_cuda.so" 2>&1 | grep -E 'cu|nv|not found' | sed 's/^\s*/  /'; } || true
  } | tee "$OUT/env.txt"
  local jopts=(-Xmx4g)
  [ -n "$ortlib" ] && jopts+=("-Donnxruntime.native.path=$ortlib")
  mt() {  # device args...: the CLI with the given execution provider, on MANIFEST/PSEARCH (default: the shipped pack)
    local dev=$1; shift
    MOODTAG_PACK_MANIFEST="${MANIFEST:-$pack}" MOODTAG_PACK_SEARCH_PATH="${PSEARCH:-$search}" MOODTAG_ONNX_DEVICE="$dev" \
      timeout "$step_s" "$java" "${jopts[@]}" -jar "$app" "$@"
  }
  # In order of what matters most, each step bounded by STEP_S, so that a slow step costs its own result only.
  for dev in $devices; do
    echo "== embed, device=$dev"
    mt "$dev" embed "$samples" >"$OUT/embed-$dev.txt" 2>"$OUT/embed-$dev.log" && echo "  ok" || echo "  exit $? (see embed-$dev.log)"
    grep -E '^ +[TAV] ' "$OUT/embed-$dev.txt" | head -8 || true
  done
  benchrun() {  # name manifest search device runs concurrency [VAR=value...]: one moodtag bench
    local name=$1 manifest=$2 psearch=$3 dev=$4 n=$5 c=$6; shift 6
    echo "== bench $name, device=$dev ${*:-}"
    ( [ $# -eq 0 ] || export "$@"
      MANIFEST=$manifest PSEARCH=$psearch mt "$dev" bench "$sample" --runs "$n" --warmup 3 --concurrency "$c" \
        --label "$name $dev" --json "$OUT/bench-$name-$dev.json" ) >"$OUT/bench-$name-$dev.txt" 2>"$OUT/bench-$name-$dev.log" \
      && tail -5 "$OUT/bench-$name-$dev.txt" || echo "  exit $? (see bench-$name-$dev.log)"
  }
  for dev in $devices; do
    [ "$dev" = auto ] && continue
    benchrun shipped "$pack" "$search" "$dev" "$runs" "$conc"
  done
  # The same bench with ONNX Runtime's own CUDA settings (exhaustive cuDNN search, no deterministic compute): does
  # the product's choice matter for repeatability, and what does it cost?
  case " $devices ${ORT_DEFAULTS:-1}" in *" cuda "*1)
    benchrun shipped-ort-defaults "$pack" "$search" cuda "$runs" "$conc" \
      MOODTAG_ONNX_CUDA_CONV_ALGO_SEARCH=exhaustive MOODTAG_ONNX_DETERMINISTIC_COMPUTE=false ;;
  esac
  for dev in ${READY_DEVICES:-$devices}; do
    [ "$dev" = auto ] && continue
    echo "== start to ready, device=$dev"
    JAR="$app" JAVA="$java" ORT_LIBS="$ortlib" CPUS=0 MOODTAG_ONNX_DEVICE="$dev" MOODTAG_PACK_MANIFEST="$pack" \
      MOODTAG_PACK_SEARCH_PATH="$search" timeout "$step_s" bash "$here/bench/start-ready.sh" 3 >"$OUT/ready-$dev.txt" 2>&1 \
      && grep '^run' "$OUT/ready-$dev.txt" || echo "  failed (ready-$dev.txt)"
  done
  if [ "${PAPER:-1}" != 0 ]; then
    local paper=${PAPER_MODELS:-$here/bench/.models/paper}
    if [ ! -f "$paper/pack-int8.json" ] && python3 -c 'import torch, transformers, onnx, onnxruntime' 2>/dev/null; then
      echo "== exporting the paper's architectures (random weights) to $paper"
      local tok="$OUT/tokenizer.json"
      cp "$(dirname "$pack")/text/bge-small-en-v1.5-q-tokenizer.json" "$tok" 2>/dev/null \
        || cp "$here/target/models/text/bge-small-en-v1.5-q-tokenizer.json" "$tok"
      timeout "${EXPORT_S:-$step_s}" python3 "$here/bench/export_paper_models.py" "$paper" "$tok" >"$OUT/export.log" 2>&1 || echo "  export failed (export.log)"
    fi
    if [ -f "$paper/pack-int8.json" ]; then
      for precision in fp32 int8; do
        for dev in ${PAPER_DEVICES:-$devices}; do
          [ "$dev" = auto ] && continue
          benchrun "paper-$precision" "$paper/pack-$precision.json" "$paper" "$dev" "${PAPER_RUNS:-5}" "${PAPER_CONCURRENCY:-1,4}"
        done
      done
    else
      echo "== paper's architectures: not available here (no bench/.models/paper, and no torch+transformers to export them)"
    fi
  fi
  python3 - "$OUT" $devices <<'EOF' | tee "$OUT/gpu-table.md"
import glob, json, math, os, sys
out, devices = sys.argv[1], [d for d in sys.argv[2:] if d != "auto"]
def load(p):
    try: return json.load(open(p))
    except (OSError, ValueError): return None
def cos(a, b):
    d = sum(x * y for x, y in zip(a, b)); n = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return d / n if n else float("nan")
runs = {}  # (name, device) -> result, from bench-NAME-DEVICE.json
for p in glob.glob(os.path.join(out, "bench-*.json")):
    base = os.path.basename(p)[len("bench-"):-len(".json")]
    name, dev = base.rsplit("-", 1)
    runs[(name, dev)] = load(p)
names = sorted({n for n, _ in runs})
print("| pack | device | provider per encoder | stage p50 (ms) | e2e p50 / p95 (ms) | throughput/s at concurrency | load (ms) | distinct vectors per encoder (passes) |")
print("|---|---|---|---|---|---|---|---|")
for n in names:
    for d in devices:
        r = runs.get((n, d))
        if (n, d) not in runs: continue
        if not r: print(f"| {n} | {d} | (no result) | | | | | |"); continue
        st = r["stages"]
        prov = ", ".join(f"{k}: {v.get('provider', '?')}" for k, v in st.items() if "provider" in v)
        stages = ", ".join(f"{k} {v['p50']:.1f}" for k, v in st.items())
        tp = ", ".join(f"{c}: {t:.1f}" for c, t in r["throughput"].items())
        rep = r.get("repeatability", {})
        distinct = ", ".join(f"{k} {v}" for k, v in rep.get("distinctVectors", {}).items())
        print(f"| {n} | {d} | {prov} | {stages} | {r['e2e']['p50']:.1f} / {r['e2e']['p95']:.1f} | {tp} "
              f"| {r['loadMs']:.0f} | {distinct} ({rep.get('passes', '?')}) |")
print("\ncosine of each encoder's embedding against the CPU run of the same pack (same file):\n")
for (n, d), r in sorted(runs.items()):
    base = runs.get((n.replace("-ort-defaults", ""), "cpu"))
    if d == "cpu" or not base or not r: continue
    c = {k: cos(v, r["embeddings"][k]) for k, v in base["embeddings"].items() if k in r["embeddings"]}
    print(f"- {n}, {d}: " + ", ".join(f"{k} {v:.6f}" for k, v in c.items()))
EOF
}

case "$mode" in
  bundle) shift; bundle "$@" ;;
  receive) receive ;;
  run) run ;;
  dry-run)
    OUT=${OUT:-$here/target/gpu-dry-run} BUNDLE=/nonexistent DEVICES=${DEVICES:-cpu cuda} RUNS=${RUNS:-3} \
      CONCURRENCY=${CONCURRENCY:-1,4} run ;;
  *) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

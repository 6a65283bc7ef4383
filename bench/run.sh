#!/usr/bin/env bash
# The performance benchmark (prints figures, never fails on them): moodtag with the shipped pack, moodtag with the
# paper's architectures (BERT-base, wav2vec2-base, VideoMAE-base 16x224², random weights) in FP32 and INT8, and the
# peer (the same architectures in transformers + PyTorch FP32, as a Python user runs them), on the same utterance,
# each in its own process, on the same 2 CPUs (the paper parts and the peer with 2 threads each), then one table with
# ratios and embedding cosines.
#   bench/run.sh [media-file=../shared/samples/01-01-01-01-01-01-01.mp4]
# Env: RUNS (timed runs, default 20), WARMUP (3), CONCURRENCY (1,2,4), THREADS (2, the paper parts and the peer;
# SHIPPED_THREADS sets the shipped pack's, default the product's own), ROUNDS (3: interleaved rounds of
# moodtag INT8 and the peer at concurrency 1 after the four parts, ROUND_RUNS timed runs each, default 8; 0 skips them;
# the 2x target is judged on their median ratio, since this kind of machine drifts between parts), BENCH_VENV (Python venv with
# torch, transformers, onnx, onnxruntime, av; default bench/.venv, created from the machine's configured package
# index when missing; PIP_ARGS adds pip options, e.g. the local wheel mirror's --index-url). Models go to bench/.models/ and results to bench/.results/ (both ignored by git).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
file=$(realpath "${1:-$here/../shared/samples/01-01-01-01-01-01-01.mp4}")
runs=${RUNS:-20}; warmup=${WARMUP:-3}; conc=${CONCURRENCY:-1,2,4}; threads=${THREADS:-2}
rounds=${ROUNDS:-3}; round_runs=${ROUND_RUNS:-8}
venv=${BENCH_VENV:-$here/bench/.venv}
models=$here/bench/.models/paper
results=$here/bench/.results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$results"

if [ ! -x "$venv/bin/python" ]; then
  echo "creating $venv (Python is for this benchmark only) ..." >&2
  python3 -m venv "$venv"
  # shellcheck disable=SC2086 # PIP_ARGS holds several options
  "$venv/bin/pip" install -q ${PIP_ARGS:-} torch transformers onnx onnxruntime numpy av >&2
fi
py="$venv/bin/python"

"$here/moodtag" --version >/dev/null 2>&1   # builds the jar if needed, outside the timing
if [ ! -f "$models/pack-int8.json" ]; then
  echo "exporting the paper's architectures with random weights to $models ..." >&2
  cp "$here/target/models/text/bge-small-en-v1.5-q-tokenizer.json" "$results/tokenizer.json"   # unpacked by the build
  "$py" "$here/bench/export_paper_models.py" "$models" "$results/tokenizer.json" >&2
fi

# 2 threads for both sides of the comparison: ONNX Runtime intra-op threads per session, torch.set_num_threads for
# the peer; and both on the same 2 CPUs. The shipped pack, which has no peer, runs with the product's own settings
# (one intra-op thread per session) unless SHIPPED_THREADS says otherwise.
cpus=0-$(( $(nproc) < 2 ? 0 : 1 ))
load() { echo "$(date -u +%H:%M:%S) load average: $(cut -d' ' -f1-3 /proc/loadavg)"; }
moodtag() {  # label manifest search-path out [runs concurrency]; intra-op threads: $part_threads, else the product default
  local thread_env=()
  [ -n "${part_threads:-}" ] && thread_env=("MOODTAG_ONNX_INTRA_OP_THREADS=$part_threads")
  env "${thread_env[@]}" MOODTAG_PACK_MANIFEST="$2" MOODTAG_PACK_SEARCH_PATH="$3" MOODTAG_ONNX_DEVICE=cpu \
    taskset -c "$cpus" "$here/moodtag" bench "$file" --runs "${5:-$runs}" --warmup "$warmup" --concurrency "${6:-$conc}" \
    --label "$1" --json "$4" 2>"$4.log" | sed 's/^/  /'
}
peer() {  # out [runs concurrency]
  taskset -c "$cpus" "$py" "$here/bench/peer.py" "$models" "$file" --json "$1" --threads "$threads" \
    --runs "${2:-$runs}" --warmup "$warmup" --concurrency "${3:-$conc}" 2>"$1.log" | sed 's/^/  /'
}
{
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo), java $(java -version 2>&1 | head -1 | cut -d'"' -f2)"
  echo "input: $file; $runs timed runs after $warmup warm-up; $threads threads per side on CPUs $cpus"
  load
  part_threads=${SHIPPED_THREADS:-} moodtag "shipped pack" "$here/models/pack.json" "$here/models,$here/target/models,$here/../shared/models" "$results/shipped.json"; load
  part_threads=$threads moodtag "paper INT8" "$models/pack-int8.json" "$models" "$results/paper-int8.json"; load
  peer "$results/peer.json"; load
  part_threads=$threads moodtag "paper FP32" "$models/pack-fp32.json" "$models" "$results/paper-fp32.json"; load
  round_files=()
  for ((r = 1; r <= rounds; r++)); do
    echo "  interleaved round $r of $rounds"
    part_threads=$threads moodtag "paper INT8, round $r" "$models/pack-int8.json" "$models" "$results/round-$r-int8.json" "$round_runs" 1
    peer "$results/round-$r-peer.json" "$round_runs" 1; load
    round_files+=("$results/round-$r-int8.json" "$results/round-$r-peer.json")
  done
  echo
  "$py" "$here/bench/report.py" "$results/shipped.json" "$results/paper-fp32.json" "$results/paper-int8.json" \
    "$results/peer.json" "${round_files[@]}"
} | tee "$results/report.md"
echo "(results in $results)"

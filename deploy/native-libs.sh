#!/usr/bin/env bash
# Takes the native libraries moodtag loads out of their jars, once, into one folder, so that nothing is extracted at
# run time:
#   deploy/native-libs.sh LIB_DIR OUT_DIR
# LIB_DIR holds the application's jars (target/quarkus-app/lib/main, or a native build's *-native-image-source-jar/lib);
# OUT_DIR gets ONNX Runtime's libraries, libvosk.so, JNA's libjnidispatch.so, libtokenizers.so, and FFmpeg's and
# JavaCPP's (x86-64 Linux). Start the JVM (or the native executable) with, DIR being OUT_DIR as seen at run time:
#   -Donnxruntime.native.path=DIR -Djna.boot.library.path=DIR -Djna.library.path=DIR
#   -DRUST_LIBRARY_PATH=DIR/libtokenizers.so -Djava.library.path=DIR -Dorg.bytedeco.javacpp.pathsFirst=true
# (DJL 0.36 accepts only the library's file in RUST_LIBRARY_PATH: a folder fails with a NullPointerException on a CPU
# machine.) Without them, every start inflates about 40 MB of libraries into the temporary folder, the JNA cache and
# DJL_CACHE_DIR, and the first decode another 65 MB into JavaCPP's cache (on a container's tmpfs, memory): about 0.3 s
# of a 2-core start and 0.35 s of the first request (README, *Start-up*).
#   deploy/native-libs.sh --options DIR    prints those options for DIR, one per line (.ci/native-sources-check.sh
#                                          checks that both images and the edge unit pass each; bench/start-ready.sh
#                                          takes them from here)
set -euo pipefail
if [ "${1:-}" = --options ] && [ $# -eq 2 ]; then
  printf '%s\n' "-Donnxruntime.native.path=$2" "-Djna.boot.library.path=$2" "-Djna.library.path=$2" \
    "-DRUST_LIBRARY_PATH=$2/libtokenizers.so" "-Djava.library.path=$2" "-Dorg.bytedeco.javacpp.pathsFirst=true"
  exit 0
fi
[ $# -eq 2 ] || { echo "usage: $0 LIB_DIR OUT_DIR | --options DIR" >&2; exit 2; }
lib=$(cd "$1" && pwd); out=$2
mkdir -p "$out"
one() { # the single jar in $lib whose name matches the glob $1
  local found=("$lib"/$1)
  [ ${#found[@]} -eq 1 ] && [ -f "${found[0]}" ] || { echo "$0: expected one $1 in $lib, found: ${found[*]}" >&2; exit 1; }
  printf '%s' "${found[0]}"
}
take() { # take JAR PATH...: the files at these paths (a file, or every file of a folder), without their folders
  local jar=$1; shift
  local tmp; tmp=$(mktemp -d)
  if command -v unzip >/dev/null; then
    local p pats=(); for p in "$@"; do pats+=("$p" "$p/*"); done
    unzip -q -o "$jar" "${pats[@]}" -d "$tmp" 2>/dev/null || [ $? -eq 11 ]   # 11: a pattern matched nothing
  else
    (cd "$tmp" && jar xf "$jar" "$@")
  fi
  local n; n=$(find "$tmp" -type f | wc -l)
  [ "$n" -gt 0 ] || { echo "$0: nothing at $* in $jar" >&2; rm -rf "$tmp"; exit 1; }
  find "$tmp" -type f -exec mv -f {} "$out/" \;
  rm -rf "$tmp"
}
# ONNX Runtime: every library of its folder (the GPU jar adds the CUDA provider's).
take "$(one 'com.microsoft.onnxruntime.onnxruntime*.jar')" ai/onnxruntime/native/linux-x64
take "$(one 'com.alphacephei.vosk-*.jar')" linux-x86-64/libvosk.so
take "$(one 'net.java.dev.jna.jna-*.jar')" com/sun/jna/linux-x86-64/libjnidispatch.so
take "$(one 'ai.djl.huggingface.tokenizers-*.jar')" native/lib/linux-x86_64/cpu/libtokenizers.so
# FFmpeg and JavaCPP: every library of their platform folders (JavaCPP loads them from java.library.path first with
# pathsFirst), without FFmpeg's own executables, which moodtag does not run.
take "$(one 'org.bytedeco.ffmpeg-*-linux-x86_64.jar')" org/bytedeco/ffmpeg/linux-x86_64
take "$(one 'org.bytedeco.javacpp-*-linux-x86_64.jar')" org/bytedeco/javacpp/linux-x86_64
rm -f "$out/ffmpeg" "$out/ffprobe"

#!/usr/bin/env bash
# Generates the native-image inputs without building the executable (no GraalVM/Mandrel here) and checks the
# GENERATED files for the ONNX Runtime, JavaCPP/FFmpeg, tokenizers, picocli and Jackson registrations
# (.ci/NativeSourcesCheck.java). The real native build is Dockerfile.native, on a machine with a container engine.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests
lib=target/native-sources/lib
cp=$(ls "$lib"/com.fasterxml.jackson.core.jackson-{databind,core,annotations}-*.jar | tr '\n' ':')
java -cp "$cp" .ci/NativeSourcesCheck.java target/native-sources models/pack.json
# Dockerfile.native takes the native libraries out of the native build's jars with deploy/native-libs.sh: each jar
# must be there once, and each library must come out.
libs=$(mktemp -d); trap 'rm -rf "$libs"' EXIT
deploy/native-libs.sh "$lib" "$libs"
for f in libonnxruntime.so libonnxruntime4j_jni.so libvosk.so libjnidispatch.so libtokenizers.so libjnijavacpp.so \
         libjniavformat.so libavformat.so.62 libjniswresample.so libjniswscale.so; do
  [ -s "$libs/$f" ] || { echo "native-sources check: deploy/native-libs.sh gave no $f from $lib"; exit 1; }
done
echo "native-sources check: deploy/native-libs.sh took the native libraries out of $lib ($(ls "$libs" | wc -l) files)"
# ... and every place that starts moodtag with that folder passes each of the script's options for it.
missing=0
for spec in Dockerfile.jvm:/app/lib Dockerfile.native:/app/lib deploy/edge/moodtag.env:/opt/moodtag/lib; do
  file=${spec%%:*}; dir=${spec#*:}
  while IFS= read -r opt; do
    grep -qF -- "$opt" "$file" || { echo "native-sources check: $file does not pass $opt"; missing=1; }
  done < <(deploy/native-libs.sh --options "$dir")
done
[ $missing -eq 0 ] || exit 1
echo "native-sources check: both images and the edge unit pass every native-library option"

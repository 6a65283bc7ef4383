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

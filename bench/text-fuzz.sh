#!/usr/bin/env bash
# Fuzz campaign over transcripts (TextFuzz, a test-scope main, not a test): hostile sidecars of every format the README
# lists (.txt, .srt, .vtt, .json) mutated by family, and inline text, each through the transcript chain and the real text
# encoder, recording outcome, time and peak memory; then the texts again with four in flight (bit-identical vectors), and
# with `e2e` a sample of the sidecars beside copies of the shared sample film through `./moodtag embed` and `./moodtag
# tag` (one and four workers). Writes cases.tsv (a row per case), findings/ and summary.md to the work folder.
#   bench/text-fuzz.sh [WORK] [SEED] [e2e]   defaults: a new temporary folder, 1, no command-line part
#   JAVA_OPTS adds system properties: -Dfuzz.e2e.per=3 (sidecars per family and format taken to the command line)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}; seed=${2:-1}; e2e=${3:-}
mkdir -p "$work"
(cd "$here" && ./mvnw -B -q -o package -DskipTests && ./mvnw -B -q -o test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
rm -rf "$work/classes" "$work/test-classes"
cp -r "$here/target/classes" "$work/classes"; cp -r "$here/target/test-classes" "$work/test-classes"
echo "fuzzing into $work" >&2
cd "$here"
exec nice -n 10 java -Xmx1g ${JAVA_OPTS:-} -cp "$work/test-classes:$work/classes:$(cat "$work/cp.txt")" \
  dev.moodtag.media.TextFuzz "$work" "$seed" $e2e

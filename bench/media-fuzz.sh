#!/usr/bin/env bash
# Mutation fuzz over the decoder (MediaFuzz, a test-scope main, not a test): mutates small seed files of every container
# the tagger takes, decodes each mutant as the tagger does in a child JVM (-Xmx256m) under a wall limit, one child at a
# time, and writes cases.tsv (a row per case), findings/ (each input that was not "ok or a clear MediaException within
# bounds") and summary.md (outcomes per container) to the work folder.
#   bench/media-fuzz.sh [WORK] [CASES] [SEED] [MINUTES]   defaults: a new temporary folder, 0 (no limit), 1, 40
#   WORK keeps its seeds/ (written once: muxers write random identifiers), so a campaign's cases can be replayed:
#   java -cp "WORK/test-classes:WORK/classes:$(cat WORK/cp.txt)" dev.moodtag.media.MediaFuzz replay WORK SEED CASE OUT
#   JAVA_OPTS adds system properties: -Dfuzz.xmx=256m -Dfuzz.base.ms=10000 -Dfuzz.wall.s=45 -Dfuzz.rise.mb=200
#   -Dfuzz.only=REGEX (seed file names)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}; cases=${2:-0}; seed=${3:-1}; minutes=${4:-40}
mkdir -p "$work"
(cd "$here" && ./mvnw -B -q -o test-compile dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" -Dmdep.includeScope=test)
# The campaign runs on a copy of the classes, so that rebuilding the project while it runs changes nothing it decodes
rm -rf "$work/classes" "$work/test-classes"
cp -r "$here/target/classes" "$work/classes"; cp -r "$here/target/test-classes" "$work/test-classes"
echo "fuzzing into $work" >&2
cd "$here"
# nice: the campaign shares the machine; one child at a time
exec nice -n 10 java -Xmx512m ${JAVA_OPTS:-} -cp "$work/test-classes:$work/classes:$(cat "$work/cp.txt")" \
  dev.moodtag.media.MediaFuzz "$work" "$cases" "$seed" "$minutes"

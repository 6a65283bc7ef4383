#!/usr/bin/env bash
# What `moodtag status` costs per object, not a test: N empty .wav files with no result (pending), and N with a current
# result each (tagged), each folder looked at by `moodtag status` in its own JVM: wall, CPU and peak RSS, and with
# STRACE=1 a second run under `strace -c -f` for the syscalls (the slowest part of a local status is the file system).
#   bench/status-cost.sh     N (default 100000), KEEP=1 keeps the folders, INPUTS=DIR reuses ones made before,
#                            STRACE=1 adds the syscall counts, JAVA_OPTS passed on, MOODTAG=CMD runs another build
#                            (e.g. "java -jar /tmp/old/quarkus-run.jar", the pack settings as ./moodtag sets them)
# The tagged folder's results are one real result (`moodtag tag` of one empty .wav: an error result, current like any
# other) copied per file with its source fields (name, time, inode:ctime) made that file's, as tag would write them.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
n=${N:-100000}
work=${INPUTS:-$(mktemp -d)}
[ -n "${KEEP:-}${INPUTS:-}" ] && echo "folders kept in $work" >&2 || trap 'rm -rf "$work"' EXIT
"$here/moodtag" --version >/dev/null   # builds the jar if needed, outside the timing
export MOODTAG_PACK_MANIFEST="${MOODTAG_PACK_MANIFEST:-$here/models/pack.json}"
export MOODTAG_PACK_SEARCH_PATH="${MOODTAG_PACK_SEARCH_PATH:-$here/models,$here/target/models,$here/../shared/models}"
read -r -a moodtag <<<"${MOODTAG:-$here/moodtag}"

if [ ! -d "$work/tagged" ]; then
  mkdir -p "$work/template" "$work/pending" "$work/tagged"
  : >"$work/template/x.wav"
  "$here/moodtag" tag "$work/template" --out "$work/template-out" >/dev/null 2>&1 || true
  python3 - "$work" "$n" <<'EOF'
import json, os, sys
work, n = sys.argv[1], int(sys.argv[2])
template = json.load(open(os.path.join(work, "template", "x.wav.emotion.json")))
when = 1_780_000_000  # whole seconds: Java's Instant.toString of such a time has no fraction to spell
stamp = __import__("datetime").datetime.fromtimestamp(when, __import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
for kind in ("pending", "tagged"):
    d = os.path.join(work, kind)
    for i in range(n):
        f = os.path.join(d, "u%06d.wav" % i)
        open(f, "wb").close()
        if kind != "tagged":
            continue
        os.utime(f, ns=(when * 10**9, when * 10**9))
        st = os.stat(f)
        src = template["source"]
        src.update(uri="file://" + f, container=d, key=os.path.basename(f), lastModified=stamp,
                   fileVersion="%d:%d" % (st.st_ino, st.st_ctime_ns))
        with open(f + ".emotion.json", "w") as out:
            json.dump(template, out, indent=2)
EOF
fi

for kind in pending tagged; do
  out=$(mktemp -d)
  /usr/bin/time -f "$kind: wall %e s, user %U s, sys %S s, peak RSS %M kB" "${moodtag[@]}" status "$work/$kind" \
      --out "$out" 2>&1 | grep -E "object\(s\)|wall" >&2 || true
  if [ -n "${STRACE:-}" ]; then
    strace -c -f -o "$work/strace-$kind.txt" "${moodtag[@]}" status "$work/$kind" --out "$out" >/dev/null 2>&1 || true
    echo "$kind under strace -c -f (top 8 by calls):" >&2
    awk 'NR>2 && $1 !~ /^-/ {print}' "$work/strace-$kind.txt" | grep -v total | sort -k4 -n -r | head -8 >&2
    grep total "$work/strace-$kind.txt" >&2
  fi
  rm -rf "$out"
done

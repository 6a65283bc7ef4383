#!/usr/bin/env bash
# Runs the edge box install of deploy/README.md (*Edge box*) as written, into a scratch root instead of /, then starts
# the installed jar with the installed moodtag.env's JAVA_OPTS and pack settings until its models are loaded
# (serve --exit-when-ready: the pack verified, every model loaded), and embeds one recording with it (FFmpeg loaded).
# Lines that need root or systemd (useradd, chown, systemctl) are skipped; every path under /opt, /etc, /srv and
# /var/cache moves under the scratch root. Also checks that nothing extracted a native library into the temporary
# folder, the JNA cache, DJL's or JavaCPP's cache: the install put them in /opt/moodtag/lib. Needs target/quarkus-app
# (./mvnw package) and ../shared/samples.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/quarkus-app/quarkus-run.jar ] || { echo "edge-install-check: build first (./mvnw package)"; exit 1; }
root=$(mktemp -d); trap 'rm -rf "$root"' EXIT
relocate() { sed -e "s#/opt/moodtag#$root/opt/moodtag#g" -e "s#/etc/moodtag#$root/etc/moodtag#g" \
  -e "s#/srv/moodtag#$root/srv/moodtag#g" -e "s#/etc/systemd/system#$root/etc/systemd/system#g" \
  -e "s#/var/cache/moodtag#$root/var/cache/moodtag#g"; }
# The first bash block after the heading, as a reader would copy it.
steps=$(awk '/^## Edge box/ {s = 1} s && /^```bash/ {b = 1; next} b && /^```/ {exit} b' deploy/README.md)
[ -n "$steps" ] || { echo "edge-install-check: no install block under '## Edge box' in deploy/README.md"; exit 1; }
script=$(printf '%s\n' "$steps" | grep -vE '^(useradd|chown|systemctl) ' | relocate)
mkdir -p "$root/etc/systemd/system" "$root/tmp" "$root/home"
echo "edge-install-check: install steps (relocated to $root):"; printf '%s\n' "$script" | sed 's/^/  /'
bash -euo pipefail -c "$script"

# moodtag.env is a systemd EnvironmentFile (KEY=value, no shell quoting): read it as systemd does.
env_args=()
while IFS= read -r line; do
  [[ $line =~ ^[A-Z_][A-Z0-9_]*= ]] && env_args+=("$line")
done < <(relocate < "$root/etc/moodtag/moodtag.env")
java_opts=$(printf '%s\n' "${env_args[@]}" | sed -n 's/^JAVA_OPTS=//p')
mkdir -p "$root/var/cache/moodtag" "$root/srv/moodtag/inbox" "$root/srv/moodtag/outbox"
installed() { # the installed jar, as the unit runs it (environment file, JAVA_OPTS, working directory)
  (cd "$root/opt/moodtag" && env -i PATH="$PATH" HOME="$root/home" "${env_args[@]}" QUARKUS_HTTP_PORT=0 \
    java $java_opts -Djava.io.tmpdir="$root/tmp" -Duser.home="$root/home" \
    -jar "$root/opt/moodtag/quarkus-app/quarkus-run.jar" "$@")
}
rc=0; installed serve --exit-when-ready > "$root/start.log" 2>&1 || rc=$?
grep -E 'moodtag serve|models loaded|failed' "$root/start.log" | sed 's/^/  /' || true
[ $rc -eq 0 ] || { echo "edge-install-check: FAILED: the installed edge box did not load its models (exit $rc)"; tail -30 "$root/start.log"; exit 1; }
# One recording decoded and embedded, so that FFmpeg's libraries are loaded too
sample=$(cd ../shared/samples && pwd)/03b01Wa.wav
rc=0; installed embed "$sample" > "$root/embed.log" 2>&1 || rc=$?
[ $rc -eq 0 ] && grep -q 'speech-oww-embedding' "$root/embed.log" \
  || { echo "edge-install-check: FAILED: the installed box did not embed $sample (exit $rc)"; tail -30 "$root/embed.log"; exit 1; }
extracted=$(find "$root/tmp" "$root/home" "$root/var/cache/moodtag" -name '*.so*' -o -name 'jna*.tmp' | sed "s#$root##")
[ -z "$extracted" ] || { echo "edge-install-check: FAILED: native libraries extracted at start:"; echo "$extracted"; exit 1; }
echo "edge-install-check: OK (the installed box loaded its models and embedded a recording; no native library extracted)"

#!/usr/bin/env bash
# Renders a moodtag HTML report (moodtag tag --out DIR writes DIR/report.html) in headless Chromium and saves a
# screenshot, to check by eye that plots, counts and failures show. Exits 0 with a message when no Chromium exists
# (Debian: apt-get install chromium-headless-shell, or chromium).
#   bench/render-report.sh REPORT.html [SHOT.png] [WIDTHxHEIGHT=1000x1800]
set -euo pipefail
report=$(realpath "$1"); shot=${2:-${report%.html}.png}; size=${3:-1000x1800}
browser=""
for b in chromium-headless-shell chromium chromium-browser google-chrome headless_shell; do
  if command -v "$b" >/dev/null 2>&1; then browser=$(command -v "$b"); break; fi
done
if [ -z "$browser" ]; then
  echo "render-report: skipped, no Chromium found (tried chromium-headless-shell, chromium, chromium-browser, google-chrome)"
  exit 0
fi
# The report is self-contained, so the network is switched off: anything it tried to fetch would not show.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --proxy-server=127.0.0.1:9 \
  --window-size="${size/x/,}" --screenshot="$shot" "file://$report" >/dev/null 2>&1
echo "render-report: $shot ($(stat -c %s "$shot") bytes) from $report with $("$browser" --version 2>/dev/null || echo "$browser")"

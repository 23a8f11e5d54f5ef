#!/usr/bin/env bash
# Resident memory of the release app with a year of speeches open (2,500 documents, 20,000
# annotations), in a virtual X display: opens the workspace, shows documents, opens the
# corpus desk (View → Across documents) and its tabs.
# Usage: YINWEN_BENCH_KEEP=/tmp/corpus cargo bench --bench corpus   (writes /tmp/corpus/year.ron)
#        benches/rss-corpus.sh /tmp/corpus/year.ron   (needs Xvfb and xdotool; cargo build --release first)
set -eu
cd "$(dirname "$0")/.."
ws=${1:?usage: benches/rss-corpus.sh WORKSPACE.ron}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $xvfb $app 2>/dev/null || true' EXIT
Xvfb :78 -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
mkdir -p "$tmp/cfg"
printf '(welcomed: true, language: Some(English))\n' > "$tmp/cfg/settings.ron"
YINWEN_CONFIG_DIR="$tmp/cfg" DISPLAY=:78 target/release/yinwen "$ws" >/dev/null 2>&1 & app=$!
sleep 8
echo "after opening:"; grep -E 'VmRSS|VmHWM' /proc/$app/status
# click through documents of the list on the left, and scroll the text
for y in 120 160 200 240 280 320 360 400; do
  DISPLAY=:78 xdotool mousemove 100 $y click 1 >/dev/null 2>&1 || true; sleep 0.3
done
DISPLAY=:78 xdotool mousemove 700 400 click --repeat 40 --delay 20 5 >/dev/null 2>&1 || true
sleep 1
echo "after reading documents:"; grep -E 'VmRSS|VmHWM' /proc/$app/status

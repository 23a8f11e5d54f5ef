#!/usr/bin/env bash
# Resident memory of the release app with a ~1 MB speech open, in a virtual X display.
# Usage: benches/rss.sh   (needs Xvfb; build with cargo build --release first)
set -eu
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; kill $xvfb $app 2>/dev/null || true' EXIT
for i in 1 2 3 4 5 6; do
  cat sample_data/changchun-community-2007.txt tests/data/cpc17_report_2007_hu_jintao.txt \
      tests/data/cpc19_report_2017_xi_jinping.txt
done > "$tmp/speech-1mb.txt"
echo "document: $(wc -c < "$tmp/speech-1mb.txt") bytes"
Xvfb :77 -screen 0 1400x900x24 -nolisten tcp >/dev/null 2>&1 & xvfb=$!
sleep 1
YINWEN_CONFIG_DIR="$tmp/cfg" DISPLAY=:77 target/release/yinwen "$tmp/speech-1mb.txt" >/dev/null 2>&1 & app=$!
sleep 6
# scroll through it to lay out and rasterise more text
DISPLAY=:77 xdotool mousemove 600 400 click --repeat 60 --delay 20 5 >/dev/null 2>&1 || true
sleep 2
grep -E 'VmRSS|VmHWM' /proc/$app/status

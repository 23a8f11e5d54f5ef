#!/usr/bin/env bash
# Whole-process detection speed: `yinwen detect --json` against the naive regex yardstick
# (../shared/tools/naive_detect.py) on the shared corpus's UTF-8 texts concatenated four
# times (about 2.8 MB), in the same run, median of 7 runs each.
# Usage: benches/detect-vs-naive.sh   (build with cargo build --release first)
set -eu
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus}
naive=${NAIVE:-../shared/tools/naive_detect.py}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in 1 2 3 4; do
  for f in "$corpus"/*.txt; do
    case "$f" in *.gbk.txt) continue ;; esac
    cat "$f"
  done
done > "$tmp/corpus-x4.txt"
bytes=$(wc -c < "$tmp/corpus-x4.txt")
echo "input: $bytes bytes"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
run() { # prints seconds for one whole run of "$@"
  local s e
  s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N)
  echo "$e - $s" | bc -l
}
for i in 1 2 3 4 5 6 7; do run target/release/yinwen detect "$tmp/corpus-x4.txt" --json; done | median > "$tmp/y"
for i in 1 2 3 4 5 6 7; do run python3 "$naive" "$tmp/corpus-x4.txt"; done | median > "$tmp/n"
y=$(cat "$tmp/y"); n=$(cat "$tmp/n")
printf 'yinwen detect --json: %.1f ms (%.1f ms per MB, whole process)\n' "$(echo "$y*1000" | bc -l)" "$(echo "$y*1000*1000000/$bytes" | bc -l)"
printf 'naive_detect.py:      %.1f ms\n' "$(echo "$n*1000" | bc -l)"
printf 'ratio naive / yinwen: %.2f\n' "$(echo "$n/$y" | bc -l)"

#!/bin/sh
# Generates every full-size bomb of issue 24 (examples/bombs.rs) into a temp dir and runs
# `yinwen import` on each under /usr/bin/time -v: exit code, max RSS, wall time and the
# message. Goal: every bomb under 1 GB RSS and 10 s, with a clear message.
#
#   tests/bombs/measure.sh            # builds and measures the debug binary
#   PROFILE=release tests/bombs/measure.sh
#
# Uses $CARGO_TARGET_DIR (default target). Each case is cut off after $LIMIT seconds
# (default 300).
set -eu
cd "$(dirname "$0")/../.."
profile=${PROFILE:-debug}
target=${CARGO_TARGET_DIR:-target}
limit=${LIMIT:-300}
if [ "$profile" = release ]; then
    cargo build --quiet --release --bin yinwen --example bombs
else
    cargo build --quiet --bin yinwen --example bombs
fi
bin="$target/$profile/yinwen"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/in"
"$target/$profile/examples/bombs" "$dir/in" >"$dir/sizes"
printf '%-30s %10s %5s %9s %8s  %s\n' case "file" exit "max RSS" wall message
for f in "$dir"/in/*; do
    name=$(basename "$f")
    size=$(wc -c <"$f")
    rm -f "$dir/out.ron"
    set +e
    /usr/bin/time -v -o "$dir/time" timeout "$limit" "$bin" import "$f" -o "$dir/out.ron" \
        >"$dir/stdout" 2>"$dir/stderr"
    code=$?
    set -e
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f MB", $2/1024}' "$dir/time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$dir/time")
    msg=$(cat "$dir/stderr" "$dir/stdout" | grep -v "^$" | head -n 1 | sed "s|$dir/in/||" | cut -c1-160)
    [ "$code" = 124 ] && msg="(cut off after $limit s) $msg"
    printf '%-30s %10s %5s %9s %8s  %s\n' "$name" "$size" "$code" "$rss" "$wall" "$msg"
done

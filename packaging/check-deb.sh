#!/usr/bin/env bash
# Builds the Debian package from the release binary and checks it on this machine, as a user
# would meet it: installs it (with its dependencies, through apt), validates the menu entry,
# asks the desktop which type a workspace is and which program opens it, runs the entry's Exec
# line on a workspace under a virtual display, runs `yinwen --version` from /usr/bin, removes
# the package and checks nothing is left behind. Needs root and apt-get (CI on Debian); prints
# why and exits 0 where that is not so. Any failed check exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "package check skipped: needs root and apt-get"
  exit 0
fi
step() { echo; echo "== $*"; }

step "tools: cargo-deb, desktop-file-utils, xdg-utils, shared-mime-info, xvfb"
command -v cargo-deb >/dev/null 2>&1 || cargo install cargo-deb --locked --quiet
timeout 600 apt-get update -qq
timeout 600 apt-get install -y -qq --no-install-recommends \
  desktop-file-utils xdg-utils shared-mime-info libglib2.0-bin xvfb xauth >/dev/null

step "package: cargo build --release && cargo deb --no-build"
cargo build --release --quiet
cargo deb --no-build --quiet
deb=$(ls -t target/debian/yinwen_*.deb | head -1)
echo "built $deb"
dpkg-deb --info "$deb" | sed -n '/Package:/,/Description:/p'
dpkg-deb --contents "$deb" | awk '{print $6}'

step "install: apt-get install $deb (pulls in its dependencies)"
timeout 600 apt-get install -y -qq --no-install-recommends "./$deb" >/dev/null
dpkg -s yinwen | grep -E '^(Status|Version|Depends):'

step "yinwen --version from /usr/bin"
test "$(command -v yinwen)" = /usr/bin/yinwen
/usr/bin/yinwen --version

step "menu entry"
desktop-file-validate /usr/share/applications/yinwen.desktop && echo "yinwen.desktop is valid"
grep -E '^(Name|Name\[zh_CN\]|Exec|MimeType|Icon)=' /usr/share/applications/yinwen.desktop
test -f /usr/share/icons/hicolor/256x256/apps/yinwen.png

step "workspace type: xdg-mime"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp sample_data/changchun-sample.ron "$work/示例工作区.ron"
printf '(name: "not ours")\n' > "$work/other.ron"
update-mime-database /usr/share/mime >/dev/null 2>&1 || true
update-desktop-database /usr/share/applications >/dev/null 2>&1 || true
# As a GNOME-style desktop asks (gio, the shared MIME database): with no desktop set, xdg-mime
# asks `file` when that is installed, which knows no types but its own.
type=$(XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype "$work/示例工作区.ron")
echo "示例工作区.ron: $type"
test "$type" = application/x-yinwen-workspace
other=$(XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype "$work/other.ron")
echo "other.ron (another program's RON): $other"
test "$other" != application/x-yinwen-workspace
default=$(XDG_DATA_DIRS=/usr/share xdg-mime query default application/x-yinwen-workspace)
echo "opens with: $default"
test "$default" = yinwen.desktop

step "start Yinwen from the menu entry's Exec line, opening the workspace"
exec_line=$(sed -n 's/^Exec=//p' /usr/share/applications/yinwen.desktop)
cmd=${exec_line/\%F/\"$work\/示例工作区.ron\"}
echo "running: $cmd (under xvfb-run, for 8 seconds)"
set +e
HOME="$work" timeout 8 xvfb-run -a sh -c "$cmd" >"$work/run.log" 2>&1
code=$?
set -e
tail -5 "$work/run.log" || true
if [ "$code" != 124 ]; then
  echo "Yinwen exited with $code instead of running until stopped"
  exit 1
fi
echo "Yinwen ran until stopped after 8 s (exit 124 from timeout)"
# An open workspace holds its lock file: proof that the window opened the workspace itself.
if [ ! -f "$work/示例工作区.ron.lock" ]; then
  echo "the workspace was not opened (no lock file beside it)"
  exit 1
fi
echo "the workspace was opened: $(tr '\n' ' ' < "$work/示例工作区.ron.lock")"

step "remove: dpkg -r yinwen"
files=$(dpkg -L yinwen | while read -r f; do [ -f "$f" ] && echo "$f"; done)
dpkg -r yinwen >/dev/null
left=0
for f in $files; do
  if [ -e "$f" ]; then echo "left behind: $f"; left=1; fi
done
if dpkg -s yinwen 2>/dev/null | grep -q '^Status: install ok installed'; then
  echo "still installed"; left=1
fi
test "$left" = 0
echo "removed; none of its $(echo "$files" | wc -l) files is left"

#!/usr/bin/env bash
# desktop-smoke.sh starts the built desktop app on a virtual display (Xvfb),
# with a fresh data directory, takes a screenshot and fails unless the app
# is still running and the window shows something (a blank or black page has
# only a few colours; the search view has hundreds, from anti-aliased text).
#
# Usage: scripts/desktop-smoke.sh [BINARY] [SCREENSHOT.png]
# Needs xvfb-run, ImageMagick (import, identify); make deps-desktop installs them.
#
# SMOKE_QUERY=text also types text into the search box (with xdotool), then
# opens the first hit, and saves SCREENSHOT-query.png and SCREENSHOT-reader.png
# for a person to look at; SMOKE_DATA=DIR uses an existing data directory
# instead of a fresh one; SMOKE_WAIT=seconds (default 6) is the start-up wait.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/bin/engram-desktop}
out=${2:-$root/build/bin/desktop-smoke.png}
wait_s=${SMOKE_WAIT:-6}
min_colours=${SMOKE_MIN_COLOURS:-64}

if [ "${1:-}" = "--inside-xvfb" ]; then
	# Second stage, on the virtual display.
	bin=$2 out=$3 log=$4
	"$bin" >"$log" 2>&1 &
	pid=$!
	sleep "$wait_s"
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" && rc=0 || rc=$?
		echo "desktop-smoke: the app exited with status $rc within ${wait_s}s" >&2
		exit 1
	fi
	import -window root "$out"
	if [ -n "${SMOKE_QUERY:-}" ] && command -v xdotool >/dev/null; then
		# No window manager: keyboard focus follows the pointer.
		xdotool mousemove 640 300
		xdotool type --delay 40 "$SMOKE_QUERY"
		sleep 1.5
		import -window root "${out%.png}-query.png"
		xdotool key Down Return
		sleep 1
		import -window root "${out%.png}-reader.png"
	fi
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	exit 0
fi

for cmd in xvfb-run import identify; do
	command -v "$cmd" >/dev/null || { echo "desktop-smoke: $cmd not found: run make deps-desktop" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "desktop-smoke: $bin not found: run make build-desktop" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$out")"
log=$tmp/app.log

# Software rendering: Xvfb has no GPU, and WebKit's GPU paths draw nothing there.
export ENGRAM_DATA=${SMOKE_DATA:-$tmp/data} ENGRAM_NO_DIALOG=1 LIBGL_ALWAYS_SOFTWARE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1
if ! xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside-xvfb "$bin" "$out" "$log"; then
	sed 's/^/  app: /' "$log" >&2
	exit 1
fi

colours=$(identify -format %k "$out")
if [ "$colours" -lt "$min_colours" ]; then
	echo "desktop-smoke: $out has $colours colours (< $min_colours): the window looks blank" >&2
	sed 's/^/  app: /' "$log" >&2
	exit 1
fi
echo "desktop-smoke: ok, $out has $colours colours"

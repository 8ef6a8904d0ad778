#!/usr/bin/env bash
# run-desktop.sh starts the built desktop app when there is a display. Where
# there is none (a server, a container, SSH) it says so and falls back to
# `engram serve`, the same UI in a browser: it prints the URL to open (with
# its access token) and serves until Ctrl-C. Over SSH, forward the port
# (ssh -L 7777:127.0.0.1:7777). ENGRAM_DATA, if set, chooses the data
# directory in both cases.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

case "$(uname -s)" in
Darwin)
	exec open -W -n build/bin/*.app --args "$@"
	;;
esac

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
	exec build/bin/engram-desktop "$@"
fi

echo "No display found: \$DISPLAY and \$WAYLAND_DISPLAY are empty, so the desktop window cannot open." >&2
if [ -f cmd/engram/main.go ]; then
	go build -o build/bin/engram ./cmd/engram
	# The CLI's help lists its commands, one per line ("  serve   …").
	if build/bin/engram --help 2>/dev/null | grep -qE '^[[:space:]]+serve([[:space:]]|$)'; then
		echo "Starting the web UI instead: engram serve" >&2
		exec build/bin/engram serve "$@"
	fi
fi
echo "The web UI (engram serve) is not available in this build. Run 'make run' in a desktop session, or forward X11 (ssh -X)." >&2
exit 1

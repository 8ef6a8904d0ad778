#!/usr/bin/env bash
# desktop-smoke.sh starts the built desktop app on a virtual display (Xvfb),
# with a fresh data directory, takes a screenshot and fails unless the app
# is still running and the window shows something (a blank or black page has
# only a few colours; the search view has hundreds, from anti-aliased text).
#
# Usage: scripts/desktop-smoke.sh [BINARY] [SCREENSHOT.png]
# Needs xvfb-run, ImageMagick (import, identify), jq and go; make deps-desktop
# installs them.
#
# With the window open it checks that the app owns its data directory (see
# README, "One process owns a data directory"): the engram CLI (built from cmd/engram, or
# SMOKE_CLI=path) runs search --json, memory add, an MCP session (initialize
# and a tools/call) and import --detach + jobs through the app's control
# socket, with the same output as a process of its own after the app quit;
# that SIGTERM closes the app cleanly; and that the app takes the directory
# over from a running `engram daemon` and starts the daemon again on quit.
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

fail() { echo "desktop-smoke: $*" >&2; exit 1; }

# start_app LOG: starts the app in the background (pid in $pid) and fails
# unless it is still running after the start-up wait.
start_app() {
	"$bin" >"$1" 2>&1 &
	pid=$!
	sleep "$wait_s"
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid" && rc=0 || rc=$?
		fail "the app exited with status $rc within ${wait_s}s"
	fi
}

# quit_app: SIGTERM closes the window as the user closing it does.
quit_app() {
	kill -TERM "$pid"
	wait "$pid" && rc=0 || rc=$?
	[ "$rc" -eq 0 ] || fail "the app exited with status $rc on SIGTERM"
}

# mcp_call TOOL ARGS: one MCP session (initialize, then tools/call TOOL with
# the JSON object ARGS); prints the call's structured result without its time.
mcp_call() {
	local init resp
	coproc MCP { "$cli" mcp 2>>"$work/mcp.err"; }
	local in=${MCP[1]} out=${MCP[0]} mpid=$MCP_PID
	printf '%s\n' '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"smoke","version":"1"}}}' >&"$in"
	IFS= read -r -t 60 init <&"$out" || fail "engram mcp: no answer to initialize ($(cat "$work/mcp.err"))"
	jq -e '.result.serverInfo.name == "engram"' >/dev/null <<<"$init" || fail "engram mcp initialize: $init"
	printf '%s\n' '{"jsonrpc":"2.0","method":"notifications/initialized"}' >&"$in"
	printf '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"%s","arguments":%s}}\n' "$1" "$2" >&"$in"
	IFS= read -r -t 60 resp <&"$out" || fail "engram mcp: no answer to tools/call $1"
	eval "exec $in>&-"
	wait "$mpid" || fail "engram mcp exited with status $? ($(cat "$work/mcp.err"))"
	jq -e '.result.isError != true' >/dev/null <<<"$resp" || fail "engram mcp tools/call $1: $resp"
	jq -cS '.result.structuredContent | del(.took_ms)' <<<"$resp"
}

search_json() { "$cli" search --json --limit 20 "$@" | jq -S 'del(.took_ms)'; }

# clients checks the faces that are the app's clients, with the app open.
clients() {
	local sock=$ENGRAM_DATA/engram.sock
	[ -S "$sock" ] || fail "the app serves no control socket at $sock"
	[ "$(stat -c %a "$sock")" = 600 ] || fail "the control socket $sock is mode $(stat -c %a "$sock"), not 600"
	"$cli" import --detach "$work/more" >"$work/detach.out" || fail "engram import --detach through the app failed"
	local id
	id=$(sed -n 's/^started job \([^ ]*\) in the running Engram.*/\1/p' "$work/detach.out")
	[ -n "$id" ] || fail "engram import --detach printed no job ID: $(cat "$work/detach.out")"
	local jobs
	jobs=$("$cli" jobs) || fail "engram jobs through the app failed"
	grep -q "^$id  " <<<"$jobs" || fail "engram jobs does not list job $id: $jobs"
	local state="" i
	for i in $(seq 600); do
		state=$("$cli" jobs --json | jq -r --arg id "$id" '.jobs[] | select(.id == $id) | "\(.state) \(.imported)"')
		case $state in "" | running*) sleep 0.1 ;; *) break ;; esac
	done
	[ "$state" = "done 5" ] || fail "job $id through the app ended as '$state', want 'done 5'"
	search_json harbour ferry >"$work/search-app.json" || fail "engram search --json through the app failed"
	[ "$(jq .total "$work/search-app.json")" -ge 12 ] || fail "engram search through the app: $(cat "$work/search-app.json")"
	mcp_call search '{"query":"harbour ferry","limit":20}' >"$work/mcp-app.json"
	"$cli" memory add "I live in Bergen" >"$work/mem.out" || fail "engram memory add through the app failed"
	grep -q "Bergen" "$work/mem.out" || fail "engram memory add: $(cat "$work/mem.out")"
	mcp_call memory_list '{}' >"$work/mcp-memories.json"
	grep -q Bergen "$work/mcp-memories.json" || fail "the memory added through the app is not in an MCP memory_list: $(cat "$work/mcp-memories.json")"
	echo "desktop-smoke: search, memory add, mcp and import --detach ($id) ran in the app"
}

if [ "${1:-}" = "--inside-xvfb" ]; then
	# Second stage, on the virtual display.
	bin=$2 out=$3 log=$4 cli=$5 work=$6
	start_app "$log"
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
	if [ -z "${SMOKE_DATA:-}" ]; then
		clients
	fi
	quit_app
	[ -z "${SMOKE_DATA:-}" ] || exit 0
	[ ! -e "$ENGRAM_DATA/engram.sock" ] || fail "the app left its control socket behind after quitting"

	# The same commands in processes of their own give the same answers.
	search_json harbour ferry | diff -u "$work/search-app.json" - >&2 || fail "engram search --json differs between the app and a process of its own"
	mcp_call search '{"query":"harbour ferry","limit":20}' | diff -u "$work/mcp-app.json" - >&2 || fail "the MCP search differs between the app and a process of its own"

	# A running daemon: the app takes the directory over, then starts the
	# daemon again when it quits.
	"$cli" daemon 2>"$work/daemon.log" &
	dpid=$!
	for i in $(seq 200); do [ -S "$ENGRAM_DATA/engram.sock" ] && break; sleep 0.1; done
	[ -S "$ENGRAM_DATA/engram.sock" ] || fail "engram daemon did not start: $(cat "$work/daemon.log")"
	start_app "$log.2"
	wait "$dpid" || fail "engram daemon did not stop cleanly when the app took over: $(cat "$work/daemon.log")"
	grep -q "took .* over from engram daemon" "$log.2" || fail "the app did not say it took over: $(cat "$log.2")"
	"$cli" daemon --stop 2>"$work/stop.err" && fail "engram daemon --stop stopped the app"
	grep -q "not a daemon" "$work/stop.err" || fail "engram daemon --stop with the app running: $(cat "$work/stop.err")"
	search_json harbour ferry | diff -u "$work/search-app.json" - >&2 || fail "engram search through the app that took over differs"
	quit_app
	"$cli" daemon --stop || fail "no engram daemon runs after the app that took over quit"
	echo "desktop-smoke: the app took the directory over from engram daemon and handed it back"
	exit 0
fi

for cmd in xvfb-run import identify jq; do
	command -v "$cmd" >/dev/null || { echo "desktop-smoke: $cmd not found: run make deps-desktop" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "desktop-smoke: $bin not found: run make build-desktop" >&2; exit 1; }

tmp=$(mktemp -d)
trap '"${cli:-false}" daemon --stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
mkdir -p "$(dirname "$out")"
log=$tmp/app.log

# The CLI whose commands run in the app, and a corpus: 12 notes in the data
# directory before the app starts, 5 more for a detached import.
cli=${SMOKE_CLI:-$tmp/engram}
if [ -z "${SMOKE_CLI:-}" ]; then
	(cd "$root" && go build -o "$cli" ./cmd/engram) || { echo "desktop-smoke: building the engram CLI failed" >&2; exit 1; }
fi
mkdir -p "$tmp/corpus" "$tmp/more"
for i in $(seq 12); do
	{ printf '# Note %d\n\n' "$i"; for _ in $(seq "$i"); do printf 'The harbour ferry leaves at %d. ' "$i"; done; printf '\n'; } >"$tmp/corpus/n$i.md"
done
for i in $(seq 5); do printf '# Later %d\n\nThe night ferry %d.\n' "$i" "$i" >"$tmp/more/m$i.md"; done

# Software rendering: Xvfb has no GPU, and WebKit's GPU paths draw nothing there.
export ENGRAM_DATA=${SMOKE_DATA:-$tmp/data} ENGRAM_NO_DIALOG=1 LIBGL_ALWAYS_SOFTWARE=1 WEBKIT_DISABLE_DMABUF_RENDERER=1
if [ -z "${SMOKE_DATA:-}" ]; then
	"$cli" import "$tmp/corpus" >/dev/null || { echo "desktop-smoke: importing the corpus failed" >&2; exit 1; }
fi
if ! xvfb-run -a -s "-screen 0 1280x800x24" "$0" --inside-xvfb "$bin" "$out" "$log" "$cli" "$tmp"; then
	sed 's/^/  app: /' "$log" >&2
	[ ! -f "$log.2" ] || sed 's/^/  app (take-over): /' "$log.2" >&2
	exit 1
fi

colours=$(identify -format %k "$out")
if [ "$colours" -lt "$min_colours" ]; then
	echo "desktop-smoke: $out has $colours colours (< $min_colours): the window looks blank" >&2
	sed 's/^/  app: /' "$log" >&2
	exit 1
fi
echo "desktop-smoke: ok, $out has $colours colours"

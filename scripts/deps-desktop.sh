#!/usr/bin/env bash
# deps-desktop.sh installs what building and smoke-testing the desktop app
# needs on Debian or Ubuntu: a C toolchain, GTK 3 and WebKitGTK headers, Xvfb,
# ImageMagick, xdotool and jq (for scripts/desktop-smoke.sh), Chromium (for the
# end-to-end test of `engram serve` in web/), the frontend's npm packages and
# the Wails CLI. It only installs what is missing, so a second run takes
# about a second. It uses sudo when not run as root.
set -euo pipefail

WAILS_VERSION=v2.16.0
root=$(cd "$(dirname "$0")/.." && pwd)

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	sudo=sudo
fi

have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

# System packages. WebKitGTK 4.1 (libsoup 3) is preferred; 4.0 is the
# fallback on distributions that lack it (see webkit-tag.sh).
# chromium is Debian's; on Ubuntu it is a snap wrapper that does not run in
# containers: there, point ENGRAM_CHROMIUM at a Chrome or Chromium binary.
# notmuch is the baseline make bench times imports against, and the oracle
# app/notmuch_test.go compares search results with (it fails without it).
# postgresql is the team server's database: its tests start a private server
# of their own (teamserver/pgtest), so the packaged service is not needed.
pkgs=(build-essential pkg-config libgtk-3-dev xvfb xauth imagemagick xdotool jq fonts-dejavu-core chromium notmuch postgresql)
missing=()
for p in "${pkgs[@]}"; do
	have_pkg "$p" || missing+=("$p")
done
if ! have_pkg libwebkit2gtk-4.1-dev && ! have_pkg libwebkit2gtk-4.0-dev; then
	missing+=(webkit)
fi
if [ ${#missing[@]} -gt 0 ]; then
	if ! command -v apt-get >/dev/null; then
		echo "deps-desktop: missing ${missing[*]} and this is not a Debian/Ubuntu system: install GTK 3 and WebKitGTK development packages by hand (https://wails.io/docs/gettingstarted/installation)" >&2
		exit 1
	fi
	echo "deps-desktop: installing ${missing[*]}"
	$sudo apt-get update -qq
	for i in "${!missing[@]}"; do
		if [ "${missing[$i]}" = webkit ]; then
			if apt-cache show libwebkit2gtk-4.1-dev >/dev/null 2>&1; then
				missing[$i]=libwebkit2gtk-4.1-dev
			else
				missing[$i]=libwebkit2gtk-4.0-dev
			fi
		fi
	done
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Frontend packages, reinstalled only when package-lock.json changed.
if ! command -v npm >/dev/null; then
	echo "deps-desktop: npm not found: install Node.js 20.19 or later" >&2
	exit 1
fi
fe="$root/frontend"
if [ ! -f "$fe/node_modules/.package-lock.json" ] || [ "$fe/package-lock.json" -nt "$fe/node_modules/.package-lock.json" ]; then
	echo "deps-desktop: npm ci in frontend/"
	(cd "$fe" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The Wails CLI, pinned to the module's version in go.mod.
wails="$(go env GOPATH)/bin/wails"
have=""
if [ -x "$wails" ]; then
	have=$("$wails" version 2>/dev/null | head -n1 || true)
fi
if [ "$have" != "$WAILS_VERSION" ]; then
	echo "deps-desktop: go install wails $WAILS_VERSION"
	go install "github.com/wailsapp/wails/v2/cmd/wails@$WAILS_VERSION"
fi

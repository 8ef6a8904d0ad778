#!/bin/sh
# webkit-tag.sh prints the Go build tag Wails needs for the installed
# WebKitGTK: webkit2_41 for webkit2gtk-4.1, nothing for 4.0 (Wails' default).
if pkg-config --exists webkit2gtk-4.1 2>/dev/null; then
	echo webkit2_41
fi

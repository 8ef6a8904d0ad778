// Package frontend holds the built UI: Vite's output in dist/, embedded in
// the Go binary for both the desktop window (main.go) and `engram serve`
// (package web). It is the only //go:embed of the frontend.
//
// dist/ is committed (make test fails when it is stale), so a plain go build
// has the UI. Should it be emptied (make clean), dist/.gitkeep keeps the
// embed compiling (the all: prefix embeds dot-files) and Dist reports
// ErrNotBuilt.
package frontend

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
)

// ErrNotBuilt means the binary was compiled before the frontend was built,
// so there is no UI to show.
var ErrNotBuilt = errors.New("built without its frontend: run make build-desktop (wails build) or make frontend (npm run build), then build again")

// dist is read-only data compiled into the binary.
//
//go:embed all:dist
var dist embed.FS

// Dist returns the built frontend, rooted at the folder holding index.html.
// It fails with ErrNotBuilt when the binary was built from Go alone.
func Dist() (fs.FS, error) {
	ui, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, fmt.Errorf("reading the embedded frontend: %w", err)
	}
	if _, err := fs.Stat(ui, "index.html"); err != nil {
		return nil, ErrNotBuilt
	}
	return ui, nil
}

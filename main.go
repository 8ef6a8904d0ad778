// Command engram-desktop is Engram's desktop window: it builds the service
// container, binds its UI services and hands the window to Wails. It sits at
// the repository root, where wails.json and `wails build` expect it; the
// frontend's build is embedded by package frontend.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	goruntime "runtime"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/options/linux"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/frontend"
	"github.com/engram-app/engram/ingest/pdf"
	"github.com/engram-app/engram/internal/gctune"
)

func main() {
	// A PDF import runs this binary again as its extraction worker.
	if pdf.WorkerMain() {
		return
	}
	gctune.Tune(context.Background())
	if runAsCLI() {
		return
	}
	dataFlag := flag.String("data", "", "data directory (default: $ENGRAM_DATA, else the per-user data directory + engram)")
	workspace := flag.String("workspace", "", "workspace to open (default: the container's default workspace)")
	flag.Parse()

	if generatingBindings() {
		// `wails build` and `wails generate module` run this binary only to
		// read the bound methods' signatures: no window, and the user's data
		// directory must not be opened (it may be in use by a running Engram).
		if err := wails.Run(&options.App{Bind: []any{app.NewSearchService(nil), app.NewMemoryService(nil), app.NewImportService(nil), app.NewSettingsService(nil), app.NewGapsService(nil), app.NewConnectorsService(nil), app.NewTeamService(nil)}}); err != nil {
			fatal(fmt.Errorf("generating bindings: %w", err), false)
		}
		return
	}
	if !hasDisplay() {
		fatal(errors.New("no display found: the desktop app needs X11 or Wayland ($DISPLAY or $WAYLAND_DISPLAY); on a headless machine use `engram serve` instead"), false)
	}
	ui, err := embeddedUI()
	if err != nil {
		fatal(err, false)
	}
	// The container is built before the window so that a start-up error
	// (another Engram holding the data directory, a corrupt store) is
	// reported at once instead of behind a window that never answers.
	a, own, err := openOwned(*dataFlag, *workspace) // desktop_owner.go
	if err != nil {
		fatal(err, true)
	}
	if err := runWindow(a, own, ui); err != nil {
		fatal(err, false)
	}
}

// open builds the container on the data directory dir.
func open(dir, workspace string) (*app.App, error) {
	return app.New(app.Config{DataDir: dir, Workspace: workspace})
}

// embeddedUI is the embedded frontend build. It fails when the binary was
// built from Go alone, before the frontend (go build rather than wails build).
func embeddedUI() (fs.FS, error) {
	ui, err := frontend.Dist()
	if errors.Is(err, frontend.ErrNotBuilt) {
		return nil, errors.New("this binary was built without its frontend: build it with `make build-desktop` (wails build), not go build")
	}
	return ui, err
}

// runWindow shows the window until the user closes it, then closes a (and
// own's clients first, see desktop_owner.go).
func runWindow(a *app.App, own *desktopOwner, ui fs.FS) (err error) {
	search := app.NewSearchService(a)
	memories := app.NewMemoryService(a)
	imports := app.NewImportService(a)
	settings := app.NewSettingsService(a)
	gapsSvc := app.NewGapsService(a)
	connectors := app.NewConnectorsService(a)
	team := app.NewTeamService(a)
	defer func() {
		// Wails panics when GTK cannot open the display ($DISPLAY set but
		// no X server behind it): report that as an error, not a stack trace.
		if r := recover(); r != nil {
			own.closeClients()
			err = errors.Join(fmt.Errorf("opening the window on display %q: %v", os.Getenv("DISPLAY"), r), a.Close())
			own.handBack()
		}
	}()

	var closeErr error
	closed := false
	// The change feed (a memory added through MCP or the CLI, an import
	// that ended) goes to the window as the "engram:changes" event.
	changes, stopChanges := a.Subscribe(64)
	err = wails.Run(&options.App{
		Title:            "Engram",
		Width:            1120,
		Height:           760,
		MinWidth:         640,
		MinHeight:        420,
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 250, A: 255},
		AssetServer:      &assetserver.Options{Assets: ui},
		OnStartup: func(ctx context.Context) {
			app.DesktopStartup(ctx, search)
			a.StartConnectorSync() // the window owns the data directory: it syncs the connectors
			app.SetImportEmitter(imports, func(event string, data any) { runtime.EventsEmit(ctx, event, data) })
			app.SetTeamEmitter(team, func(event string, data any) { runtime.EventsEmit(ctx, event, data) })
			app.SetFolderPicker(imports, func(title string) (string, error) {
				return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title})
			})
			go func() {
				for e := range changes { // closes with stopChanges or the container
					runtime.EventsEmit(ctx, "engram:changes", e)
				}
			}()
		},
		OnShutdown: func(context.Context) {
			stopChanges()
			app.DesktopShutdown(search)
			own.closeClients()        // the clients' commands end before the store closes
			app.CloseImports(imports) // cancels running imports and waits for them
			closeErr, closed = a.Close(), true
		},
		Bind:  []any{search, memories, imports, settings, gapsSvc, connectors, team},
		Linux: &linux.Options{ProgramName: "engram"},
	})
	if err != nil {
		err = fmt.Errorf("running the window: %w", err)
	}
	stopChanges()
	if !closed { // Run failed before the window came up
		own.closeClients()
		closeErr = a.Close()
	}
	own.handBack()
	if closeErr != nil {
		closeErr = fmt.Errorf("closing %s: %w", a.DataDir(), closeErr)
	}
	return errors.Join(err, closeErr)
}

// fatal reports an error that stops the app on stderr and exits with status
// 1. With dialog set (only before any window has run) it shows a native
// message box too, because an app started from a launcher has no terminal.
func fatal(err error, dialog bool) {
	fmt.Fprintf(os.Stderr, "engram-desktop: %v\n", err)
	if dialog && hasDisplay() && os.Getenv("ENGRAM_NO_DIALOG") == "" {
		showErrorDialog(err)
	}
	os.Exit(1)
}

// showErrorDialog opens a hidden Wails app whose only job is a native error
// dialog; it returns once the user has dismissed it. It must be called at
// most once per process, and only when no other Wails app has run.
func showErrorDialog(err error) {
	ui, uiErr := embeddedUI()
	if uiErr != nil {
		return
	}
	defer func() { _ = recover() }() // no usable display: stderr has the message
	_ = wails.Run(&options.App{
		Title:       "Engram",
		Width:       400,
		Height:      200,
		StartHidden: true,
		AssetServer: &assetserver.Options{Assets: ui},
		OnStartup: func(ctx context.Context) {
			_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{
				Type:    runtime.ErrorDialog,
				Title:   "Engram could not start",
				Message: err.Error(),
			})
			runtime.Quit(ctx)
		},
	})
}

// generatingBindings reports whether this binary was built by Wails to
// generate the frontend's bindings (it builds with the "bindings" tag).
func generatingBindings() bool {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return false
	}
	for _, s := range bi.Settings {
		if s.Key == "-tags" {
			return slices.Contains(strings.Split(s.Value, ","), "bindings")
		}
	}
	return false
}

// hasDisplay reports whether a window can be shown. Only Linux and the BSDs
// can lack one; macOS and Windows always have a desktop session for a user
// who can start an app.
func hasDisplay() bool {
	switch goruntime.GOOS {
	case "darwin", "windows":
		return true
	}
	return os.Getenv("DISPLAY") != "" || os.Getenv("WAYLAND_DISPLAY") != ""
}

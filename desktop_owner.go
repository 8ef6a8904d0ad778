package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/cli"
	"github.com/engram-app/engram/control"
	"github.com/engram-app/engram/store"
)

// The desktop app owns its data directory as `engram serve` does: after
// opening the container it serves the control socket with the CLI's command
// tree, so `engram search`, `engram import` and `engram mcp` started while
// the window is open run in it (package control; README, "How it is
// built").
//
// When an `engram daemon` holds the directory at start, the app asks it to
// stop (the socket's stop op), takes the directory over, and when the
// window closes starts the daemon again (this binary run as the engram
// command, see runAsCLI), so whatever relied on the daemon keeps a daemon.
// Any other owner (`engram serve`, another window, a long command) will not
// hand over: the app then says so in a dialog and exits.

// lockWait is how long the app waits for a daemon it stopped to release
// the store's lock (the daemon closes its store after its socket).
const lockWait = 30 * time.Second

// runAsCLI runs this binary as the engram command when its first argument
// is cli.DesktopCLIArg (how the app starts a daemon again) and reports
// whether it did; the process then exits with the command's code.
func runAsCLI() bool {
	if len(os.Args) < 2 || os.Args[1] != cli.DesktopCLIArg {
		return false
	}
	os.Exit(cli.Run(os.Args[2:], os.Stdin, os.Stdout, os.Stderr))
	return true
}

// desktopOwner is the app's side of the control socket.
type desktopOwner struct {
	dir      string
	srv      *control.Server // nil when the socket could not be made
	tookOver bool            // a daemon was stopped to open the directory
}

// openOwned opens the container on the data directory named by dataFlag
// (app.DefaultDataDir when empty), taking it over from a daemon that holds
// it, and serves the control socket on it.
func openOwned(dataFlag, workspace string) (*app.App, *desktopOwner, error) {
	dir := dataFlag
	if dir == "" {
		var err error
		if dir, err = app.DefaultDataDir(); err != nil {
			return nil, nil, err
		}
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, nil, err
	}
	tookOver, err := cli.TakeOver(dir)
	if errors.Is(err, cli.ErrOwnedElsewhere) {
		return nil, nil, fmt.Errorf("%w\nClose that Engram, then start the app again. (An `engram daemon` is taken over by the app on its own.)", err)
	}
	if err != nil {
		return nil, nil, err
	}
	a, err := open(dir, workspace)
	for deadline := time.Now().Add(lockWait); tookOver && errors.Is(err, store.ErrLocked) && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		a, err = open(dir, workspace)
	}
	if err != nil {
		return nil, nil, err
	}
	o := &desktopOwner{dir: dir, tookOver: tookOver}
	o.srv, err = cli.Serve(a, nil, func(format string, args ...any) {
		fmt.Fprintf(os.Stderr, "engram-desktop: "+format+"\n", args...)
	})
	if err != nil { // a read-only directory: the window works, without clients
		fmt.Fprintf(os.Stderr, "engram-desktop: other Engram commands cannot use this window's data directory: %v\n", err)
	}
	if tookOver {
		fmt.Fprintf(os.Stderr, "engram-desktop: took %s over from engram daemon; it starts again when the window closes\n", dir)
	}
	return a, o, nil
}

// Wails itself makes SIGINT and SIGTERM close the window as the user
// closing it does (OnShutdown runs), so the clients and the store are closed
// in order on those too.

// closeClients stops serving the socket before the container closes: the
// clients' commands get cli.OwnerGrace to end, then attached clients see
// "Engram closed" and the next command opens the directory itself.
func (o *desktopOwner) closeClients() {
	if o == nil || o.srv == nil {
		return
	}
	if err := o.srv.Close(cli.OwnerGrace); err != nil {
		fmt.Fprintf(os.Stderr, "engram-desktop: closing the control socket: %v\n", err)
	}
	o.srv = nil
}

// handBack, after the container is closed, starts the daemon the app took
// the directory over from.
func (o *desktopOwner) handBack() {
	if o == nil || !o.tookOver {
		return
	}
	exe, err := os.Executable()
	if err == nil {
		var c interface{ Close() error }
		c, err = cli.StartDaemon(o.dir, exe, cli.DesktopCLIArg)
		if err == nil {
			c.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "engram-desktop: starting engram daemon again: %v\n", err)
	}
}

package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/control"
)

// Run is the engram command: it runs args (without the program name) in
// the Engram that owns the data directory when one runs, in this process
// otherwise, and returns the exit code (0 success, 1 error, 2 usage).
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return run(args, stdin, stdout, stderr)
}

// DesktopCLIArg, as the desktop binary's first argument, makes it the
// engram command (the rest are the command's arguments). The desktop uses it
// to start `engram daemon` again after it took the directory over from one.
const DesktopCLIArg = "cli"

// Serve makes the process that opened a (the desktop app) the owner of a's
// data directory: other engram commands and `engram mcp` sessions run in
// it, with the same command tree as `engram serve`. stop, when not nil, is
// what a client's `engram daemon --stop` calls; nil refuses it. Close the
// server (Server.Close) before closing a: attached clients then see
// "Engram closed".
func Serve(a *app.App, stop context.CancelFunc, logf func(format string, args ...any)) (*control.Server, error) {
	ln, err := control.Listen(a.DataDir())
	if err != nil {
		return nil, err
	}
	return control.Serve(ln, owner{a: a, stop: stop}, logf), nil
}

// OwnerGrace is how long a closing owner gives its clients' commands to
// end on their own before cancelling them (Server.Close's grace).
const OwnerGrace = ownerGrace

// ErrOwnedElsewhere means an Engram that is not a daemon (engram serve,
// another desktop window, a long command) owns the data directory and
// will not hand it over: it is closed where it was started.
var ErrOwnedElsewhere = errors.New("another Engram is using this data directory")

// TakeOver makes the data directory free for this process: with no owner
// it returns false at once; when an `engram daemon` owns it, it asks the
// daemon to stop (the control socket's stop op), waits until it has, and
// returns true. Any other owner refuses, and TakeOver returns an error
// wrapping ErrOwnedElsewhere with the owner's answer.
func TakeOver(dataDir string) (bool, error) {
	c, err := control.Dial(dataDir)
	if errors.Is(err, control.ErrNoOwner) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	var answer bytes.Buffer
	code, err := control.Stop(c, &answer)
	if err != nil {
		return false, err
	}
	if code != 0 {
		msg := strings.TrimPrefix(strings.TrimSpace(answer.String()), "engram: ")
		return false, fmt.Errorf("%w (%s): %s", ErrOwnedElsewhere, dataDir, msg)
	}
	return true, waitGone(dataDir)
}

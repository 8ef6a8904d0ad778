package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/control"
	"github.com/engram-app/engram/mcp"
)

// ownerGrace is how long an owner that is closing gives its clients'
// commands to end on their own before it cancels them.
const ownerGrace = 5 * time.Second

// maxClientStdin bounds the standard input a client forwards.
const maxClientStdin = 1 << 20

// local commands never go to a running owner: they are owners themselves,
// or print only help.
var localCommands = []string{"serve", "daemon", "help", "completion", "__complete", "__completeNoDesc"}

// commandOf returns the command name in args (the first argument that is
// not a global flag or its value), the data directory named by --data (""
// when none), and whether args ask only for help or the version.
func commandOf(args []string) (name, dataDir string, helpOnly bool) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			if i+1 < len(args) && name == "" {
				name = args[i+1]
			}
			return name, dataDir, helpOnly
		case a == "-h" || a == "--help" || a == "--version" || a == "-v":
			helpOnly = true
		case a == "--data" || a == "--workspace":
			if i+1 < len(args) && a == "--data" {
				dataDir = args[i+1]
			}
			i++
		case strings.HasPrefix(a, "--data="):
			dataDir = strings.TrimPrefix(a, "--data=")
		case strings.HasPrefix(a, "-"):
		case name == "":
			name = a
		}
	}
	return name, dataDir, helpOnly
}

// resolveDataDir is the data directory a command would open: --data, else
// $ENGRAM_DATA, else the per-user default; absolute.
func resolveDataDir(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv("ENGRAM_DATA")
	}
	if dir == "" {
		var err error
		if dir, err = app.DefaultDataDir(); err != nil {
			return "", err
		}
	}
	return filepath.Abs(dir)
}

// forward runs args in the Engram that owns the data directory, when one
// runs, and returns its exit code; ok is false when there is no owner and
// the command runs in this process.
func forward(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int, ok bool) {
	name, dataFlag, helpOnly := commandOf(args)
	if helpOnly || name == "" || slices.Contains(localCommands, name) {
		return 0, false
	}
	dataDir, err := resolveDataDir(dataFlag)
	if err != nil {
		return 0, false
	}
	if name == "mcp" {
		return forwardMCP(args, dataDir, stdin, stdout, stderr)
	}
	detach := slices.Contains(args, "--detach")
	c, err := control.Dial(dataDir)
	if errors.Is(err, control.ErrNoOwner) && detach {
		c, err = startDaemon(dataDir)
	}
	if errors.Is(err, control.ErrNoOwner) {
		return 0, false
	}
	if err != nil {
		fmt.Fprintln(stderr, "engram:", err)
		return 1, true
	}
	cwd, _ := os.Getwd()
	req := control.Request{
		Args:      args,
		Cwd:       cwd,
		StdoutTTY: isTerminal(stdout),
		StderrTTY: isTerminal(stderr),
		Color:     colorFor(stdout),
		Detach:    detach,
	}
	if slices.Contains(args, "-") {
		b, err := io.ReadAll(io.LimitReader(stdin, maxClientStdin+1))
		if err != nil || len(b) > maxClientStdin {
			fmt.Fprintf(stderr, "engram: standard input is more than %d bytes; send less at a time\n", maxClientStdin)
			return 2, true
		}
		req.Stdin = b
	}
	if detach {
		id, code, err := control.RunDetached(c, req, stdout, stderr)
		if err != nil {
			fmt.Fprintln(stderr, "engram:", err)
			return 1, true
		}
		if id != "" {
			fmt.Fprintf(stdout, "started job %s in the running Engram; `engram jobs` shows its progress, and it goes on after this terminal closes\n", id)
		}
		return code, true
	}
	interrupt := make(chan struct{})
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		if _, ok := <-sigs; ok {
			close(interrupt) // the first Ctrl-C cancels in the owner...
			select {
			case <-sigs: // ...a second one leaves at once
			case <-time.After(stopGrace): // ...and so does an owner slow to stop
			}
			fmt.Fprintln(stderr, "engram: stopped; what the running Engram committed is kept: run the same command again to resume")
			os.Exit(130)
		}
	}()
	code, err = control.Run(context.Background(), c, req, stdout, stderr, interrupt)
	if err != nil {
		fmt.Fprintln(stderr, "engram:", err)
		return 1, true
	}
	return code, true
}

// forwardMCP speaks MCP on stdin and stdout through the owner, when one
// runs.
func forwardMCP(args []string, dataDir string, stdin io.Reader, stdout, stderr io.Writer) (int, bool) {
	c, err := control.Dial(dataDir)
	if errors.Is(err, control.ErrNoOwner) {
		return 0, false
	}
	if err != nil {
		fmt.Fprintln(stderr, "engram:", err)
		return 1, true
	}
	req := control.Request{}
	for i := 0; i+1 < len(args); i++ {
		switch args[i] {
		case "--user":
			req.User = args[i+1]
		case "--workspace":
			req.Workspace = args[i+1]
		}
	}
	if err := control.MCP(c, req, stdin, stdout); err != nil {
		fmt.Fprintln(stderr, "engram:", err)
		return 1, true
	}
	return 0, true
}

// startDaemon starts `engram daemon` on dataDir in the background, in a
// session of its own so it outlives this terminal, and connects to it.
func startDaemon(dataDir string) (net.Conn, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return StartDaemon(dataDir, exe)
}

// StartDaemon runs `exe [prefix...] --data dataDir daemon` in a session of
// its own, its output appended to daemon.log in dataDir, and connects to
// it once it serves (within 10 s). prefix is what makes exe the engram
// command (the desktop binary takes "cli", see DesktopCLIArg).
func StartDaemon(dataDir, exe string, prefix ...string) (net.Conn, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, err
	}
	logf, err := os.OpenFile(filepath.Join(dataDir, "daemon.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(exe, append(slices.Clip(prefix), "--data", dataDir, "daemon")...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = daemonAttr()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting engram daemon: %w", err)
	}
	go cmd.Wait() // reap it if it stops while we wait
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		c, err := control.Dial(dataDir)
		if err == nil {
			return c, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, fmt.Errorf("engram daemon did not start within 10 s; see %s", filepath.Join(dataDir, "daemon.log"))
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// owner answers the clients of the container this process opened. stop,
// set for `engram daemon`, ends the daemon.
type owner struct {
	a    *app.App
	stop context.CancelFunc
}

// Stop ends a daemon; other owners are closed where they were started.
func (o owner) Stop() error {
	if o.stop == nil {
		return errors.New("the Engram that is running is not a daemon: close it where it was started")
	}
	o.stop()
	return nil
}

// Run runs a client's command here, as run does in a process of its own.
func (o owner) Run(ctx context.Context, req control.Request, stdout, stderr io.Writer) int {
	e := &env{
		stdin: bytes.NewReader(req.Stdin), rawOut: stdout, rawErr: stderr,
		color: req.Color, stderrTTY: req.StderrTTY,
		shared: o.a, ctx: ctx, cwd: req.Cwd,
	}
	return execute(e, req.Args)
}

// MCP serves a client's MCP session with this container.
func (o owner) MCP(ctx context.Context, req control.Request, r io.Reader, w io.Writer) error {
	return mcp.New(o.a.Assistant(), mcp.Options{Workspace: req.Workspace, User: req.User, Version: app.Version}).Serve(ctx, r, w)
}

// serveClients makes this process the owner of a's data directory: it
// listens on the control socket until the returned stop is called. Where
// the socket cannot be made (a read-only directory), the command still
// runs, without clients.
func serveClients(a *app.App, e *env) (stop func()) {
	ln, err := control.Listen(a.DataDir())
	if err != nil {
		return func() {}
	}
	s := control.Serve(ln, owner{a: a, stop: e.stopDaemon}, func(format string, args ...any) {})
	return func() { s.Close(ownerGrace) }
}

func daemonCmd(e *env) *cobra.Command {
	var stop bool
	cmd := &cobra.Command{
		Use:   "daemon [--stop]",
		Short: "Keep Engram running in the background, for the CLI and AI assistants (engram mcp) to use",
		Long: "Daemon opens the data directory and serves its control socket until SIGINT or SIGTERM, so\n" +
			"commands and MCP sessions share one running Engram. `engram import --detach` starts one when\n" +
			"none runs. As a systemd user unit: ExecStart=/path/to/engram daemon.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if stop {
				return stopDaemon(e)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			e.stopDaemon = cancel
			return e.withApp(func(sig context.Context, a *app.App) error {
				a.StartConnectorSync() // the one running Engram syncs the connectors (app/connect.go)
				fmt.Fprintf(e.stderr, "Engram is running on %s (control socket %s); stop it with Ctrl-C, SIGTERM or engram daemon --stop\n", a.DataDir(), control.SocketPath(a.DataDir()))
				select {
				case <-sig.Done():
				case <-ctx.Done():
				}
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&stop, "stop", false, "stop the daemon running on the data directory")
	return cmd
}

// stopDaemon asks the daemon on e's data directory to stop and waits until
// it has.
func stopDaemon(e *env) error {
	dir, err := resolveDataDir(e.dataDir)
	if err != nil {
		return err
	}
	c, err := control.Dial(dir)
	if errors.Is(err, control.ErrNoOwner) {
		return fmt.Errorf("no Engram is running on %s", dir)
	}
	if err != nil {
		return err
	}
	code, err := control.Stop(c, e.stderr)
	if err != nil || code != 0 {
		return errors.Join(err, errors.New("the daemon did not stop"))
	}
	return waitGone(dir)
}

// waitGone waits until nothing serves dir's control socket (30 s at most).
func waitGone(dir string) error {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := control.Dial(dir); errors.Is(err, control.ErrNoOwner) {
			return nil
		} else if err == nil {
			c.Close()
		}
	}
	return errors.New("the daemon is still running after 30 s")
}

// RunWith runs args (a command line without the program name) as the owner
// runs a client's: against a, which it neither opens nor closes, with ctx,
// writing to stdout and stderr, and returns the exit code. It is a command
// of the running Engram without the control socket, which the benchmark
// compares with the same command sent through it.
func RunWith(ctx context.Context, a *app.App, args []string, stdout, stderr io.Writer) int {
	return owner{a: a}.Run(ctx, control.Request{Args: args}, stdout, stderr)
}

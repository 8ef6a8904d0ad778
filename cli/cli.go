package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/config"
	"github.com/engram-app/engram/internal/bounds"
	"github.com/engram-app/engram/search"
)

// usageError marks a mistake in how the command was called (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// env is what every command gets: the streams, the global flags and a way to
// open the container once.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer // plain output, control characters neutralised (escape.go)
	rawOut, rawErr io.Writer // JSON, the MCP protocol and the progress bar
	dataDir        string
	workspace      string
	jsonOut        bool
	// color is whether output may carry ANSI styles: stdout is a terminal,
	// NO_COLOR is unset or empty (no-color.org) and TERM is not "dumb".
	color bool
	// stderrTTY is whether stderr is a terminal (the progress bar's).
	stderrTTY bool

	// shared, ctx and cwd are set when this command runs for a client in
	// the process that owns the data directory: the owner's container (not
	// opened nor closed here), the client's context (its Ctrl-C) and its
	// working directory.
	shared *app.App
	ctx    context.Context
	cwd    string
	// stopDaemon, set by `engram daemon`, lets a client stop it.
	stopDaemon context.CancelFunc
}

// path resolves a path the user typed against their working directory.
func (e *env) path(p string) string {
	if e.cwd == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.cwd, p)
}

// colorFor says whether w takes ANSI styles (see env.color).
func colorFor(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isatty.IsTerminal(f.Fd())
}

func (e *env) open() (*app.App, error) {
	return app.New(app.Config{DataDir: e.dataDir, Workspace: e.workspace})
}

// withApp opens the container, runs fn, and closes the container. While fn
// runs, this process owns the data directory: other commands and MCP
// sessions become its clients. SIGINT and SIGTERM cancel fn's context (see
// interruptContext). For a client's command, fn runs on the owner's
// container with the client's context.
func (e *env) withApp(fn func(ctx context.Context, a *app.App) error) error {
	if e.shared != nil {
		return fn(e.ctx, e.shared)
	}
	ctx, stop := interruptContext(e.stderr)
	defer stop()
	a, err := e.open()
	if err != nil {
		return err
	}
	stopClients := serveClients(a, e)
	err = fn(ctx, a)
	stopClients()
	return errors.Join(err, a.Close())
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.rawOut)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// run runs the command in args: in the Engram that owns the data directory
// when one runs, in this process otherwise. It returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if code, ok := forward(args, stdin, stdout, stderr); ok {
		return code
	}
	return execute(&env{stdin: stdin, rawOut: stdout, rawErr: stderr, color: colorFor(stdout), stderrTTY: isTerminal(stderr)}, args)
}

// execute runs the command in args with e (whose rawOut and rawErr are the
// streams), here. Plain output goes through plainWriter.
func execute(e *env, args []string) int {
	e.stdout, e.stderr = &plainWriter{w: e.rawOut}, &plainWriter{w: e.rawErr}
	stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
	root := &cobra.Command{
		Use:           "engram",
		Short:         "Engram: a local-first second brain",
		Long:          "Engram imports your notes, documents and mail, and answers searches about them in milliseconds, offline.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       app.Version,
		Args:          noArgs,
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.PersistentFlags().StringVar(&e.dataDir, "data", "", "data directory (default $ENGRAM_DATA or the OS's per-user data directory + /engram)")
	root.PersistentFlags().StringVar(&e.workspace, "workspace", "", "workspace to use (default personal)")
	root.AddCommand(
		importCmd(e), searchCmd(e), showCmd(e), graphCmd(e), statsCmd(e), doctorCmd(e),
		workspaceCmd(e), dictCmd(e), jobsCmd(e), configCmd(e), serveCmd(e),
		memoryCmd(e), contextCmd(e), mcpCmd(e), daemonCmd(e), embedCmd(e),
		gapsCmd(e), whoKnowsCmd(e),
		connectCmd(e), syncCmd(e), disconnectCmd(e), // cli/connect.go
		teamCmd(e), // cli/team.go
	)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "engram:", err)
	var ue usageError
	if errors.Is(err, search.ErrInvalidQuery) {
		fmt.Fprintln(stderr, "Run 'engram search --help' for the query syntax.")
		return 2
	}
	if errors.As(err, &ue) || isCobraUsage(err) || isArgumentError(err) {
		fmt.Fprintln(stderr, "Run 'engram --help' for usage.")
		return 2
	}
	return 1
}

// isArgumentError says whether err is a value the user gave that Engram
// cannot take: a number out of its range, an unknown setting or a value a
// setting does not take. Those exit 2, like a usage error.
func isArgumentError(err error) bool {
	return errors.Is(err, bounds.ErrOutOfRange) || errors.Is(err, config.ErrUnknownKey) || errors.Is(err, config.ErrBadValue)
}

// isCobraUsage recognises cobra's own usage errors (unknown command or
// subcommand), which it returns as plain errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "requires at least", "accepts ", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("unknown command %q for %q", args[0], cmd.CommandPath())}
	}
	return nil
}

func exactArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usageError{fmt.Errorf("%s needs %s (got %d arguments)", cmd.CommandPath(), what, len(args))}
		}
		return nil
	}
}

func minArgs(n int, what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return usageError{fmt.Errorf("%s needs %s", cmd.CommandPath(), what)}
		}
		return nil
	}
}

func jsonFlag(cmd *cobra.Command, e *env) {
	cmd.Flags().BoolVar(&e.jsonOut, "json", false, "print JSON")
}

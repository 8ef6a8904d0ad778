package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
)

// usageError marks a mistake in how the command was called (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// env is what every command gets: the streams, the global flags and a way to
// open the container once.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dataDir        string
	workspace      string
	jsonOut        bool
}

func (e *env) open() (*app.App, error) {
	return app.New(app.Config{DataDir: e.dataDir, Workspace: e.workspace})
}

// withApp opens the container, runs fn, and closes the container.
func (e *env) withApp(fn func(ctx context.Context, a *app.App) error) error {
	a, err := e.open()
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err = fn(ctx, a)
	return errors.Join(err, a.Close())
}

func (e *env) printJSON(v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
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
		memoryCmd(e), contextCmd(e), mcpCmd(e),
		connectCmd(e), syncCmd(e), disconnectCmd(e), // cmd/engram/connect.go
	)
	err := root.Execute()
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "engram:", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintln(stderr, "Run 'engram --help' for usage.")
		return 2
	}
	return 1
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

package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/connect/secrets"
)

// withConnectors opens the container with the secrets passphrase asked on
// the terminal (when ENGRAM_SECRETS_PASSPHRASE is not set) and the file
// store's warning printed.
func (e *env) withConnectors(fn func(ctx context.Context, a *app.App) error) error {
	return e.withApp(func(ctx context.Context, a *app.App) error {
		a.SetPassphrasePrompt(func() ([]byte, error) {
			if !term.IsTerminal(int(os.Stdin.Fd())) {
				return nil, secrets.ErrNoPassphrase
			}
			fmt.Fprint(e.stderr, "Passphrase of the encrypted secrets file: ")
			p, err := term.ReadPassword(int(os.Stdin.Fd()))
			fmt.Fprintln(e.stderr)
			return p, err
		})
		if a.SecretsMode() == "file" {
			fmt.Fprintln(e.stderr, secrets.FileWarning)
		}
		return fn(ctx, a)
	})
}

func connectCmd(e *env) *cobra.Command {
	var noBrowser bool
	cmd := &cobra.Command{
		Use:   "connect gmail|slack|box [--no-browser] | connect list [--json]",
		Short: "Sign in to Gmail, Slack or Box and sync it into the workspace",
		Long: "connect NAME opens the provider's sign-in page in your browser (--no-browser only prints its\n" +
			"address) and waits up to 10 minutes for you to sign in; the tokens go to the OS keychain (or,\n" +
			"with `engram config set secrets.store file`, to an encrypted file). Then run `engram sync`.\n" +
			"Each connector needs an OAuth app of your own: `engram config set connect.NAME.client_id ID`\n" +
			"(and connect.NAME.client_secret where the provider gives one). Endpoints can be pointed\n" +
			"elsewhere with connect.NAME.auth_url, token_url and api_base; Slack's https redirect with\n" +
			"connect.slack.redirect_url (then paste the address you land on).",
		Args: exactArgs(1, "a connector: gmail, slack or box (or list)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := connect.Lookup(args[0]); err != nil {
				return usageError{err}
			}
			return e.withConnectors(func(ctx context.Context, a *app.App) error {
				in := bufio.NewReader(e.stdin)
				st, err := a.Connect(ctx, e.workspace, args[0], connect.ConnectOptions{
					NoBrowser: noBrowser,
					Out:       e.stderr,
					Paste: func() (string, error) {
						line, err := in.ReadString('\n')
						if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
							return "", fmt.Errorf("reading the pasted address: %w", err)
						}
						return strings.TrimSpace(line), nil
					},
				})
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "connected %s as %s (workspace %s); run `engram sync %s`\n", st.Name, st.Account, st.Workspace, st.Name)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "print the sign-in address instead of opening the browser")
	cmd.AddCommand(connectListCmd(e))
	return cmd
}

func connectListCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list [--json]",
		Short: "List the connectors: status, account, last sync, counts and errors",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				sts, err := a.ConnectorStatuses()
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(sts)
				}
				printStatuses(e, sts)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func printStatuses(e *env, sts []connect.Status) {
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tSTATUS\tACCOUNT\tLAST SYNC\tDOCUMENTS\tLAST RUN (+/~/-)\tERROR")
	for _, s := range sts {
		last := "never"
		if !s.LastSync.IsZero() {
			last = s.LastSync.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d/%d/%d\t%s\n", s.Name, s.Status, s.Account, last, s.Documents, s.Added, s.Updated, s.Removed, s.Error)
	}
	tw.Flush()
}

func syncCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sync [--json] [NAME]",
		Short: "Sync the connected connectors (or one) into their workspaces",
		Long: "sync reads what changed since the last sync (all of it the first time). Ctrl-C stops it\n" +
			"after the page in progress; running it again resumes from there, also after a crash.",
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := ""
			if len(args) == 1 {
				name = args[0]
				if _, err := connect.Lookup(name); err != nil {
					return usageError{err}
				}
			}
			return e.withConnectors(func(ctx context.Context, a *app.App) error {
				sts, err := a.SyncConnectors(ctx, name, func(n string, c api.Counts) {
					if !e.jsonOut {
						fmt.Fprintf(e.stderr, "\r%s: %d added, %d updated, %d removed", n, c.Added, c.Updated, c.Removed)
					}
				})
				if !e.jsonOut {
					fmt.Fprintln(e.stderr)
				}
				if e.jsonOut {
					if sts == nil {
						sts = []connect.Status{}
					}
					if jerr := e.printJSON(sts); jerr != nil {
						return jerr
					}
				} else if len(sts) == 0 && err == nil {
					fmt.Fprintln(e.stdout, "nothing is connected; run `engram connect gmail|slack|box`")
				} else {
					printStatuses(e, sts)
				}
				return err
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func disconnectCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "disconnect NAME",
		Short: "Remove a connector's tokens and client secret from the keychain; its documents stay",
		Args:  exactArgs(1, "a connector: gmail, slack or box"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := connect.Lookup(args[0]); err != nil {
				return usageError{err}
			}
			return e.withConnectors(func(ctx context.Context, a *app.App) error {
				if err := a.Disconnect(args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "disconnected %s\n", args[0])
				return nil
			})
		},
	}
}

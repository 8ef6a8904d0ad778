package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pkg/browser"
	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// teamCmd is `engram team login|push|pull|status`: the team sync server
// (package teamclient). Registered in cli.go with one line.
func teamCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "team login URL | push [WORKSPACE...] | pull [WORKSPACE...] | status | create | teams | add | remove | share | workspaces | follow",
		Short: "Sign in to a team sync server and push, pull and check the workspaces you share",
		Long: "login URL signs in through the team server's OpenID Connect provider in your browser (the\n" +
			"tokens go to the keychain, or the encrypted secrets file). push sends the notes of the\n" +
			"workspaces named (default: the ones pushed before, else --workspace) and pull fetches what\n" +
			"the team changed; a note edited on two desktops keeps both versions, shown by status as a\n" +
			"conflict until an edit on top of both. A push or pull cut off is resumed by running it again.\n" +
			"create, add and share make a team, add teammates and share a workspace with them; a teammate\n" +
			"lists it with workspaces and syncs a workspace of their own with it by follow ID.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(teamLoginCmd(e), teamSyncCmd(e, "push"), teamSyncCmd(e, "pull"), teamStatusCmd(e))
	cmd.AddCommand(teamShareCmds(e)...)
	return cmd
}

// withTeam opens the container (secrets passphrase asked as connect does)
// and runs fn with its team sync.
func (e *env) withTeam(fn func(ctx context.Context, a *app.App, t *teamsync.Sync) error) error {
	return e.withConnectors(func(ctx context.Context, a *app.App) error {
		t, err := a.Team()
		if err != nil {
			return err
		}
		return fn(ctx, a, t)
	})
}

func teamLoginCmd(e *env) *cobra.Command {
	var noBrowser bool
	cmd := &cobra.Command{
		Use:   "login URL [--no-browser]",
		Short: "Sign in to the team server at URL (https, or http on this machine)",
		Args:  exactArgs(1, "the team server's URL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := teamclient.CheckServerURL(args[0]); err != nil {
				return usageError{err}
			}
			return e.withTeam(func(ctx context.Context, a *app.App, t *teamsync.Sync) error {
				who, err := t.Login(ctx, args[0], func(authURL string) error {
					fmt.Fprintf(e.stderr, "Sign in to the team server in your browser:\n\n  %s\n\nWaiting for the browser...\n", authURL)
					if !noBrowser {
						if err := browser.OpenURL(authURL); err != nil {
							fmt.Fprintf(e.stderr, "(could not open a browser: %v; open the address above yourself)\n", err)
						}
					}
					return nil
				})
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(who)
				}
				fmt.Fprintf(e.stdout, "signed in to %s as %s\n", t.Client().Server(), who.Email)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&noBrowser, "no-browser", false, "print the sign-in address instead of opening the browser")
	jsonFlag(cmd, e)
	return cmd
}

func teamSyncCmd(e *env, verb string) *cobra.Command {
	short := "Send the local edits of the workspaces to the team server"
	if verb == "pull" {
		short = "Fetch the team's changes of the workspaces"
	}
	cmd := &cobra.Command{
		Use:   verb + " [WORKSPACE...] [--json]",
		Short: short,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeam(func(ctx context.Context, a *app.App, t *teamsync.Sync) error {
				wss, err := t.Workspaces(args, e.workspace, a.DefaultWorkspace())
				if err != nil {
					return err
				}
				reports := []any{}
				// A workspace the server refuses (no longer shared with the
				// user, say) is reported and the others go on; anything else
				// (signed out, unreachable) stops at once.
				var refused []error
				skip := func(ws string, err error) bool {
					var re *teamclient.RefusedError
					if !errors.As(err, &re) || re.Status < 400 || re.Status >= 500 {
						return false
					}
					fmt.Fprintf(e.stderr, "%s: %v\n", ws, err)
					refused = append(refused, fmt.Errorf("%s: %w", ws, err))
					return true
				}
				for _, ws := range wss {
					if verb == "push" {
						rep, err := t.Push(ctx, ws, nil)
						if err != nil && skip(ws, err) {
							continue
						}
						if err != nil {
							return err
						}
						reports = append(reports, rep)
						if !e.jsonOut {
							fmt.Fprintf(e.stdout, "%s: %d changes sent, %d stored, %d already there, %d conflicts\n", ws, rep.Sent, rep.Accepted, rep.Duplicates, len(rep.Conflicts))
						}
						continue
					}
					rep, err := t.Pull(ctx, ws, nil)
					if err != nil && skip(ws, err) {
						continue
					}
					if err != nil {
						return err
					}
					reports = append(reports, rep)
					if !e.jsonOut {
						fmt.Fprintf(e.stdout, "%s: %d changes pulled (at %d); team notes: %d added, %d updated, %d removed, %d conflicting versions shown; %d memories taken\n",
							ws, rep.Changes, rep.Cursor, rep.Applied.Added, rep.Applied.Updated, rep.Applied.Removed, rep.Applied.Conflicts, rep.Applied.Memories)
					}
				}
				if e.jsonOut {
					if err := e.printJSON(reports); err != nil {
						return err
					}
				}
				if len(refused) > 0 {
					return fmt.Errorf("%d of %d workspaces were refused: %w", len(refused), len(wss), errors.Join(refused...))
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func teamStatusCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status [WORKSPACE...] [--json]",
		Short: "Show the team server, what waits to be pushed, and the conflicts",
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeam(func(ctx context.Context, a *app.App, t *teamsync.Sync) error {
				st, err := t.Status(args)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(st)
				}
				if st.Server == "" {
					fmt.Fprintln(e.stdout, "not signed in; run `engram team login URL`")
					return nil
				}
				fmt.Fprintf(e.stdout, "server %s, device %s\n", st.Server, st.Device)
				for _, w := range st.Workspaces {
					fmt.Fprintf(e.stdout, "%s: %d items, %d changes waiting to be pushed, pulled up to %d, %d conflicts\n", w.Workspace, w.Items, w.Pending, w.Cursor, len(w.Conflicts))
					for _, cf := range w.Conflicts {
						var vs []string
						for _, h := range cf.Heads {
							v := "deleted"
							if !h.Deleted {
								v = fmt.Sprintf("%q", clipRunes(h.Body, 40))
							}
							vs = append(vs, fmt.Sprintf("%s from device %s: %s", h.ID[:8], clipRunes(h.Device, 8), v))
						}
						fmt.Fprintf(e.stdout, "  conflict %s:\n    %s\n", cf.Key, strings.Join(vs, "\n    "))
					}
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

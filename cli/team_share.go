package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// The team commands that make teams, add teammates and share workspaces
// with them: `engram team create|teams|add|remove|share|workspaces|follow`.

// withTeamClient runs fn with the container's team client: these
// commands are one call each to the server, no sync.
func (e *env) withTeamClient(fn func(ctx context.Context, a *app.App, c *teamclient.Client) error) error {
	return e.withTeam(func(ctx context.Context, a *app.App, t *teamsync.Sync) error { return fn(ctx, a, t.Client()) })
}

func teamShareCmds(e *env) []*cobra.Command {
	return []*cobra.Command{teamCreateCmd(e), teamTeamsCmd(e), teamMemberCmd(e, "add"), teamMemberCmd(e, "remove"),
		teamShareCmd(e), teamServerWorkspacesCmd(e), teamFollowCmd(e)}
}

func teamCreateCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "create NAME [--json]",
		Short: "Make a team on the team server; you administer it",
		Args:  exactArgs(1, "the team's name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeamClient(func(ctx context.Context, _ *app.App, c *teamclient.Client) error {
				t, err := c.MakeTeam(ctx, args[0])
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(t)
				}
				fmt.Fprintf(e.stdout, "made the team %q (%s); add teammates with `engram team add %q EMAIL`\n", t.Name, t.ID, t.Name)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func teamTeamsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "teams [--json]",
		Short: "List your teams, with the members of those you administer",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withTeamClient(func(ctx context.Context, _ *app.App, c *teamclient.Client) error {
				ts, err := c.Teams(ctx)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(ts)
				}
				if len(ts) == 0 {
					fmt.Fprintln(e.stdout, "you are in no team; make one with `engram team create NAME`")
				}
				for _, t := range ts {
					role := "member"
					if t.Admin {
						role = "administrator"
					}
					fmt.Fprintf(e.stdout, "%s  %s (%s)\n", t.ID, t.Name, role)
					for _, m := range t.Members {
						fmt.Fprintf(e.stdout, "    %s\n", m.Email)
					}
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func teamMemberCmd(e *env, verb string) *cobra.Command {
	short := "Add teammates to a team you administer (they sign in to the server once first)"
	if verb == "remove" {
		short = "Take someone out of a team you administer, or yourself out of any"
	}
	return &cobra.Command{
		Use:   verb + " TEAM EMAIL...",
		Short: short,
		Args:  minArgs(2, "the team (its name or ID) and an email"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeamClient(func(ctx context.Context, _ *app.App, c *teamclient.Client) error {
				t, err := c.FindTeam(ctx, args[0])
				if err != nil {
					return err
				}
				for _, email := range args[1:] {
					if verb == "add" {
						p, err := c.AddMember(ctx, t.ID, email)
						if err != nil {
							return fmt.Errorf("adding %s to %s: %w", email, t.Name, err)
						}
						fmt.Fprintf(e.stdout, "%s is in %s\n", p.Email, t.Name)
						continue
					}
					if err := c.RemoveMember(ctx, t.ID, email); err != nil {
						return fmt.Errorf("removing %s from %s: %w", email, t.Name, err)
					}
					fmt.Fprintf(e.stdout, "%s left %s\n", strings.ToLower(strings.TrimSpace(email)), t.Name)
				}
				return nil
			})
		},
	}
}

func teamShareCmd(e *env) *cobra.Command {
	var off bool
	cmd := &cobra.Command{
		Use:   "share WORKSPACE TEAM | share WORKSPACE --off",
		Short: "Share a workspace you pushed with a team you are in (--off: make it private again)",
		Args: func(cmd *cobra.Command, args []string) error {
			if off {
				return exactArgs(1, "the workspace")(cmd, args)
			}
			return exactArgs(2, "the workspace and the team (its name or ID)")(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeamClient(func(ctx context.Context, _ *app.App, c *teamclient.Client) error {
				if off {
					if err := c.Share(ctx, args[0], ""); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "%s is private\n", args[0])
					return nil
				}
				t, err := c.FindTeam(ctx, args[1])
				if err != nil {
					return err
				}
				if err := c.Share(ctx, args[0], t.ID); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "%s is shared with %s; teammates follow it with `engram team workspaces` and `engram team follow ID`\n", args[0], t.Name)
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&off, "off", false, "stop sharing the workspace")
	return cmd
}

func teamServerWorkspacesCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workspaces [--json]",
		Short: "List the workspaces on the team server you may read: yours and your teams'",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withTeamClient(func(ctx context.Context, _ *app.App, c *teamclient.Client) error {
				ws, err := c.ServerWorkspaces(ctx)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(ws)
				}
				if len(ws) == 0 {
					fmt.Fprintln(e.stdout, "nothing on the server yet; `engram team push` sends a workspace")
				}
				for _, w := range ws {
					owner := "yours"
					if !w.Mine {
						owner = "from " + w.Owner.Email
					}
					shared := "private"
					if w.TeamName != "" {
						shared = "shared with " + w.TeamName
					}
					fmt.Fprintf(e.stdout, "%s  %s (%s, %s)\n", w.ID, w.Name, owner, shared)
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func teamFollowCmd(e *env) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:   "follow ID [--as NAME]",
		Short: "Sync a local workspace with a workspace a teammate shares (then pull it)",
		Args:  exactArgs(1, "the workspace's ID (engram team workspaces lists them)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withTeamClient(func(ctx context.Context, a *app.App, c *teamclient.Client) error {
				w, local, err := c.Follow(ctx, as, args[0])
				if err != nil {
					return err
				}
				if err := a.EnsureWorkspace(local); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "the workspace %s follows %s of %s; run `engram team pull %s`\n", local, w.Name, w.Owner.Email, local)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "the local workspace to sync it into (default: its name)")
	return cmd
}

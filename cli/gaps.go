package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/gaps"
)

// filterErr turns a bad filter into a usage error (exit code 2).
func filterErr(err error) error {
	if errors.Is(err, app.ErrBadFilter) {
		return usageError{err}
	}
	return err
}

func gapsCmd(e *env) *cobra.Command {
	var f app.GapsFilter
	cmd := &cobra.Command{
		Use:   "gaps [--json] [--kind K] [--person P] [--since YYYY-MM-DD]",
		Short: "List knowledge gaps: unanswered questions, ownerless decisions, forgotten deadlines, contradictions",
		Long: "Gaps lists what the workspace's mail, chat and notes leave open or contradict, each with its evidence,\n" +
			"the question to ask and whom to ask. Kinds: " + kindList() + ".\n" +
			"The analysis runs after each import; `engram gaps analyze` runs it now.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				l, err := a.Gaps(ctx, e.workspace, f)
				if err != nil {
					return filterErr(err)
				}
				if e.jsonOut {
					return e.printJSON(l)
				}
				printGaps(e, l.Gaps)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&f.Kind, "kind", "", "only gaps of this kind")
	cmd.Flags().StringVar(&f.Person, "person", "", "only gaps involving this person (name or address)")
	cmd.Flags().StringVar(&f.Since, "since", "", "only gaps with evidence on or after this date (YYYY-MM-DD)")
	cmd.Flags().BoolVar(&f.Dismissed, "dismissed", false, "list the dismissed gaps instead")
	cmd.Flags().IntVar(&f.Limit, "limit", 0, "at most this many gaps (0: all)")
	jsonFlag(cmd, e)
	cmd.AddCommand(gapsAnalyzeCmd(e), gapsShowCmd(e), gapsDismissCmd(e))
	return cmd
}

func kindList() string {
	var ks []string
	for _, k := range gaps.Kinds() {
		ks = append(ks, string(k))
	}
	return strings.Join(ks, ", ")
}

func printGaps(e *env, gs []gaps.Gap) {
	if len(gs) == 0 {
		fmt.Fprintln(e.stdout, "no open gaps (run `engram gaps analyze` after an import)")
		return
	}
	var kind gaps.Kind
	for _, g := range gs {
		if g.Kind != kind {
			kind = g.Kind
			fmt.Fprintf(e.stdout, "\n%s\n", strings.ReplaceAll(string(kind), "_", " "))
		}
		date := ""
		if len(g.Evidence) > 0 {
			date = g.Evidence[0].Date.Format("2006-01-02")
		}
		fmt.Fprintf(e.stdout, "  %s  %s  %s\n", g.ID, date, g.Summary)
	}
}

func gapsAnalyzeCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "analyze [--json]",
		Short: "Run the gap analysis now over what changed since the last run",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				bar := newGapsProgress(e, !e.jsonOut)
				res, err := a.GapsAnalyze(ctx, e.workspace, bar.update)
				bar.finish()
				if err != nil {
					if ctx.Err() != nil {
						return fmt.Errorf("gap analysis cancelled; run it again to resume")
					}
					return err
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				if res.Unchanged {
					fmt.Fprintf(e.stdout, "nothing changed since the last analysis; %d open gaps\n", res.Gaps)
					return nil
				}
				fmt.Fprintf(e.stdout, "analysed %d documents, %d conversations and topics; %d open gaps\n", res.Documents, res.Owners, res.Gaps)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

// gapsProgress draws the analysis's progress on a terminal.
type gapsProgress struct {
	bar   *progressbar.ProgressBar
	phase string
}

func newGapsProgress(e *env, want bool) *gapsProgress {
	p := &gapsProgress{}
	if f, ok := e.stderr.(*os.File); ok && want && isatty.IsTerminal(f.Fd()) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(e.stderr),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish(),
		)
	}
	return p
}

func (p *gapsProgress) update(pr gaps.Progress) {
	if p.bar == nil {
		return
	}
	if pr.Phase != p.phase {
		p.phase = pr.Phase
		p.bar.Reset()
		p.bar.Describe(fmt.Sprintf("%-10s", pr.Phase))
	}
	if p.bar.GetMax() != pr.Total {
		p.bar.ChangeMax(pr.Total)
	}
	_ = p.bar.Set(pr.Done)
}

func (p *gapsProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

func gapsShowCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show [--json] ID",
		Short: "Show a gap with its evidence, the question to ask and whom",
		Args:  exactArgs(1, "a gap ID (from `engram gaps`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				g, err := a.GapShow(ctx, e.workspace, args[0])
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(g)
				}
				fmt.Fprintf(e.stdout, "%s  %s\n%s\n", g.ID, g.Kind, g.Summary)
				if g.Dismissed {
					fmt.Fprintln(e.stdout, "(dismissed)")
				}
				fmt.Fprintf(e.stdout, "\nask: %s\n", g.Question)
				var who []string
				for _, p := range g.Ask {
					who = append(who, personString(p))
				}
				fmt.Fprintf(e.stdout, "whom: %s\n", strings.Join(who, "; "))
				for _, v := range g.Values {
					newer := ""
					if v.Newer {
						newer = "  (newer)"
					}
					fmt.Fprintf(e.stdout, "value: %s  %s  %s%s\n", v.Value, v.Date.Format("2006-01-02"), v.DocID, newer)
				}
				fmt.Fprintln(e.stdout, "\nevidence:")
				for _, ev := range g.Evidence {
					fmt.Fprintf(e.stdout, "  %s  %s  %s\n    %q\n", ev.Date.Format("2006-01-02"), ev.DocID, ev.Title, ev.Passage)
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func personString(p gaps.Person) string {
	if p.Address == "" {
		return p.Name
	}
	return p.Name + " <" + p.Address + ">"
}

func gapsDismissCmd(e *env) *cobra.Command {
	var restore bool
	cmd := &cobra.Command{
		Use:   "dismiss [--restore] ID",
		Short: "Dismiss a gap: hidden, and not raised again for the same evidence",
		Args:  exactArgs(1, "a gap ID (from `engram gaps`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if restore {
					if err := a.GapRestore(ctx, e.workspace, args[0]); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "restored %s\n", args[0])
					return nil
				}
				if err := a.GapDismiss(ctx, e.workspace, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "dismissed %s\n", args[0])
				return nil
			})
		},
	}
	cmd.Flags().BoolVar(&restore, "restore", false, "show a dismissed gap again")
	return cmd
}

func whoKnowsCmd(e *env) *cobra.Command {
	var limit int
	cmd := &cobra.Command{
		Use:   "who-knows [--json] [--limit N] TOPIC",
		Short: "Rank people by what they wrote and received about a topic",
		Args:  minArgs(1, "a topic"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.WhoKnows(ctx, e.workspace, strings.Join(args, " "), limit)
				if err != nil {
					return filterErr(err)
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				if len(res.People) == 0 {
					fmt.Fprintf(e.stdout, "nobody: no document is about %q\n", res.Topic)
					return nil
				}
				fmt.Fprintf(e.stdout, "%d documents about %q\n", res.Documents, res.Topic)
				for i, p := range res.People {
					fmt.Fprintf(e.stdout, "\n%d. %s  wrote %d, received %d\n", i+1, personString(gaps.Person{Name: p.Name, Address: p.Address}), p.Wrote, p.Received)
					for _, d := range p.Docs {
						fmt.Fprintf(e.stdout, "   %s  %s  %s\n", d.Date.Format("2006-01-02"), d.ID, d.Title)
					}
				}
				return nil
			})
		},
	}
	cmd.Flags().IntVar(&limit, "limit", 10, "most people to list (1-100)")
	jsonFlag(cmd, e)
	return cmd
}

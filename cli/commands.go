package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/config"
	"github.com/engram-app/engram/control"
)

func importCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "import [--json] PATH...",
		Short: "Import files and folders: notes, mail, chat and documents",
		Long: "Import reads files and folders into the workspace: Markdown and Obsidian vaults, plain text,\n" +
			"email (.eml, Maildir, Enron-style folders, mbox), Slack exports (folder or .zip), HTML, DOCX and PDF.\n" +
			"Re-importing skips what did not change, updates what changed and removes what disappeared.\n" +
			"Ctrl-C cancels; run it again to resume where it stopped.",
		Args: minArgs(1, "at least one file or folder to import"),
		RunE: func(cmd *cobra.Command, args []string) error {
			paths := make([]string, len(args))
			for i, p := range args {
				paths[i] = e.path(p)
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				bar := newProgress(e.rawErr, !e.jsonOut && e.stderrTTY)
				// A detached client leaves once it has the job's ID.
				started := func(id string) { control.ReportJob(e.rawOut, id) }
				res, err := a.ImportJob(ctx, e.workspace, app.JobStart{ID: app.NewJobID(), Started: started}, paths, bar.update)
				bar.finish(err)
				if res == nil {
					return err
				}
				if e.jsonOut {
					if jerr := e.printJSON(res); jerr != nil {
						return jerr
					}
				} else {
					printImport(e, res)
				}
				if err != nil && ctx.Err() != nil {
					return fmt.Errorf("import cancelled after %d files; run the same import again to resume", res.Imported+res.Updated+res.Skipped+res.Failed)
				}
				if err == nil {
					err = waitEmbedding(ctx, e, a, false) // cli/embed.go
				}
				return err
			})
		},
	}
	jsonFlag(cmd, e)
	// --detach is read by forward, before the command runs: the import
	// runs in the owner (started as `engram daemon` when none runs) and
	// goes on after this process ends.
	cmd.Flags().Bool("detach", false, "run the import in the background Engram and return at once; `engram jobs` shows it")
	return cmd
}

func printImport(e *env, r *app.ImportResult) {
	fmt.Fprintf(e.stdout, "imported %d, updated %d, skipped %d, failed %d, removed %d\n", r.Imported, r.Updated, r.Skipped, r.Failed, r.Removed)
	for _, ie := range r.Errors {
		fmt.Fprintf(e.stdout, "  %s: %s\n", ie.Path, ie.Error)
	}
}

func searchCmd(e *env) *cobra.Command {
	var limit, offset int
	var mode string
	cmd := &cobra.Command{
		Use:   "search [--json] [--limit N] [--offset N] QUERY",
		Short: "Search the workspace",
		Long: "Query syntax: words, \"exact phrases\", prefix*, a OR b (also a | b), NOT x or -x, (grouping),\n" +
			"from:, to:, person:, subject:, path:, tag: (or #tag), source:, before:YYYY[-MM[-DD]], after:YYYY[-MM[-DD]].\n" +
			"Words match their parts too (stdint finds stdint.h). Typos are tolerated and the correction used is shown;\n" +
			"acronyms and synonyms expand. A query is at most 1000 characters. Unknown operators, bad dates and\n" +
			"unclosed quotes or brackets are errors (exit code 2). Arguments that are not flags are query words,\n" +
			"so `engram search -patch` excludes patch; everything after -- is the query.",
		DisableFlagParsing: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			words, err := searchArgs(cmd, args)
			if err != nil {
				return err
			}
			if help, _ := cmd.Flags().GetBool("help"); help {
				return cmd.Help()
			}
			if len(words) == 0 {
				return usageError{fmt.Errorf("%s needs a query", cmd.CommandPath())}
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.Search(ctx, e.workspace, app.SearchRequest{Query: strings.Join(words, " "), Limit: limit, Offset: offset, Facets: true, Mode: mode})
				if errors.Is(err, app.ErrBadMode) {
					return usageError{err}
				}
				if err != nil {
					return err
				}
				if res.Notice != "" {
					fmt.Fprintln(e.stderr, "note:", res.Notice)
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				printSearch(e, res, offset)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	cmd.Flags().IntVar(&limit, "limit", 10, "results per page, 1 to 200 (larger is clamped)")
	cmd.Flags().IntVar(&offset, "offset", 0, "results to skip (paging), 0 to 1000000")
	cmd.Flags().StringVar(&mode, "mode", "", "text, semantic or hybrid (default hybrid when embed.endpoint is set, else text)")
	return cmd
}

// plainSnippet shows <mark> highlights as bold when color is on (a
// terminal without NO_COLOR), and as nothing otherwise; plainWriter lets
// this bold alone through.
func plainSnippet(s string, color bool) string {
	on, off := "", ""
	if color {
		on, off = highlightOn, highlightOff
	}
	r := strings.NewReplacer("<mark>", on, "</mark>", off, "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#34;", `"`, "&#39;", "'", "\n", " ")
	return r.Replace(s)
}

func showCmd(e *env) *cobra.Command {
	var thread bool
	cmd := &cobra.Command{
		Use:   "show [--json] [--thread] ID",
		Short: "Show a document, or with --thread the whole conversation of a message",
		Args:  exactArgs(1, "a document ID (from `engram search`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if thread {
					return printThread(ctx, e, a, args[0])
				}
				d, err := a.Document(e.workspace, args[0])
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(d)
				}
				fmt.Fprintf(e.stdout, "%s\n%s\n", d.Title, strings.Repeat("=", min(len(d.Title), 80)))
				fmt.Fprintf(e.stdout, "source: %s\npath:   %s\ndate:   %s\n", d.Source, d.Path, dateText(d.Date, time.RFC1123))
				if d.From != "" {
					fmt.Fprintf(e.stdout, "from:   %s\n", d.From)
				}
				if len(d.To) > 0 {
					fmt.Fprintf(e.stdout, "to:     %s\n", strings.Join(d.To, ", "))
				}
				if len(d.Tags) > 0 {
					fmt.Fprintf(e.stdout, "tags:   #%s\n", strings.Join(d.Tags, " #"))
				}
				fmt.Fprintf(e.stdout, "\n%s\n", d.Body)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	cmd.Flags().BoolVar(&thread, "thread", false, "list the messages of the conversation, oldest first")
	return cmd
}

func graphCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "graph", Short: "Explore the graph of people, notes and topics", Args: noArgs}
	var depth int
	var preds []string
	nb := &cobra.Command{
		Use:   "neighbors [--json] [--depth N] NAME",
		Short: "List what an entity is related to (NAME: an entity's name, an alias, or a note's title)",
		Args:  minArgs(1, "an entity name, alias or note title"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.Neighbors(ctx, e.workspace, strings.Join(args, " "), depth, preds)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				printNeighborTree(e.stdout, res)
				return nil
			})
		},
	}
	jsonFlag(nb, e)
	nb.Flags().IntVar(&depth, "depth", 1, "hops to follow (1-3)")
	nb.Flags().StringSliceVar(&preds, "predicate", nil, "only these relations (e.g. LINKS_TO,TAGGED)")
	var maxDepth int
	path := &cobra.Command{
		Use:   "path [--json] FROM TO",
		Short: "Show the shortest path between two entities",
		Args:  exactArgs(2, "two entity names"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				steps, err := a.Path(ctx, e.workspace, args[0], args[1], maxDepth)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(map[string]any{"path": steps})
				}
				for _, s := range steps {
					fmt.Fprintf(e.stdout, "%s -%s-> %s\n", s.From.Name, s.Predicate, s.To.Name)
				}
				return nil
			})
		},
	}
	jsonFlag(path, e)
	path.Flags().IntVar(&maxDepth, "max-depth", 6, "longest path to look for")
	cmd.AddCommand(nb, path)
	return cmd
}

func statsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "stats [--json]",
		Short: "Count documents, entities and edges, and report health",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				st, err := a.Stats(ctx, e.workspace)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(st)
				}
				fmt.Fprintf(e.stdout, "workspace %s (%s)\ndocuments %d\nindexed   %d\nentities  %d\nedges     %d\n", st.Workspace, st.DataDir, st.Documents, st.Indexed, st.Entities, st.Edges)
				for _, name := range []string{"store", "search", "graph"} {
					h := st.Health[name]
					fmt.Fprintf(e.stdout, "%-9s %s", name, h.Status)
					if h.Detail != "" {
						fmt.Fprintf(e.stdout, ": %s", h.Detail)
					}
					fmt.Fprintln(e.stdout)
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func doctorCmd(e *env) *cobra.Command {
	var repair, salvage bool
	cmd := &cobra.Command{
		Use:   "doctor [--repair|--salvage] [--json]",
		Short: "Check that the store, index and graph agree; --repair rebuilds from the store",
		Long: "Doctor checks every record of the store against its checksum and that the index and graph agree\n" +
			"with the store. --repair sets a damaged index or graph aside and rebuilds it from the store.\n" +
			"--salvage copies every readable record of a damaged store into a new one (the damaged file is kept\n" +
			"beside it), then repairs the index and graph.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if salvage {
				return runSalvage(e)
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				rep, err := a.Doctor(ctx, e.workspace, repair)
				if rep == nil {
					return err
				}
				if e.jsonOut {
					if err := e.printJSON(rep); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(e.stdout, "workspace %s: %d documents\n", rep.Workspace, rep.Documents)
					fmt.Fprintf(e.stdout, "index: %s (missing %d, stale %d, extra %d)\n", rep.Index.Status, rep.Index.Missing, rep.Index.Stale, rep.Index.Extra)
					fmt.Fprintf(e.stdout, "graph: %s (missing %d, stale %d, extra %d)\n", rep.Graph.Status, rep.Graph.Missing, rep.Graph.Stale, rep.Graph.Extra)
					for _, p := range rep.Problems {
						fmt.Fprintf(e.stdout, "  problem: %s\n", p)
					}
					switch {
					case rep.OK && rep.Repaired:
						fmt.Fprintln(e.stdout, "repaired from the store; all good now")
					case rep.OK:
						fmt.Fprintln(e.stdout, "all good")
					case repair:
						fmt.Fprintln(e.stdout, "not repaired: see the problems above")
					default:
						fmt.Fprintln(e.stdout, "run `engram doctor --repair` to rebuild from the store")
					}
				}
				if err != nil {
					return err
				}
				if !rep.OK {
					return fmt.Errorf("store, index and graph disagree")
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	cmd.Flags().BoolVar(&repair, "repair", false, "rebuild what is missing or stale from the store")
	cmd.Flags().BoolVar(&salvage, "salvage", false, "copy every readable record of a damaged store into a new store")
	return cmd
}

func workspaceCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "workspace", Short: "List, create and delete workspaces", Args: noArgs}
	list := &cobra.Command{
		Use:  "list [--json]",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				wss, err := a.Workspaces()
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(map[string]any{"workspaces": wss})
				}
				for _, w := range wss {
					mark := " "
					if w.Default {
						mark = "*"
					}
					fmt.Fprintf(e.stdout, "%s %s\t%d documents\n", mark, w.Name, w.Documents)
				}
				return nil
			})
		},
	}
	jsonFlag(list, e)
	create := &cobra.Command{
		Use:  "create NAME",
		Args: exactArgs(1, "a workspace name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if err := a.CreateWorkspace(args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "created workspace %s; use it with --workspace %s\n", args[0], args[0])
				return nil
			})
		},
	}
	del := &cobra.Command{
		Use:  "delete NAME",
		Args: exactArgs(1, "a workspace name"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if err := a.DeleteWorkspace(args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "deleted workspace %s\n", args[0])
				return nil
			})
		},
	}
	cmd.AddCommand(list, create, del)
	return cmd
}

func dictCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "dict", Short: "Acronyms and synonyms used to expand searches", Args: noArgs}
	list := &cobra.Command{
		Use:  "list [--json]",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				es, err := a.DictList(e.workspace)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(map[string]any{"entries": es})
				}
				tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
				for _, d := range es {
					origin := d.Origin
					if d.Off {
						origin += " (off)"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", d.Kind, d.Term, strings.Join(d.Expansions, ", "), origin)
				}
				return tw.Flush()
			})
		},
	}
	jsonFlag(list, e)
	add := &cobra.Command{
		Use:   "add acronym|synonym TERM EXPANSION...",
		Short: "Add an acronym (engram dict add acronym okr \"objectives and key results\") or synonyms",
		Args:  minArgs(3, "a kind (acronym or synonym), a term and at least one expansion"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if err := a.DictAdd(e.workspace, args[0], args[1], args[2:]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "added %s %s -> %s\n", args[0], args[1], strings.Join(args[2:], ", "))
				return nil
			})
		},
	}
	remove := &cobra.Command{
		Use:   "remove acronym|synonym TERM",
		Short: "Remove one of your entries, or switch a built-in one off",
		Args:  exactArgs(2, "a kind (acronym or synonym) and a term"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if err := a.DictRemove(e.workspace, args[0], args[1]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "removed %s %s\n", args[0], args[1])
				return nil
			})
		},
	}
	restore := &cobra.Command{
		Use:   "restore acronym|synonym TERM",
		Short: "Switch a built-in entry back on, as shipped",
		Args:  exactArgs(2, "a kind (acronym or synonym) and a term"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				if err := a.DictRestore(e.workspace, args[0], args[1]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "restored %s %s\n", args[0], args[1])
				return nil
			})
		},
	}
	cmd.AddCommand(list, add, remove, restore)
	return cmd
}

func jobsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "jobs [--json]",
		Short: "List import jobs with their counts and errors",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				jobs, err := a.Jobs(e.workspace)
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(map[string]any{"jobs": jobs})
				}
				for _, j := range jobs {
					fmt.Fprintf(e.stdout, "%s  %s  %-9s %d/%d files, imported %d, updated %d, skipped %d, failed %d  %s\n", j.ID, j.Started.Local().Format("2006-01-02 15:04"), j.State, j.Done, j.Total, j.Imported, j.Updated, j.Skipped, j.Failed, strings.Join(j.Sources, " "))
					for _, je := range j.Errors {
						fmt.Fprintf(e.stdout, "    %s: %s\n", cmp.Or(je.Path, "import"), je.Error)
					}
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	return cmd
}

func configCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "config", Short: "Read and change settings (engram config list shows them all)", Args: noArgs}
	get := &cobra.Command{
		Use:   "get [--json] KEY",
		Short: "Show the value of a setting in effect (its default when it is not set)",
		Args:  exactArgs(1, "a setting's key (engram config list shows them)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				v, err := a.Setting(args[0])
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(v)
				}
				fmt.Fprintln(e.stdout, v.Value)
				return nil
			})
		},
	}
	jsonFlag(get, e)
	list := &cobra.Command{
		Use:   "list [--json]",
		Short: "List every setting with its value, its default and what it does",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				all, err := a.Settings()
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(map[string]any{"settings": all})
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "KEY\tVALUE\tDEFAULT\tWHAT IT DOES")
				for _, v := range all {
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", v.Key, orDash(v.Value), orDash(v.Default), v.Doc)
				}
				return tw.Flush()
			})
		},
	}
	jsonFlag(list, e)
	set := &cobra.Command{
		Use:   "set KEY VALUE",
		Short: "Change a setting; an empty VALUE resets it to its default",
		Args:  exactArgs(2, "a key and a value"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				before, err := a.Setting(args[0])
				if err != nil && !errors.Is(err, config.ErrUnknownKey) {
					return err
				}
				if err := a.SetSetting(args[0], args[1]); err != nil {
					return err
				}
				after, err := a.Setting(args[0])
				if errors.Is(err, config.ErrUnknownKey) {
					// A key kept elsewhere (a client secret in the
					// secret store) has no value to show.
					fmt.Fprintf(e.stdout, "%s set\n", args[0])
					return nil
				}
				if err != nil {
					return err
				}
				if e.jsonOut {
					return e.printJSON(after)
				}
				fmt.Fprintf(e.stdout, "%s = %s (was %s)\n", after.Key, orDash(after.Value), orDash(before.Value))
				return nil
			})
		},
	}
	jsonFlag(set, e)
	cmd.AddCommand(get, list, set)
	return cmd
}

// orDash shows an empty value as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

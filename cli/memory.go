package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/engram-app/engram/contextpack"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/mcp"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/store"
)

func userFlag(cmd *cobra.Command, user *string) {
	cmd.Flags().StringVar(user, "user", app.LocalUser, "whose memories (each user's are kept apart)")
}

func memoryCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "memory",
		Short: "Remember, search, update and forget facts about a user",
		Long: "Memories are facts about a user (preferences, people, places, plans, feelings), each with\n" +
			"its history. Adding the same fact again changes nothing; a new value for the same thing\n" +
			"updates it (the old version stays in the history); \"I don't live in Paris any more\" or\n" +
			"\"forget that I ...\" deletes it (kept in the history too).",
		Args: noArgs,
	}
	cmd.AddCommand(memoryAddCmd(e), memorySearchCmd(e), memoryListCmd(e), memoryShowCmd(e),
		memoryHistoryCmd(e), memoryDeleteCmd(e), memoryEditCmd(e), memoryUndoCmd(e), memoryConfirmCmd(e))
	return cmd
}

func memoryAddCmd(e *env) *cobra.Command {
	var user, source, said string
	cmd := &cobra.Command{
		Use:   "add [--user U] [--json] [--source S] [--said DATE] TEXT | -",
		Short: "Remember what a statement (or a conversation on stdin, as JSON lines) says",
		Long: "TEXT is one or more statements (\"I moved to Oslo last year. I love bouldering.\").\n" +
			"With -, stdin is a conversation, one JSON object a line: {\"role\":\"user\",\"content\":\"...\"};\n" +
			"only the user's lines are read for facts about the user. A line may carry \"date\" (RFC 3339):\n" +
			"relative dates in it (\"next Tuesday\", \"last year\") count from then; --said DATE sets it for\n" +
			"every line without one.",
		Args: minArgs(1, "a statement, or - to read a conversation from stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			var at time.Time
			if said != "" {
				var err error
				if at, err = parseSaid(said); err != nil {
					return usageError{err}
				}
			}
			var msgs []memory.Message
			if len(args) == 1 && args[0] == "-" {
				var err error
				if msgs, err = readConversation(e.stdin); err != nil {
					return usageError{err}
				}
				if source == "" {
					source = "conversation"
				}
			} else {
				msgs = []memory.Message{{Role: "user", Content: strings.Join(args, " ")}}
			}
			for i := range msgs {
				if msgs[i].Date.IsZero() {
					msgs[i].Date = at
				}
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryAddConversation(ctx, e.workspace, user, msgs, source)
				if err != nil {
					return memUsage(err)
				}
				return printEvents(e, res)
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	cmd.Flags().StringVar(&source, "source", "", "where the statement came from (a message or document ID); default cli")
	cmd.Flags().StringVar(&said, "said", "", "when it was said (YYYY-MM-DD or RFC 3339); relative dates count from it; default now")
	return cmd
}

// parseSaid reads --said: a day (noon UTC) or an RFC 3339 time, not after
// the year 9999.
func parseSaid(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--said %q is not a date; give YYYY-MM-DD or RFC 3339 (2026-04-10T09:30:00Z)", s)
	}
	return t.Add(12 * time.Hour), nil
}

// readConversation reads JSON lines of {"role","content"}; a line that is
// not JSON is taken as something the user said.
func readConversation(r io.Reader) ([]memory.Message, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 4<<20)
	var out []memory.Message
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var m memory.Message
		if strings.HasPrefix(line, "{") {
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				return nil, fmt.Errorf("line %d of the conversation: %v; give one {\"role\":...,\"content\":...} object a line", n, err)
			}
		} else {
			m = memory.Message{Role: "user", Content: line}
		}
		out = append(out, m)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the conversation: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("the conversation on stdin is empty")
	}
	return out, nil
}

// memUsage marks the caller's mistakes (bad user name, empty text) as usage
// errors (exit code 2).
func memUsage(err error) error {
	if errors.Is(err, store.ErrBadUser) || errors.Is(err, memory.ErrEmpty) || errors.Is(err, memory.ErrBadEvent) || errors.Is(err, memory.ErrNotLatest) {
		return usageError{err}
	}
	return err
}

func printEvents(e *env, res *app.MemoryEvents) error {
	if e.jsonOut {
		return e.printJSON(res)
	}
	if len(res.Events) == 0 {
		fmt.Fprintln(e.stdout, "nothing to remember in that (try a statement such as \"I live in Oslo\")")
	}
	for _, ev := range res.Events {
		id := ev.EventID
		if id == "" {
			id = ev.ID
		}
		line := fmt.Sprintf("%-7s %-19s %s", ev.Event, id, ev.Memory)
		if ev.Previous != "" && ev.Previous != ev.Memory {
			line += "  (was: " + ev.Previous + ")"
		}
		fmt.Fprintln(e.stdout, line)
	}
	if len(res.Degraded) > 0 {
		fmt.Fprintf(e.stderr, "note: %s unavailable; the memories are saved and the graph catches up on `engram doctor --repair`\n", strings.Join(res.Degraded, ", "))
	}
	return nil
}

func memorySearchCmd(e *env) *cobra.Command {
	var user, asOf string
	var limit int
	var all bool
	cmd := &cobra.Command{
		Use:   "search [--user U] [--json] [--limit N] [--all] [--as-of DATE] QUERY",
		Short: "Find memories by words or a question (\"where do I live\")",
		Long: "With --as-of DATE (YYYY-MM-DD) the answer comes from valid time: each memory as it was true\n" +
			"on that day (\"where did I live\" --as-of 2025-06-01).",
		Args: minArgs(1, "a query or question"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 1 || limit > 1000 {
				return usageError{fmt.Errorf("--limit must be 1 to 1000")}
			}
			var day time.Time
			if asOf != "" {
				var err error
				if day, err = time.Parse("2006-01-02", asOf); err != nil {
					return usageError{fmt.Errorf("--as-of %q is not a date; give YYYY-MM-DD", asOf)}
				}
				day = day.Add(12 * time.Hour)
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				var res *app.MemorySearchResult
				var err error
				if asOf != "" {
					res, err = a.MemorySearchAsOf(ctx, e.workspace, user, strings.Join(args, " "), limit, day)
				} else {
					res, err = a.MemorySearch(ctx, e.workspace, user, strings.Join(args, " "), limit, all)
				}
				if err != nil {
					return memUsage(err)
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				if len(res.Hits) == 0 {
					fmt.Fprintln(e.stdout, "no memories match")
				}
				for i, h := range res.Hits {
					fmt.Fprintf(e.stdout, "%d. %s  [%s, %.2f]  id %s%s\n", i+1, h.Text, h.Kind, h.Score, h.ID, span(h.Memory))
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	cmd.Flags().IntVar(&limit, "limit", 10, "most memories to show, 1 to 100 (larger is clamped)")
	cmd.Flags().BoolVar(&all, "all", false, "include deleted memories")
	cmd.Flags().StringVar(&asOf, "as-of", "", "answer as of this day (YYYY-MM-DD), from valid time")
	return cmd
}

func span(m store.Memory) string {
	return "  valid " + validSpan(m.ValidFrom, m.ValidTo)
}

// validSpan shows valid time: "?" for an unknown start, "now" for an open
// end.
func validSpan(from, to *time.Time) string {
	s := "?"
	if from != nil {
		s = from.Format("2006-01-02")
	}
	s += ".."
	if to != nil {
		return s + to.Format("2006-01-02")
	}
	return s + "now"
}

// recordSpan shows record time: when Engram learnt a version and, if it
// did, when it retired it.
func recordSpan(recorded time.Time, superseded *time.Time) string {
	s := recorded.Format("2006-01-02 15:04:05") + ".."
	if superseded != nil {
		return s + superseded.Format("2006-01-02 15:04:05")
	}
	return s + "now"
}

func memoryListCmd(e *env) *cobra.Command {
	var user string
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--user U] [--json] [--all]",
		Short: "List a user's current memories, newest first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryList(ctx, e.workspace, user, all)
				if err != nil {
					return memUsage(err)
				}
				if e.jsonOut {
					return e.printJSON(res)
				}
				if len(res.Memories) == 0 {
					fmt.Fprintf(e.stdout, "no memories for %s yet; add one with `engram memory add --user %s \"I live in Oslo\"`\n", res.User, res.User)
				}
				for _, m := range res.Memories {
					state := ""
					if m.State != store.MemoryCurrent {
						state = " (" + m.State + ")"
					} else if m.ValidTo != nil {
						// A past fact ("Used to live in Rome"): known, no longer true.
						state = " (valid " + validSpan(m.ValidFrom, m.ValidTo) + ")"
					}
					fmt.Fprintf(e.stdout, "%-16s %-12s %s%s\n", m.ID, m.Kind, m.Text, state)
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	cmd.Flags().BoolVar(&all, "all", false, "include deleted memories")
	return cmd
}

func memoryShowCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "show [--user U] [--json] ID",
		Short: "Show one memory",
		Args:  exactArgs(1, "a memory ID (from `engram memory list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				m, err := a.MemoryShow(ctx, e.workspace, user, args[0])
				if err != nil {
					return memUsage(err)
				}
				if e.jsonOut {
					return e.printJSON(m)
				}
				fmt.Fprintf(e.stdout, "%s\nid:        %s\nkind:      %s\nstate:     %s (version %d, event %s)\nvalid:     %s\nrecorded:  %s\nsource:    %s\nsaid:      %s\n",
					m.Text, m.ID, m.Kind, m.State, m.Version, memory.EventID(m.ID, m.Version), validSpan(m.ValidFrom, m.ValidTo), recordSpan(m.Recorded, m.Superseded), m.Source, m.Said)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func memoryHistoryCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "history [--user U] [--json] ID",
		Short: "Show every version of a memory: the event that made it, valid time and record time",
		Long: "valid is when the fact was true in the world (? when unknown); recorded is when Engram\n" +
			"learnt the version and when it retired it. Undo any latest event with `engram memory undo EVENT`.",
		Args: exactArgs(1, "a memory ID (from `engram memory list --all`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				h, err := a.MemoryHistory(ctx, e.workspace, user, args[0])
				if err != nil {
					return memUsage(err)
				}
				if e.jsonOut {
					return e.printJSON(h)
				}
				fmt.Fprintf(e.stdout, "%-22s %-7s %-22s %-40s %s\n", "event", "", "valid", "recorded", "memory")
				for _, v := range h.Versions {
					note := ""
					if v.Undoes != "" {
						note = "  (undoes " + v.Undoes + ")"
					}
					valid := validSpan(v.ValidFrom, v.ValidTo)
					if v.Superseded != nil && v.ValidTo == nil {
						// Retired in record time only (a correction, a
						// forget): its end in the world is not known.
						valid = strings.TrimSuffix(valid, "now") + "?"
					}
					fmt.Fprintf(e.stdout, "%-22s %-7s %-22s %-40s %s%s\n", memory.EventID(h.ID, v.Version), v.Event,
						valid, recordSpan(v.Recorded, v.Superseded), v.Text, note)
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func memoryDeleteCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "delete [--user U] [--json] ID",
		Short: "Forget a memory (its history keeps it)",
		Args:  exactArgs(1, "a memory ID (from `engram memory list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryDelete(ctx, e.workspace, user, args[0])
				if err != nil {
					return memUsage(err)
				}
				if err := printEvents(e, res); err != nil {
					return err
				}
				if changedNothing(res) {
					return fmt.Errorf("memory %s was already deleted; nothing changed (`engram memory history %s` shows when)", args[0], args[0])
				}
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func memoryEditCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "edit [--user U] [--json] ID TEXT",
		Short: "Change a memory's text (the old version stays in the history)",
		Args:  minArgs(2, "a memory ID and its new text"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryEdit(ctx, e.workspace, user, args[0], strings.Join(args[1:], " "))
				if err != nil {
					return memUsage(err)
				}
				return printEvents(e, res)
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func memoryUndoCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "undo [--user U] [--json] EVENT",
		Short: "Undo an event (its ID from `memory add` or `memory history`): the exact previous state returns",
		Long: "EVENT is <memory id>@<version>. Only a memory's latest event can be undone; the undo is a\n" +
			"new version in the history (event UNDO) and can itself be undone.",
		Args: exactArgs(1, "an event ID such as 019afc3a91d2c4e87b15@2 (from `engram memory history ID`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := memory.ParseEventID(args[0]); err != nil {
				return usageError{err}
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryUndo(ctx, e.workspace, user, args[0])
				if err != nil {
					return memUsage(err)
				}
				return printEvents(e, res)
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func memoryConfirmCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "confirm [--user U] [--json] ID",
		Short: "Confirm a machine-made memory is right (recorded in its history)",
		Args:  exactArgs(1, "a memory ID (from `engram memory list`)"),
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				res, err := a.MemoryConfirm(ctx, e.workspace, user, args[0])
				if err != nil {
					return memUsage(err)
				}
				return printEvents(e, res)
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	return cmd
}

func contextCmd(e *env) *cobra.Command {
	var user string
	var budget int
	cmd := &cobra.Command{
		Use:   "context [--user U] [--json] [--budget TOKENS] QUESTION",
		Short: "Build a context pack for an assistant: profile, memories, entities and passages",
		Args:  minArgs(1, "a question"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if budget < 0 {
				return usageError{fmt.Errorf("--budget must be positive (tokens, about 4 characters each)")}
			}
			return e.withApp(func(ctx context.Context, a *app.App) error {
				p, err := a.Context(ctx, e.workspace, user, strings.Join(args, " "), budget)
				if err != nil {
					return memUsage(err)
				}
				if e.jsonOut {
					return e.printJSON(p)
				}
				fmt.Fprintf(e.stdout, "Profile of %s:\n  %s\n", p.User, p.Profile)
				if len(p.Memories) > 0 {
					fmt.Fprintln(e.stdout, "\nRelevant memories:")
					for _, m := range p.Memories {
						fmt.Fprintf(e.stdout, "  [memory:%s] %s\n", m.ID, m.Memory)
					}
				}
				if len(p.Entities) > 0 {
					fmt.Fprintln(e.stdout, "\nRelated entities:")
					for _, en := range p.Entities {
						fmt.Fprintf(e.stdout, "  %s (%s, %s)\n", en.Name, en.Kind, en.Predicate)
					}
				}
				if len(p.Passages) > 0 {
					fmt.Fprintln(e.stdout, "\nPassages:")
					for _, ps := range p.Passages {
						fmt.Fprintf(e.stdout, "  [%s] %s: %s\n", ps.ID, ps.Title, ps.Text)
					}
				}
				fmt.Fprintf(e.stdout, "\n%d of %d tokens\n", p.Tokens, p.Budget)
				return nil
			})
		},
	}
	jsonFlag(cmd, e)
	userFlag(cmd, &user)
	cmd.Flags().IntVar(&budget, "budget", contextpack.DefaultBudget, "token budget, 10 to 32000 (about 4 characters a token; outside is clamped)")
	return cmd
}

func mcpCmd(e *env) *cobra.Command {
	var user string
	cmd := &cobra.Command{
		Use:   "mcp [--user U]",
		Short: "Serve Engram to AI assistants over the Model Context Protocol (stdio)",
		Long: "mcp speaks MCP (JSON-RPC) on stdin and stdout, for an assistant such as Claude Desktop to\n" +
			"start. Tools: search, memory_add, memory_search, memory_list, memory_delete, graph_neighbors,\n" +
			"context. --user is the default user of memory tools; a tool call may name another.",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return e.withApp(func(ctx context.Context, a *app.App) error {
				srv := mcp.New(a.Assistant(), mcp.Options{Workspace: e.workspace, User: user, Version: app.Version})
				in, out := e.stdin, e.rawOut
				if in == nil {
					in = os.Stdin
				}
				return srv.Serve(ctx, in, out)
			})
		},
	}
	userFlag(cmd, &user)
	return cmd
}

// changedNothing says whether every event of res is NONE: the command found
// what it was asked to change already as asked.
func changedNothing(res *app.MemoryEvents) bool {
	for _, ev := range res.Events {
		if ev.Event != memory.EventNone {
			return false
		}
	}
	return len(res.Events) > 0
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/embed"
)

func embedCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "embed",
		Short: "Search by meaning: the embedding endpoint's state and the background embedding",
		Long: "Set an endpoint with `engram config set embed.endpoint http://127.0.0.1:11434` (Ollama) or an\n" +
			"OpenAI-compatible base URL ending in /v1, and `engram config set embed.model nomic-embed-text`.\n" +
			"Documents are embedded after each import; `embed run` waits for what is still queued.",
		Args: noArgs,
	}
	status := &cobra.Command{
		Use:   "status [--json]",
		Short: "Show the endpoint's state and how many documents are embedded",
		Args:  noArgs,
		RunE: withEmbedStatus(e, func(_ context.Context, _ *app.App, st *app.EmbedStatus) error {
			if e.jsonOut {
				return e.printJSON(st)
			}
			printEmbedStatus(e, st)
			return nil
		}),
	}
	jsonFlag(status, e)
	run := &cobra.Command{
		Use:   "run",
		Short: "Embed what is queued (after a model change, or when the endpoint was down) and wait",
		Args:  noArgs,
		RunE: withEmbedStatus(e, func(ctx context.Context, a *app.App, st *app.EmbedStatus) error {
			if st.State == "off" {
				return fmt.Errorf("no embedding endpoint is set; run `engram config set %s http://127.0.0.1:11434`", app.SettingEmbedEndpoint)
			}
			return waitEmbedding(ctx, e, a, true)
		}),
	}
	cmd.AddCommand(status, run)
	return cmd
}

// withEmbedStatus runs fn with the workspace's embedding status.
func withEmbedStatus(e *env, fn func(context.Context, *app.App, *app.EmbedStatus) error) func(*cobra.Command, []string) error {
	return func(*cobra.Command, []string) error {
		return e.withApp(func(ctx context.Context, a *app.App) error {
			st, err := a.EmbedStatus(e.workspace)
			if err != nil {
				return err
			}
			return fn(ctx, a, st)
		})
	}
}

func printEmbedStatus(e *env, st *app.EmbedStatus) {
	fmt.Fprintf(e.stdout, "workspace %s: %s\n", st.Workspace, st.State)
	if st.Endpoint != nil {
		up := "up"
		if !st.Endpoint.Up {
			up = "down"
		}
		fmt.Fprintf(e.stdout, "endpoint  %s (%s, model %s): %s\n", st.Endpoint.Endpoint, st.Endpoint.API, st.Endpoint.Model, up)
	}
	index := "exact scan"
	if st.Approximate {
		index = "approximate (HNSW)"
	}
	fmt.Fprintf(e.stdout, "embedded  %d documents, %d chunks, %s\nqueued    %d documents\n", st.Documents, st.Chunks, index, st.Pending)
	if st.Error != "" {
		fmt.Fprintf(e.stdout, "error     %s\n", st.Error)
	}
}

// waitEmbedding waits for the background embedding of the workspace,
// drawing its progress on a terminal. An endpoint that is down or a Ctrl-C
// leaves the rest queued: a note says so, and only strict makes it an error.
func waitEmbedding(ctx context.Context, e *env, a *app.App, strict bool) error {
	tty := false
	if f, ok := e.stderr.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		tty = true
	}
	var last embed.Progress
	err := a.EmbedWait(ctx, e.workspace, 200*time.Millisecond, func(p embed.Progress) {
		last = p
		if tty && p.Total > 0 {
			fmt.Fprintf(e.stderr, "\rembedding %d/%d documents", p.Done, p.Total)
		}
	})
	if tty && last.Total > 0 {
		fmt.Fprintln(e.stderr)
	}
	switch {
	case err == nil:
		if last.Done > 0 {
			fmt.Fprintf(e.stderr, "embedding: %d documents done (%d chunks; %d texts sent to the endpoint, the rest from the cache)\n", last.Done, last.Chunks, last.Sent)
		}
		return nil
	case errors.Is(err, context.Canceled):
		fmt.Fprintln(e.stderr, "note: embedding paused; it resumes with the next import or `engram embed run`")
	case errors.Is(err, embed.ErrUnavailable):
		fmt.Fprintf(e.stderr, "note: %v\nnote: documents stay queued for search by meaning; run `engram embed run` when the endpoint is up\n", err)
	default:
		fmt.Fprintf(e.stderr, "note: embedding stopped: %v\n", err)
	}
	if strict {
		return err
	}
	return nil
}

// matchedNote marks a search hit that its meaning found.
func matchedNote(matched []string) string {
	if slices.Contains(matched, app.MatchedSemantic) {
		if slices.Contains(matched, app.MatchedText) {
			return "  (words + meaning)"
		}
		return "  (by meaning)"
	}
	return ""
}

// Command engram-bench generates Enron-shaped test corpora and measures
// Engram against the performance budget of the specification.
//
//	engram-bench gen --out DIR [--messages N] [--seed S] [--people P]
//	engram-bench genmbox --out FILE [--size 3G] [--seed S]
//	engram-bench run [--sizes 10000,100000] [--out BENCHMARKS.md] [--real PATH]... [--memories N] [--memory-users U] [--only-peers]
//	engram-bench graphview [--nodes N] [--edges M]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/engram-app/engram/bench"
	"github.com/engram-app/engram/bench/corpus"
	"github.com/engram-app/engram/ingest/pdf"
	"github.com/engram-app/engram/internal/gctune"
)

func main() {
	// --real imports may hold PDFs, read by this binary as a worker.
	if pdf.WorkerMain() {
		return
	}
	// Measured as Engram's own binaries run: with their collector settings.
	gctune.Tune(context.Background())
	if len(os.Args) > 1 && bench.IsChildCommand(os.Args[1]) {
		os.Exit(bench.ChildMain(os.Args[1:]))
	}
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "engram-bench:", err)
		os.Exit(1)
	}
}

const usage = `usage:
  engram-bench gen --out DIR [--messages N] [--seed S] [--people P]
  engram-bench genmbox --out FILE [--size 3G] [--seed S]
  engram-bench run [--sizes 10000,100000] [--out BENCHMARKS.md] [--real PATH]... [--memories N] [--memory-users U]
                   [--chunks N] [--engram PATH] [--skip-client] [--skip-semantic] [--skip-peers] [--only-peers] [--profile DIR]
                   [--mbox 3G] [--team 100000]
  engram-bench search --data DIR [--messages N] [--seed S] [--clients 16] [--queries 2000] [--profile FILE]
  engram-bench graphview [--nodes N] [--edges M]
  engram-bench semantic [--chunks 100000] [--dim 384] [--docs 2000] [--out FILE]
  engram-bench team [--instances 3] [--pool 2] [--users 200] [--requests 100000] [--cancel 0.1]`

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	switch args[0] {
	case "gen":
		return gen(args[1:])
	case "genmbox":
		return genMbox(args[1:])
	case "run":
		return measure(ctx, args[1:])
	case "graphview":
		return graphView(ctx, args[1:])
	case "semantic":
		return semantic(ctx, args[1:]) // cmd/engram-bench/semantic.go
	case "search":
		return searchExisting(ctx, args[1:])
	case "team":
		return team(ctx, args[1:]) // cmd/engram-bench/team.go
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}

func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	out := fs.String("out", "", "folder to write maildir/ into (required)")
	n := fs.Int("messages", 10000, "number of messages")
	seed := fs.Uint64("seed", 1, "seed; the same seed gives the same files")
	people := fs.Int("people", 0, "number of correspondents (0: scale with --messages)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("gen: --out DIR is required")
	}
	st, err := corpus.Generate(*out, corpus.Options{Messages: *n, Seed: *seed, People: *people})
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d messages (%d replies, %.1f MB) from %d people (%d mailboxes) to %s in %s\n",
		st.Messages, st.Replies, float64(st.Bytes)/1e6, st.People, st.Owners, *out, st.Elapsed.Round(1e6))
	return nil
}

// genMbox writes one mbox of a given size (corpus.GenerateMbox).
func genMbox(args []string) error {
	fs := flag.NewFlagSet("genmbox", flag.ContinueOnError)
	out := fs.String("out", "", "mbox file to write (required)")
	size := fs.String("size", "100M", "size to reach: bytes, or a number with K, M or G (1K to 1024G)")
	seed := fs.Uint64("seed", 1, "seed; the same seed and size give the same file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("genmbox: --out FILE is required")
	}
	n, err := parseSize(*size)
	if err != nil {
		return fmt.Errorf("genmbox: --size: %w", err)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	st, err := corpus.GenerateMbox(f, corpus.MboxOptions{Bytes: n, Seed: *seed})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Printf("wrote %d messages (%d with attachments, %d with long lines, %d with a quoted From line, %.1f MB) to %s in %s\n",
		st.Messages, st.Attachments, st.LongLines, st.FromQuoted, float64(st.Bytes)/1e6, *out, st.Elapsed.Round(1e6))
	return nil
}

// parseSize reads "3G", "500M", "64K" or a number of bytes.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "G"):
		mult, s = 1<<30, strings.TrimSuffix(s, "G")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f*float64(mult) < 1<<10 || f*float64(mult) > 1<<40 {
		return 0, fmt.Errorf("%q is not a size from 1K to 1024G", s)
	}
	return int64(f * float64(mult)), nil
}

// repeated collects a flag given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ",") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func measure(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	sizes := fs.String("sizes", "10000,100000", "comma-separated corpus sizes, in messages")
	out := fs.String("out", "BENCHMARKS.md", "Markdown report to write")
	seed := fs.Uint64("seed", 1, "corpus seed")
	queries := fs.Int("queries", 2000, "timed searches per size")
	keep := fs.Bool("keep", false, "keep the temporary corpora and data directories")
	memories := fs.Int("memories", 10000, "statements the memory benchmark adds, over --memory-users users (0: skip it)")
	memUsers := fs.Int("memory-users", 10, "users of the memory benchmark")
	profile := fs.String("profile", "", "write CPU profiles of the searches idle and during the gap analysis, and of the memory phases under many clients, to this folder")
	engram := fs.String("engram", "", "engram binary run as the daemon of the control-socket comparison (default: built from this tree with go build)")
	skipClient := fs.Bool("skip-client", false, "leave out search through the control socket")
	skipSemantic := fs.Bool("skip-semantic", false, "leave out search by meaning")
	skipPeers := fs.Bool("skip-peers", false, "leave out engram import through the CLI and the raw Bleve and SQLite FTS5 peers")
	onlyPeers := fs.Bool("only-peers", false, "per size, measure only the imports, the peers and the searches they are compared with (implies --skip-client --skip-semantic --memories 0)")
	var so bench.SemanticOptions
	fs.IntVar(&so.Chunks, "chunks", 100000, "vectors of the vector benchmark (search by meaning)")
	fs.IntVar(&so.Queries, "vector-queries", 1000, "timed vector queries per index")
	fs.IntVar(&so.EmbedTexts, "texts", 20000, "texts of the embedding throughput benchmark")
	fs.IntVar(&so.Docs, "semantic-docs", 2000, "generated emails searched in hybrid mode")
	fs.IntVar(&so.HybridQueries, "hybrid-queries", 2000, "timed hybrid searches")
	mboxSize := fs.String("mbox", "3G", "size of the generated mbox imported once (1K to 1024G, as genmbox --size), or 0 to skip it")
	teamRequests := fs.Int("team", 100000, "requests of the team server load (1 to 100,000,000), or 0 to skip it")
	work := fs.String("workdir", "", "where to put temporary corpora and data (default: the system's temp dir)")
	var real repeated
	fs.Var(&real, "real", "a real folder to import and search too (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var mboxBytes int64 = -1
	if *mboxSize != "0" {
		n, err := parseSize(*mboxSize)
		if err != nil {
			return fmt.Errorf("run: --mbox: %w", err)
		}
		mboxBytes = n
	}
	opts := bench.Options{MboxBytes: mboxBytes, Real: real, Seed: *seed, Queries: *queries, Keep: *keep, WorkDir: *work, Profile: *profile, Engram: *engram, SkipClient: *skipClient, SkipSemantic: *skipSemantic, SkipPeers: *skipPeers, OnlyPeers: *onlyPeers, Semantic: so, Memories: *memories, MemoryUsers: *memUsers}
	if *memories <= 0 {
		opts.Memories = -1
	}
	switch {
	case *teamRequests == 0:
		opts.TeamRequests = -1
	case *teamRequests < 0 || *teamRequests > 100000000:
		return fmt.Errorf("run: --team must be from 1 to 100,000,000 requests, or 0 to skip, not %d", *teamRequests)
	default:
		opts.TeamRequests = *teamRequests
	}
	for _, s := range strings.Split(*sizes, ",") {
		if s = strings.TrimSpace(strings.ReplaceAll(s, "_", "")); s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return fmt.Errorf("run: bad size %q in --sizes", s)
		}
		opts.Sizes = append(opts.Sizes, n)
	}
	rep, err := bench.Run(ctx, opts)
	if rep != nil && (len(rep.Sizes) > 0 || len(rep.Real) > 0 || rep.Memory != nil || rep.Semantic != nil || rep.Mbox != nil || rep.Team != nil) {
		if werr := rep.WriteFile(*out); werr != nil {
			return errors.Join(err, werr)
		}
		fmt.Fprintln(os.Stderr, "wrote", *out)
	}
	return err
}

// graphView times only the graph view in Chromium, for whoever works on it.
func graphView(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("graphview", flag.ContinueOnError)
	nodes := fs.Int("nodes", 5000, "nodes of the synthetic graph")
	edges := fs.Int("edges", 10000, "edges of the synthetic graph")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *nodes < 2 || *edges < 0 || *edges > *nodes*(*nodes-1) {
		return fmt.Errorf("graphview: %d nodes cannot hold %d edges", *nodes, *edges)
	}
	g, err := bench.GraphView(ctx, *nodes, *edges)
	if err != nil {
		return err
	}
	fmt.Printf("graph view, %d nodes, %d edges: first paint %.0f ms\n", g.Nodes, g.Edges, g.FirstPaint)
	fmt.Printf("  mouse drag:   %d frames, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", g.Frames.N, g.Frames.P50, g.Frames.P99, g.Frames.Max)
	fmt.Printf("  API pan/zoom: %d frames, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", g.APIFrames.N, g.APIFrames.P50, g.APIFrames.P99, g.APIFrames.Max)
	if g.Skipped != "" {
		return errors.New(g.Skipped)
	}
	return nil
}

// searchExisting runs the search mix on a data directory that imported
// `engram-bench gen` output (bench.SearchExisting).
func searchExisting(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	var o bench.SearchOptions
	fs.StringVar(&o.Data, "data", "", "data directory that imported the corpus (required)")
	fs.IntVar(&o.Messages, "messages", 10000, "the corpus's --messages")
	fs.Uint64Var(&o.Seed, "seed", 1, "the corpus's --seed")
	fs.IntVar(&o.Clients, "clients", 16, "concurrent clients, 1 to 256")
	fs.IntVar(&o.Queries, "queries", 2000, "timed queries, 1 to 1,000,000")
	fs.StringVar(&o.Profile, "profile", "", "write a CPU profile of the timed searches to this file")
	fs.BoolVar(&o.Facets, "facets", false, "count the source, person and year facets too, as engram search does")
	fs.StringVar(&o.Engram, "client", "", "an engram binary: compare engram search in-process with the same through its daemon's control socket instead")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.Data == "" {
		return errors.New("search: --data DIR is required")
	}
	return bench.SearchExisting(ctx, o, os.Stdout)
}

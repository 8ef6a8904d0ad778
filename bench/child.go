package bench

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/ingest"
)

// ChildEnv is set in the environment of the child processes Run starts. A
// test binary that calls Run checks it in TestMain and hands its arguments
// to ChildMain.
const ChildEnv = "ENGRAM_BENCH_CHILD"

// Hidden subcommands run in the child process.
const (
	cmdImportChild  = "import-child"
	cmdStartupChild = "startup-child"
	cmdGapsChild    = "gaps-child"
	// The peers of issue 18 (peers.go) and the wrapper that measures a
	// program of its own (engram import, notmuch new).
	cmdPeerImportChild = "peer-import-child"
	cmdPeerSearchChild = "peer-search-child"
	cmdExecChild       = "exec-child"
)

// IsChildCommand reports whether name is one of the hidden subcommands a
// main must pass to ChildMain.
func IsChildCommand(name string) bool {
	switch name {
	case cmdImportChild, cmdStartupChild, cmdGapsChild, cmdPeerImportChild, cmdPeerSearchChild, cmdExecChild:
		return true
	}
	return false
}

// importOutcome is what the import child prints on stdout, as JSON.
type importOutcome struct {
	Imported int      `json:"imported"`
	Updated  int      `json:"updated"`
	Skipped  int      `json:"skipped"`
	Failed   int      `json:"failed"`
	Seconds  float64  `json:"seconds"`
	PeakAnon int64    `json:"peak_anon"`        // bytes, sampled every 50 ms
	PeakFile int64    `json:"peak_file"`        // bytes of mmap'd files resident
	HWM      int64    `json:"hwm,omitempty"`    // bytes: the process's own peak RSS (VmHWM), 0 where unknown
	Errors   []string `json:"errors,omitempty"` // the first few
	Err      string   `json:"err,omitempty"`
}

// startupOutcome is what the start-up child prints on stdout, as JSON.
type startupOutcome struct {
	MS    float64 `json:"ms"`    // app.New to the first search answered
	Total uint64  `json:"total"` // hits of that search
	Err   string  `json:"err,omitempty"`
}

// ChildMain runs a hidden subcommand (args[0]) and returns the exit code.
// Its result goes to stdout as one line of JSON; progress goes to stderr.
func ChildMain(args []string) int {
	start := time.Now() // as close to process start as Go lets us see
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "engram-bench: no child command")
		return 2
	}
	if args[0] == cmdExecChild { // exec-child -- PROGRAM ARGS...
		argv := args[1:]
		if len(argv) > 0 && argv[0] == "--" {
			argv = argv[1:]
		}
		if err := json.NewEncoder(os.Stdout).Encode(execChild(argv)); err != nil {
			return 1
		}
		return 0
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	data := fs.String("data", "", "data directory")
	src := fs.String("corpus", "", "folder to import")
	query := fs.String("query", "", "first search")
	expect := fs.Int("expect", 0, "files expected, for the ETA while the folder is still being walked")
	peer := fs.String("peer", "", "peer of issue 18: bleve or fts5")
	queries := fs.String("queries", "", "file of the peer's queries (JSON)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	var out any
	switch args[0] {
	case cmdImportChild:
		out = importChild(*data, *src, *expect, os.Stderr)
	case cmdGapsChild:
		out = gapsChild(*data, os.Stderr)
	case cmdPeerImportChild:
		out = peerImportChild(*peer, *src, *data)
	case cmdPeerSearchChild:
		out = peerSearchChild(*peer, *data, *queries)
	case cmdStartupChild:
		// Printed before the container closes, so that the parent's clock
		// stops at the answer, not at the shutdown.
		out = startupChild(start, *data, *query, func(o startupOutcome) {
			_ = json.NewEncoder(os.Stdout).Encode(o)
		})
		if out == nil {
			return 0
		}
	default:
		fmt.Fprintf(os.Stderr, "engram-bench: unknown child command %q\n", args[0])
		return 2
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		return 1
	}
	return 0
}

// importChild imports src into a fresh container on data and times
// a.Import alone: opening and closing the container are not counted. Every
// 10 s it prints the progress and an ETA (from expect, when the walk has not
// finished yet) to log.
func importChild(data, src string, expect int, log io.Writer) importOutcome {
	a, err := app.New(app.Config{DataDir: data})
	if err != nil {
		return importOutcome{Err: err.Error()}
	}
	defer a.Close()
	var (
		mu   sync.Mutex
		last = time.Now()
	)
	progress := func(p ingest.Progress) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < 10*time.Second {
			return
		}
		last = time.Now()
		rate := p.Rate()
		total := p.Total
		if p.Walking {
			total = max(total, expect)
		}
		eta := "?"
		if rate > 0 && total >= p.Done && (!p.Walking || expect > 0) {
			eta = (time.Duration(float64(total-p.Done)/rate) * time.Second).Round(time.Second).String()
		}
		fmt.Fprintf(log, "           import: %d/%d files, %.0f files/s, ETA %s\n", p.Done, total, rate, eta)
	}
	peaks := startMemPeaks(50 * time.Millisecond)
	t0 := time.Now()
	res, err := a.Import(context.Background(), "", []string{src}, progress)
	secs := time.Since(t0).Seconds()
	out := importOutcome{Seconds: secs}
	out.PeakAnon, out.PeakFile = peaks.Stop()
	out.HWM = highWater()
	if res != nil {
		out.Imported, out.Updated, out.Skipped, out.Failed = res.Imported, res.Updated, res.Skipped, res.Failed
		for i, e := range res.Errors {
			if i == 3 {
				break
			}
			out.Errors = append(out.Errors, e.Path+": "+e.Error)
		}
	}
	if err != nil {
		out.Err = err.Error()
	}
	if cerr := a.Close(); cerr != nil && out.Err == "" {
		out.Err = "closing: " + cerr.Error()
	}
	return out
}

// startupChild opens the container on an existing data directory and
// answers one search, timing from start (taken first thing in ChildMain,
// just before app.New) to the answer, which it hands to report before
// closing the container. It returns the outcome instead when it could not
// open the container, and nil otherwise.
func startupChild(start time.Time, data, query string, report func(startupOutcome)) any {
	a, err := app.New(app.Config{DataDir: data})
	if err != nil {
		return startupOutcome{Err: err.Error()}
	}
	defer a.Close()
	res, err := a.Search(context.Background(), "", app.SearchRequest{Query: query, Limit: 10})
	out := startupOutcome{MS: millis(time.Since(start))}
	if err != nil {
		out.Err = err.Error()
	} else {
		out.Total = res.Total
	}
	report(out)
	return nil
}

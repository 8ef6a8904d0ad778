package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/gaps"
)

// GapsResult holds the gap analysis measurements of one generated corpus
// (issue 14): the analysis itself in a child process, and the searches
// while the background analysis that follows an import runs.
type GapsResult struct {
	// Analysis is `engram gaps analyze` (app.GapsAnalyze) in a child
	// process, over what the background run had not done yet.
	Analysis GapsAnalysis
	// Idle and During are the same mix of searches from Clients
	// goroutines, before and while the background analysis runs; During
	// counts only the searches that ended before the analysis did.
	Idle, During Latency
	// Overlap is the share of the During searches that ended while the
	// analysis still ran.
	Overlap float64
	// Background is the background run's work while the searches ran,
	// until the container closed and cancelled it.
	Background GapsAnalysis
	Err        string
}

// GapsAnalysis is one timed analysis.
type GapsAnalysis struct {
	Documents int
	Owners    int // conversations and aggregates recomputed
	Gaps      int
	Seconds   float64
	PeakRSS   int64 // bytes, the child's own VmHWM (else its ru_maxrss); 0 when unknown
	// PeakAnon and PeakFile split the resident memory as in ImportResult,
	// sampled during the analysis only.
	PeakAnon, PeakFile int64
	Err                string
}

// Rate is documents analysed per second.
func (g GapsAnalysis) Rate() float64 {
	if g.Seconds <= 0 {
		return 0
	}
	return float64(g.Documents) / g.Seconds
}

// gapsOutcome is what the gaps child prints on stdout, as JSON.
type gapsOutcome struct {
	Documents int     `json:"documents"`
	Owners    int     `json:"owners"`
	Gaps      int     `json:"gaps"`
	Seconds   float64 `json:"seconds"`
	PeakAnon  int64   `json:"peak_anon"`
	PeakFile  int64   `json:"peak_file"`
	HWM       int64   `json:"hwm,omitempty"` // the child's own peak RSS (see highWater)
	Err       string  `json:"err,omitempty"`
}

// gapsChild opens the container on data and runs the gap analysis in the
// foreground, as `engram gaps analyze` does, timing GapsAnalyze alone.
func gapsChild(data string, log io.Writer) gapsOutcome {
	a, err := app.New(app.Config{DataDir: data})
	if err != nil {
		return gapsOutcome{Err: err.Error()}
	}
	defer a.Close()
	last := time.Now()
	progress := func(p gaps.Progress) {
		if time.Since(last) >= 10*time.Second {
			last = time.Now()
			fmt.Fprintf(log, "           gaps: %s %d/%d\n", p.Phase, p.Done, p.Total)
		}
	}
	peaks := startMemPeaks(50 * time.Millisecond)
	t0 := time.Now()
	res, err := a.GapsAnalyze(context.Background(), "", progress)
	out := gapsOutcome{Seconds: time.Since(t0).Seconds()}
	out.PeakAnon, out.PeakFile = peaks.Stop()
	out.HWM = highWater()
	if res != nil {
		out.Documents, out.Owners, out.Gaps = res.Documents, res.Owners, res.Gaps
	}
	if err != nil {
		out.Err = err.Error()
	}
	return out
}

// gapsInChild runs the foreground analysis of data in a child process, so
// that the peak resident memory is the analysis's own.
func gapsInChild(ctx context.Context, opts Options, data string) GapsAnalysis {
	cmd := child(ctx, opts, cmdGapsChild, "--data", data)
	out, runErr := cmd.Output()
	var res GapsAnalysis
	if cmd.ProcessState != nil {
		res.PeakRSS, _ = peakRSS(cmd.ProcessState)
	}
	var o gapsOutcome
	if err := json.Unmarshal(out, &o); err != nil {
		res.Err = fmt.Sprintf("the gaps child failed (%v) without a result", runErr)
		return res
	}
	res.Documents, res.Owners, res.Gaps, res.Seconds = o.Documents, o.Owners, o.Gaps, o.Seconds
	res.PeakAnon, res.PeakFile, res.Err = o.PeakAnon, o.PeakFile, o.Err
	if o.HWM > 0 {
		res.PeakRSS = o.HWM
	}
	return res
}

// gapsSearch runs the search mix idle, then starts the background gap
// analysis an import starts and runs the mix again while it runs. The
// analysis goes on until the container closes.
func gapsSearch(ctx context.Context, a *app.App, src *querySource, n, clients int, profile string, size int) (GapsResult, <-chan app.GapsRun) {
	var res GapsResult
	queries := func() []string {
		qs := make([]string, n)
		for i := range qs {
			qs[i], _ = src.query()
		}
		return qs
	}
	search := func(q string) (bool, error) {
		r, err := a.Search(ctx, "", app.SearchRequest{Query: q, Limit: 10})
		return err == nil && r.Total == 0, err
	}
	for range searchWarmup {
		q, _ := src.query()
		_, _ = search(q)
	}
	idle := queries()
	stop := startProfile(profile, fmt.Sprintf("search-idle-%d.pprof", size))
	res.Idle = concurrently(ctx, n, clients, func(i int) (bool, error) { return search(idle[i]) })
	stop()

	during := queries()
	done := a.GapsInBackground("")
	if done == nil {
		res.Err = "the container is closed"
		return res, nil
	}
	var finished atomic.Bool
	ended := make(chan app.GapsRun, 1)
	go func() {
		r := <-done
		finished.Store(true)
		ended <- r
	}()
	// Let the analysis get going (its first page read) before timing.
	time.Sleep(200 * time.Millisecond)
	running := make([]bool, n)
	stop = startProfile(profile, fmt.Sprintf("search-during-gaps-%d.pprof", size))
	defer stop()
	calls := timedCalls(ctx, n, clients, func(i int) (bool, error) {
		e, err := search(during[i])
		running[i] = !finished.Load()
		return e, err
	})
	res.During = calls.summary(running)
	res.Overlap = float64(res.During.N) / float64(max(n, 1))
	if res.During.N == 0 {
		res.Err = "the background analysis ended before the searches"
	}
	return res, ended
}

// startProfile writes a CPU profile to dir/name until the returned func is
// called; with no dir it does nothing.
func startProfile(dir, name string) func() {
	if dir == "" {
		return func() {}
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

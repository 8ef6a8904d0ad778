package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/bench/corpus"
)

// Options says what Run measures. Zero values take the defaults noted.
type Options struct {
	// Sizes are the generated corpus sizes, in messages.
	Sizes []int
	// Real are folders of real data to import and search as well.
	Real []string
	// Seed selects the generated corpora; zero means 1.
	Seed uint64
	// Queries is the number of timed searches per size; zero means 2,000.
	Queries int
	// Clients is the number of concurrent search clients; zero means 16.
	Clients int
	// GraphQueries is the number of neighbourhood queries; zero means 200.
	GraphQueries int
	// StartupRuns is the number of start-up children; zero means 5.
	StartupRuns int
	// Memories is the number of statements the memory benchmark adds (once
	// per Run, not per size); zero means 10,000, negative skips it.
	Memories int
	// MemoryUsers is the number of users they are spread over; zero means 10.
	MemoryUsers int
	// MemorySearches is the number of timed memory searches; zero means 2,000.
	MemorySearches int
	// ContextQueries is the number of timed context packs; zero means 500.
	ContextQueries int
	// MemoryDocs is the number of generated emails imported beside the
	// memories, for the context packs' passages; zero means 2,000, negative
	// none.
	MemoryDocs int
	// Semantic sizes the search-by-meaning benchmark (issue 17), run once
	// per Run; its WorkDir, Log, Seed and Clients are Run's.
	Semantic SemanticOptions
	// SkipSemantic leaves it out.
	SkipSemantic bool
	// Engram is the engram binary run as the daemon of the client
	// comparison (issue 12); empty means one built with the go command
	// into the work directory. SkipClient leaves the comparison out.
	Engram     string
	SkipClient bool
	// SkipPeers leaves out the peers of issue 18 (engram import through
	// the CLI, raw lean Bleve, SQLite FTS5). OnlyPeers measures, per size,
	// only the imports (Engram's, notmuch's, the CLI's and the peers') and
	// the searches the peers are compared with.
	SkipPeers, OnlyPeers bool
	// Exe is the binary re-executed for the child processes; empty means
	// this one (os.Executable). It must hand the hidden subcommands to
	// ChildMain.
	Exe string
	// WorkDir holds the temporary corpora and data directories; empty means
	// the system's temporary directory.
	WorkDir string
	// Profile, when set, is a folder the CPU profiles of the searches idle
	// and during the gap analysis, and of the memory phases under many
	// clients (adds, searches, context packs), are written to.
	Profile string
	// MboxBytes is the size of the generated mbox imported once per run
	// (issue 9); zero means 3 GiB, negative skips it.
	MboxBytes int64
	// TeamRequests is the size of the team server's load (issue 16); zero
	// means 100,000, negative skips it.
	TeamRequests int
	// Keep leaves the corpora and data directories in place.
	Keep bool
	// Log receives one line per phase; nil means os.Stderr.
	Log io.Writer
}

func (o *Options) defaults() error {
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Queries <= 0 {
		o.Queries = 2000
	}
	if o.Clients <= 0 {
		o.Clients = 16
	}
	if o.GraphQueries <= 0 {
		o.GraphQueries = 200
	}
	if o.StartupRuns <= 0 {
		o.StartupRuns = 5
	}
	if o.Memories == 0 {
		o.Memories = defaultMemories
	}
	if o.MemoryUsers <= 0 {
		o.MemoryUsers = defaultMemoryUsers
	}
	if o.MemorySearches <= 0 {
		o.MemorySearches = defaultMemorySearches
	}
	if o.ContextQueries <= 0 {
		o.ContextQueries = defaultContextQueries
	}
	if o.MemoryDocs == 0 {
		o.MemoryDocs = defaultMemoryDocs
	}
	if o.MboxBytes == 0 {
		o.MboxBytes = defaultMboxBytes
	}
	if o.TeamRequests == 0 {
		o.TeamRequests = defaultTeamRequests
	}
	if o.Log == nil {
		o.Log = os.Stderr
	}
	if o.Exe == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this binary to run the child processes: %w", err)
		}
		o.Exe = exe
	}
	return nil
}

// Run measures every size and real folder of opts in turn, each in fresh
// temporary directories, and returns the report. A phase that fails is
// recorded in the report (and the phases that need it are skipped); Run
// itself fails only when it cannot start or ctx is cancelled.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if err := opts.defaults(); err != nil {
		return nil, err
	}
	r := &Report{Started: time.Now().UTC(), Machine: describeMachine(), Options: opts}
	lg := &logger{w: opts.Log, start: time.Now()}
	if opts.OnlyPeers {
		opts.SkipClient, opts.SkipSemantic, opts.SkipPeers, opts.Memories, opts.MboxBytes, opts.TeamRequests = true, true, false, -1, -1, -1
		r.Options = opts
	}
	if opts.Memories > 0 {
		m, err := runMemory(ctx, opts, lg)
		r.Memory = m
		if err != nil {
			return r, err
		}
	}
	if (!opts.SkipClient || !opts.SkipPeers || opts.MboxBytes > 0) && opts.Engram == "" && (len(opts.Sizes) > 0 || opts.MboxBytes > 0) {
		dir, err := os.MkdirTemp(opts.WorkDir, "engram-bench-bin-")
		if err != nil {
			return r, err
		}
		defer os.RemoveAll(dir)
		lg.printf("building engram for the client benchmark and engram import")
		if opts.Engram, err = buildEngram(ctx, dir); err != nil {
			lg.printf("%v", err)
			r.EngramErr = err.Error()
			if !opts.SkipClient {
				opts.SkipClient, r.ClientSkipped = true, err.Error()
			}
		}
	}
	if !opts.SkipSemantic && ctx.Err() == nil {
		so := opts.Semantic
		so.WorkDir, so.Log, so.Seed, so.Clients = opts.WorkDir, opts.Log, opts.Seed, opts.Clients
		sr, err := RunSemantic(ctx, so)
		r.Semantic = sr
		if err != nil {
			return r, err
		}
	}
	if opts.MboxBytes > 0 && ctx.Err() == nil {
		if r.EngramErr != "" {
			r.Mbox = &MboxResult{Bytes: opts.MboxBytes, Err: r.EngramErr}
		} else {
			r.Mbox = runMbox(ctx, opts, lg)
		}
	}
	if opts.TeamRequests > 0 && ctx.Err() == nil {
		r.Team = runTeam(ctx, opts, lg)
	}
	var rate float64 // of the last size, for an estimate of the next
	for _, n := range opts.Sizes {
		if rate > 0 {
			lg.printf("%d: at %.0f docs/s the import will take about %s", n, rate, (time.Duration(float64(n)/rate) * time.Second).Round(time.Second))
		}
		res, err := runSize(ctx, opts, lg, n)
		if r.ClientSkipped != "" {
			res.Client.Err = r.ClientSkipped
		}
		if r.EngramErr != "" && !opts.SkipPeers {
			res.Peers.CLI.Err = r.EngramErr
		}
		rate = res.Import.Rate()
		if err != nil {
			return r, err
		}
		r.Sizes = append(r.Sizes, res)
	}
	for _, path := range opts.Real {
		res, err := runReal(ctx, opts, lg, path)
		if err != nil {
			return r, err
		}
		r.Real = append(r.Real, res)
	}
	r.Elapsed = time.Since(lg.start)
	r.Machine.LoadEnd = loadAverage()
	return r, nil
}

// logger prints one line per phase with the time since Run started.
type logger struct {
	w     io.Writer
	start time.Time
}

func (l *logger) printf(format string, args ...any) {
	fmt.Fprintf(l.w, "[%8s] %s\n", time.Since(l.start).Round(100*time.Millisecond), fmt.Sprintf(format, args...))
}

// SizeResult holds the measurements of one generated corpus.
type SizeResult struct {
	Messages    int
	CorpusBytes int64
	GenSeconds  float64
	Import      ImportResult
	Notmuch     NotmuchResult
	Startup     StartupResult
	Search      Latency
	SearchKinds []KindLatency
	// SearchSerial is the same mix from one client: the service time
	// without queueing behind the other clients.
	SearchSerial Latency
	// SearchFacets is the one-client mix with facet counts asked for, as
	// the CLI and a facet panel ask.
	SearchFacets Latency
	// Browser is keystroke to results painted in a real Chromium.
	Browser BrowserResult
	Graph   Latency
	// Gaps is the gap analysis and the searches while it runs (issue 14).
	Gaps GapsResult
	// Client is search through the control socket against in-process.
	Client ClientResult
	// Peers are engram import through the CLI and the raw lean Bleve and
	// SQLite FTS5 peers (issue 18).
	Peers PeersResult
	// Problems are failures of whole phases, for the report.
	Problems []string
}

// ImportResult is one timed import.
type ImportResult struct {
	Docs    int // imported or updated
	Skipped int
	Failed  int
	Seconds float64
	PeakRSS int64 // bytes; 0 when unknown
	// PeakAnon and PeakFile split the resident memory (sampled): anonymous
	// memory, and mmap'd bbolt and Bleve files the kernel may drop.
	PeakAnon, PeakFile int64
	Err                string
	Examples           []string // of per-file errors
}

// Rate is documents per second.
func (i ImportResult) Rate() float64 {
	if i.Seconds <= 0 {
		return 0
	}
	return float64(i.Docs) / i.Seconds
}

// StartupResult is the start-up to first answered search, over several
// child processes.
type StartupResult struct {
	Runs     []float64 // in-process ms: app.New to the answer
	ExecRuns []float64 // ms seen by the parent: exec to the answer
	Err      string
}

// KindLatency is the latency of one kind of query of the search mix.
type KindLatency struct {
	Kind string
	Latency
}

func runSize(ctx context.Context, opts Options, lg *logger, n int) (SizeResult, error) {
	res := SizeResult{Messages: n}
	tmp, err := os.MkdirTemp(opts.WorkDir, fmt.Sprintf("engram-bench-%d-", n))
	if err != nil {
		return res, err
	}
	if !opts.Keep {
		defer os.RemoveAll(tmp)
	} else {
		lg.printf("%d: keeping %s", n, tmp)
	}
	corpusDir, dataDir := filepath.Join(tmp, "corpus"), filepath.Join(tmp, "data")

	lg.printf("%d: generating corpus", n)
	gen := corpus.New(corpus.Options{Messages: n, Seed: opts.Seed})
	st, err := gen.Generate(corpusDir)
	if err != nil {
		return res, fmt.Errorf("generating %d messages: %w", n, err)
	}
	res.CorpusBytes, res.GenSeconds = st.Bytes, st.Elapsed.Seconds()
	src := newQuerySource(opts.Seed, gen, st)

	lg.printf("%d: generated %d messages (%.0f MB) in %.1fs; importing in a child process", n, st.Messages, float64(st.Bytes)/1e6, res.GenSeconds)
	res.Import = importInChild(ctx, opts, corpusDir, dataDir, st.Messages)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if res.Import.Err != "" {
		res.Problems = append(res.Problems, "import: "+res.Import.Err)
	}
	lg.printf("%d: imported %d documents in %.1fs (%.0f docs/s, peak RSS %.0f MB, %d failed)",
		n, res.Import.Docs, res.Import.Seconds, res.Import.Rate(), mb(res.Import.PeakRSS), res.Import.Failed)
	if res.Import.Docs == 0 {
		res.Problems = append(res.Problems, "nothing was imported; the other phases were skipped")
		return res, nil
	}
	lg.printf("%d: notmuch new on the same corpus", n)
	res.Notmuch = notmuchNew(ctx, opts, corpusDir, tmp)
	if res.Notmuch.Err == "" {
		lg.printf("%d: notmuch new took %.1fs (%.1f CPU-s, peak %.0f MB)", n, res.Notmuch.Seconds, res.Notmuch.CPU, mb(res.Notmuch.PeakRSS))
	}

	// Drawn here, in the order the searches below used to draw them, so
	// that the peers are asked the very queries Engram is.
	startQuery := src.word(0, 20)
	concJobs, concWarm := drawJobs(src, opts.Queries), drawJobs(src, searchWarmup)
	serialJobs, serialWarm := drawJobs(src, serialQueries(opts)), drawJobs(src, searchWarmup)
	if !opts.SkipPeers && ctx.Err() == nil {
		res.Peers = runPeers(ctx, opts, lg, n, corpusDir, tmp, peerQueries{
			Concurrent: jobQueries(concJobs), Warmup: jobQueries(concWarm), Serial: jobQueries(serialJobs), Clients: opts.Clients,
		})
	} else {
		res.Peers.Skipped = "skipped (--skip-peers)"
	}

	if !opts.OnlyPeers {
		lg.printf("%d: start-up to first search, %d child processes", n, opts.StartupRuns)
		res.Startup = startupInChildren(ctx, opts, dataDir, startQuery)
		if res.Startup.Err != "" {
			res.Problems = append(res.Problems, "start-up: "+res.Startup.Err)
		}
	}

	a, err := app.New(app.Config{DataDir: dataDir})
	if err != nil {
		res.Problems = append(res.Problems, "opening the data directory: "+err.Error())
		return res, nil
	}
	defer a.Close()

	lg.printf("%d: search, %d queries from %d clients", n, opts.Queries, opts.Clients)
	res.Search, res.SearchKinds = searchJobs(ctx, a, concJobs, concWarm, opts.Clients, false)
	lg.printf("%d: search, %d queries from one client", n, serialQueries(opts))
	res.SearchSerial, _ = searchJobs(ctx, a, serialJobs, serialWarm, 1, false)
	if opts.OnlyPeers {
		why := "not run with --only-peers"
		res.Browser = BrowserResult{Skipped: why, Graph: GraphViewResult{Skipped: why}}
		lg.printf("%d: done (--only-peers)", n)
		return res, ctx.Err()
	}
	lg.printf("%d: search with facets, %d queries from one client", n, serialQueries(opts))
	res.SearchFacets, _ = searchLoad(ctx, a, src, serialQueries(opts), 1, true)
	lg.printf("%d: keystroke to results painted in Chromium, %d queries", n, browserQueries)
	res.Browser = browserLoad(ctx, a, src, browserQueries)

	lg.printf("%d: graph neighbourhood, %d people", n, opts.GraphQueries)
	res.Graph = graphLoad(ctx, a, gen, st, opts.Seed, opts.GraphQueries)

	var conc, one []string
	if !opts.SkipClient {
		conc, one = clientQueries(src, clientConcurrent(opts), min(opts.Queries, clientSerial))
	}

	lg.printf("%d: search, %d queries from %d clients, idle and while the background gap analysis runs", n, opts.Queries, opts.Clients)
	var bg <-chan app.GapsRun
	res.Gaps, bg = gapsSearch(ctx, a, src, opts.Queries, opts.Clients, opts.Profile, n)
	if err := a.Close(); err != nil {
		res.Problems = append(res.Problems, "closing: "+err.Error())
	}
	if bg != nil {
		r := <-bg
		res.Gaps.Background = GapsAnalysis{Documents: r.Result.Documents, Owners: r.Result.Owners, Seconds: r.Elapsed.Seconds()}
	}
	lg.printf("%d: search p99 %.1f ms idle, %.1f ms during the analysis (%.0f%% of the searches overlapped it; it analysed %d documents in %.1fs)",
		n, res.Gaps.Idle.P99, res.Gaps.During.P99, 100*res.Gaps.Overlap, res.Gaps.Background.Documents, res.Gaps.Background.Seconds)
	if ctx.Err() == nil {
		lg.printf("%d: gap analysis in a child process", n)
		res.Gaps.Analysis = gapsInChild(ctx, opts, dataDir)
		g := res.Gaps.Analysis
		lg.printf("%d: analysed %d documents (%d conversations and aggregates, %d gaps) in %.1fs (%.0f/s, peak RSS %.0f MB)",
			n, g.Documents, g.Owners, g.Gaps, g.Seconds, g.Rate(), mb(g.PeakRSS))
	}
	if !opts.SkipClient && ctx.Err() == nil {
		lg.printf("%d: search as engram search asks it (facets), in-process and through engram daemon's control socket in %d turns each, %d queries from %d clients and %d from one", n, clientRounds, len(conc), opts.Clients, len(one))
		res.Client = compareClient(ctx, opts.Engram, dataDir, conc, one, opts.Clients, opts.Log)
		c := res.Client
		lg.printf("%d: search p99 in-process %.1f ms (1 client %.1f ms), through the socket %.1f ms (1 client %.1f ms)",
			n, c.InProcess.P99, c.InProcessSerial.P99, c.Client.P99, c.ClientSerial.P99)
	}
	lg.printf("%d: done", n)
	return res, ctx.Err()
}

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// child starts the benchmark binary with a hidden subcommand.
func child(ctx context.Context, opts Options, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, opts.Exe, args...)
	cmd.Env = append(os.Environ(), ChildEnv+"=1")
	cmd.Stderr = opts.Log
	return cmd
}

// importInChild imports dir into data in a child process, so that the peak
// resident memory is the import's own.
func importInChild(ctx context.Context, opts Options, dir, data string, expect int) ImportResult {
	cmd := child(ctx, opts, cmdImportChild, "--data", data, "--corpus", dir, "--expect", strconv.Itoa(expect))
	var stdout bytes.Buffer
	cmd.Stdout = &stdout
	runErr := cmd.Run()
	var res ImportResult
	if cmd.ProcessState != nil {
		res.PeakRSS, _ = peakRSS(cmd.ProcessState)
	}
	var out importOutcome
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		res.Err = fmt.Sprintf("the import child failed (%v) without a result", runErr)
		return res
	}
	res.Docs, res.Skipped, res.Failed, res.Seconds = out.Imported+out.Updated, out.Skipped, out.Failed, out.Seconds
	res.PeakAnon, res.PeakFile = out.PeakAnon, out.PeakFile
	if out.HWM > 0 { // the child's own figure (see highWater)
		res.PeakRSS = out.HWM
	}
	res.Err, res.Examples = out.Err, out.Errors
	return res
}

// startupInChildren starts opts.StartupRuns children that each open data
// and answer query.
func startupInChildren(ctx context.Context, opts Options, data, query string) StartupResult {
	var res StartupResult
	for i := 0; i < opts.StartupRuns && ctx.Err() == nil; i++ {
		cmd := child(ctx, opts, cmdStartupChild, "--data", data, "--query", query)
		pipe, err := cmd.StdoutPipe()
		if err != nil {
			res.Err = err.Error()
			return res
		}
		t0 := time.Now()
		if err := cmd.Start(); err != nil {
			res.Err = err.Error()
			return res
		}
		line, readErr := bufio.NewReader(pipe).ReadBytes('\n')
		execMS := millis(time.Since(t0))
		_, _ = io.Copy(io.Discard, pipe)
		waitErr := cmd.Wait()
		var out startupOutcome
		if err := json.Unmarshal(line, &out); err != nil {
			res.Err = fmt.Sprintf("the start-up child failed (%v) without a result", errors.Join(readErr, waitErr))
			return res
		}
		if out.Err != "" {
			res.Err = out.Err
			return res
		}
		res.Runs = append(res.Runs, out.MS)
		res.ExecRuns = append(res.ExecRuns, execMS)
	}
	return res
}

// clientConcurrent is the number of concurrent searches of the client
// comparison.
func clientConcurrent(o Options) int { return min(o.Queries, 2000) }

// clientSerial is the number of one-client searches of the control-socket
// comparison: its p99 is the 10th worst.
const clientSerial = 1000

// serialQueries is the number of one-client searches: enough for a p99.
func serialQueries(o Options) int { return min(o.Queries, 300) }

// searchWarmup searches run before the timed ones, so the timings are of
// a running app, not of its first touch of each index segment.
const searchWarmup = 50

// searchLoad runs n queries from clients goroutines against a and times
// each call's wall time.
func searchLoad(ctx context.Context, a *app.App, src *querySource, n, clients int, facets bool) (Latency, []KindLatency) {
	jobs := drawJobs(src, n)
	return searchJobs(ctx, a, jobs, drawJobs(src, searchWarmup), clients, facets)
}

// searchJob is one query of the mix and the index of its kind.
type searchJob struct {
	q    string
	kind int
}

// drawJobs draws n queries from src.
func drawJobs(src *querySource, n int) []searchJob {
	jobs := make([]searchJob, n)
	for i := range jobs {
		jobs[i].q, jobs[i].kind = src.query()
	}
	return jobs
}

// jobQueries are the query strings of jobs.
func jobQueries(jobs []searchJob) []string {
	qs := make([]string, len(jobs))
	for i, j := range jobs {
		qs[i] = j.q
	}
	return qs
}

// searchJobs runs the warm-up queries untimed, then jobs from clients
// goroutines against a, timing each call's wall time.
func searchJobs(ctx context.Context, a *app.App, jobs, warmup []searchJob, clients int, facets bool) (Latency, []KindLatency) {
	for _, w := range warmup {
		_, _ = a.Search(ctx, "", app.SearchRequest{Query: w.q, Limit: 10})
	}
	c := timedCalls(ctx, len(jobs), clients, func(i int) (bool, error) {
		res, err := a.Search(ctx, "", app.SearchRequest{Query: jobs[i].q, Limit: 10, Facets: facets})
		if err != nil {
			return false, fmt.Errorf("%s: %w", jobs[i].q, err)
		}
		return res.Total == 0, nil
	})
	kinds := make([]KindLatency, len(queryKinds))
	per := make([][]float64, len(queryKinds))
	for i, j := range jobs {
		if c.failed[i] {
			continue
		}
		per[j.kind] = append(per[j.kind], c.ms[i])
		if c.empty[i] {
			kinds[j.kind].Empty++
		}
	}
	for k := range kinds {
		e := kinds[k].Empty
		kinds[k] = KindLatency{Kind: queryKinds[k].name, Latency: summarise(per[k])}
		kinds[k].Empty = e
	}
	return c.summary(nil), kinds
}

// graphLoad asks for the 2-hop neighbourhood of n people who sent mail,
// one at a time.
func graphLoad(ctx context.Context, a *app.App, g *corpus.Generator, st corpus.Stats, seed uint64, n int) Latency {
	r := rand.New(rand.NewPCG(seed, 0x67726170)) // "grap"
	var who []string
	for i, p := range g.People() {
		if st.Sent[i] > 0 {
			who = append(who, p.Address)
		}
	}
	if len(who) == 0 {
		return Latency{FirstError: "no sender in the corpus"}
	}
	ms := make([]float64, 0, n)
	var errs, empty int
	var first string
	for i := 0; i < n && ctx.Err() == nil; i++ {
		name := who[r.IntN(len(who))]
		t0 := time.Now()
		res, err := a.Neighbors(ctx, "", name, 2, nil)
		d := millis(time.Since(t0))
		if err != nil {
			if errs++; errs == 1 {
				first = fmt.Sprintf("%s: %v", name, err)
			}
			continue
		}
		ms = append(ms, d)
		if len(res.Neighbors) == 0 {
			empty++
		}
	}
	lat := summarise(ms)
	lat.N = n
	lat.Errors, lat.Empty, lat.FirstError = errs, empty, first
	return lat
}

// RealResult holds the measurements of one real folder.
type RealResult struct {
	Path   string
	Import ImportResult
	Search Latency // one client, realQueries several times
	Err    string
}

// realRounds is how many times each real query is searched.
const realRounds = 5

func runReal(ctx context.Context, opts Options, lg *logger, path string) (RealResult, error) {
	res := RealResult{Path: path}
	abs, err := filepath.Abs(path)
	if err != nil {
		res.Err = err.Error()
		return res, nil
	}
	if _, err := os.Stat(abs); err != nil {
		res.Err = err.Error()
		return res, nil
	}
	tmp, err := os.MkdirTemp(opts.WorkDir, "engram-bench-real-")
	if err != nil {
		return res, err
	}
	if !opts.Keep {
		defer os.RemoveAll(tmp)
	}
	lg.printf("real %s: importing in a child process", path)
	res.Import = importInChild(ctx, opts, abs, filepath.Join(tmp, "data"), 0)
	if err := ctx.Err(); err != nil {
		return res, err
	}
	lg.printf("real %s: imported %d documents in %.1fs (%.0f docs/s)", path, res.Import.Docs, res.Import.Seconds, res.Import.Rate())
	if res.Import.Docs == 0 {
		res.Err = "nothing was imported " + res.Import.Err
		return res, nil
	}
	a, err := app.New(app.Config{DataDir: filepath.Join(tmp, "data")})
	if err != nil {
		res.Err = err.Error()
		return res, nil
	}
	defer a.Close()
	lg.printf("real %s: search, %d queries from one client", path, len(realQueries)*realRounds)
	for _, q := range realQueries { // warm-up
		_, _ = a.Search(ctx, "", app.SearchRequest{Query: q, Limit: 10})
	}
	var ms []float64
	var errs, empty int
	var first string
	for range realRounds {
		for _, q := range realQueries {
			t0 := time.Now()
			sr, err := a.Search(ctx, "", app.SearchRequest{Query: q, Limit: 10})
			d := millis(time.Since(t0))
			if err != nil {
				if errs++; errs == 1 {
					first = fmt.Sprintf("%s: %v", q, err)
				}
				continue
			}
			ms = append(ms, d)
			if sr.Total == 0 {
				empty++
			}
		}
	}
	res.Search = summarise(ms)
	res.Search.N = len(realQueries) * realRounds
	res.Search.Errors, res.Search.Empty, res.Search.FirstError = errs, empty, first
	return res, ctx.Err()
}

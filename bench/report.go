package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Report is the outcome of Run.
type Report struct {
	Started time.Time
	Elapsed time.Duration
	Machine Machine
	Options Options
	Sizes   []SizeResult
	Real    []RealResult
	// Memory is the memory benchmark; nil when it was skipped.
	Memory *MemoryResult
	// Semantic is the search-by-meaning benchmark; nil when it was
	// skipped.
	Semantic *SemanticResult
	// Mbox is the import of a large mbox; nil when it was skipped.
	Mbox *MboxResult
	// Team is the team server under load; nil when it was skipped.
	Team *TeamResult
	// ClientSkipped says why no size has the client comparison.
	ClientSkipped string
	// EngramErr says why no engram binary could be built (for the client
	// comparison and engram import through the CLI).
	EngramErr string
}

// The budgets of the specification's performance table.
const (
	budgetImportRate = 2000.0 // emails/s, at least
	budgetSearchP50  = 5.0    // ms
	budgetSearchP99  = 30.0   // ms
	budgetGraphP99   = 20.0   // ms
	budgetStartupMS  = 300.0  // ms
	budgetImportMB   = 500.0  // MB (2^20 bytes)
	budgetMemAddP99  = 20.0   // ms, issue 4
	budgetMemSrchP99 = 10.0   // ms
	budgetContextP99 = 50.0   // ms, issue 4
	budgetGapsRate   = 1000.0 // messages/s, at least
	budgetGapsMB     = 500.0  // MB, "bounded memory" held to the import's bound
	budgetClientMS   = 2.0    // ms over in-process, issue 12
	// Issue 18: engram import through the CLI at least this share of raw
	// lean Bleve's rate and this multiple of notmuch's.
	budgetCLIVsBleve   = 0.9
	budgetCLIVsNotmuch = 6.0
)

// Row labels; the smoke test checks that every one is in the table.
const (
	RowImport       = "import, end to end"
	RowImportMemory = "peak memory while importing"
	RowNotmuch      = "notmuch new, same corpus"
	RowStartup      = "start-up to first answered search"
	RowStartupExec  = "start-up incl. process exec"
	RowSearchP50    = "search p50, 16 concurrent clients"
	RowSearchP99    = "search p99, 16 concurrent clients"
	RowSearchMax    = "search max"
	RowSearchQPS    = "search throughput"
	RowSearchSerial = "search p50 / p99, 1 client"
	RowSearchFacets = "search with facets p50 / p99, 1 client"
	RowBrowser      = "keystroke to results painted (browser)"
	RowGraphPaint   = "graph view, 5,000 nodes: first paint"
	RowGraphFrames  = "graph view, 5,000 nodes: frame time p99 while panning"
	RowGraphP50     = "graph neighbourhood, 2 hops, p50"
	RowGraphP99     = "graph neighbourhood, 2 hops, p99"
	RowGapsRate     = "gap analysis (engram gaps analyze)"
	RowGapsMemory   = "peak memory during gap analysis"
	RowGapsIdle     = "search p99 idle, 16 concurrent clients, before the gap analysis"
	RowGapsDuring   = "search p99 during the background gap analysis, 16 concurrent clients"
	RowClientSerial = "search p99 through the control socket, 1 client (engram search --json)"
	RowClientConc   = "search p99 through the control socket, 16 concurrent clients"
	RowMboxMemory   = "peak memory importing it"
	// The peers of issue 18.
	RowCLIImport   = "import, engram import (CLI, end to end)"
	RowBleveImport = "raw lean Bleve import"
	RowFTS5Import  = "SQLite FTS5 import"
	RowBleveSerial = "raw lean Bleve search p99, 1 client"
	RowBleveConc   = "raw lean Bleve search p99, 16 concurrent clients"
	RowFTS5Serial  = "SQLite FTS5 search p99, 1 client"
	RowFTS5Conc    = "SQLite FTS5 search p99, 16 concurrent clients"
	// budgetGraphFrameMS is the graph view's frame time budget while
	// panning: interactive, 20 frames a second at worst.
	budgetGraphFrameMS = 50
	notMeasured        = "not measured"
	noBudget           = "—"
)

// Row labels of the memory table.
const (
	RowMemoryAdd           = "memory add, 1 client (the load)"
	RowMemoryAddConcurrent = "memory add, 16 concurrent clients"
	RowMemorySearch        = "memory search, 16 concurrent clients"
	RowContext             = "context, 16 concurrent clients"
	RowContextDistinct     = "context, distinct questions, 16 concurrent clients"
	RowGolden              = "memory golden set, events precision / recall"
)

// MemoryRows lists the row labels of the memory table, in order.
var MemoryRows = []string{RowMemoryAdd, RowMemoryAddConcurrent, RowMemorySearch, RowContext, RowContextDistinct, RowGolden}

// Rows lists the row labels of a size's table, in order.
var Rows = []string{RowImport, RowNotmuch, RowImportMemory, RowCLIImport, RowBleveImport, RowFTS5Import, RowStartup, RowStartupExec, RowSearchP50,
	RowSearchP99, RowSearchMax, RowSearchQPS, RowSearchSerial, RowSearchFacets, RowBleveSerial, RowBleveConc, RowFTS5Serial, RowFTS5Conc,
	RowBrowser, RowGraphPaint, RowGraphFrames, RowGraphP50, RowGraphP99,
	RowGapsRate, RowGapsMemory, RowGapsIdle, RowGapsDuring, RowClientSerial, RowClientConc}

type row struct{ what, measured, budget, status string }

// atMost rates a measurement against a ceiling.
func atMost(v, budget float64) string {
	if v <= budget {
		return "within budget"
	}
	return over(v / budget)
}

// atLeast rates a measurement against a floor.
func atLeast(v, budget float64) string {
	if v >= budget {
		return "within budget"
	}
	if v <= 0 {
		return "over budget"
	}
	return over(budget / v)
}

func over(ratio float64) string {
	s := fmt.Sprintf("%.1f", ratio)
	if s == "1.0" {
		s = fmt.Sprintf("%.2f", ratio)
	}
	return "over budget (x" + s + ")"
}

func fmtMS(v float64) string {
	switch {
	case v < 10:
		return fmt.Sprintf("%.2f ms", v)
	case v < 100:
		return fmt.Sprintf("%.1f ms", v)
	}
	return fmt.Sprintf("%s ms", group(int64(v+0.5)))
}

// group writes n with thousands separators.
func group(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s SizeResult) rows(clients int) []row {
	var rs []row
	imp := s.Import
	if imp.Docs > 0 {
		m := fmt.Sprintf("%s emails/s (%s in %.1f s)", group(int64(imp.Rate()+0.5)), group(int64(imp.Docs)), imp.Seconds)
		if imp.Failed > 0 {
			m += fmt.Sprintf(", %d failed", imp.Failed)
		}
		rs = append(rs, row{RowImport, m, ">= 2,000 emails/s", atLeast(imp.Rate(), budgetImportRate)})
	} else {
		rs = append(rs, row{RowImport, "failed", ">= 2,000 emails/s", notMeasured})
	}
	if nm := s.Notmuch; nm.Err == "" && nm.Seconds > 0 && imp.Seconds > 0 {
		rate := float64(s.Messages) / nm.Seconds
		ratio := nm.Seconds / imp.Seconds
		m := fmt.Sprintf("%s emails/s (%.1f s", group(int64(rate+0.5)), nm.Seconds)
		if nm.CPU > 0 {
			m += fmt.Sprintf(", %.1f CPU-s", nm.CPU)
		}
		if nm.PeakRSS > 0 {
			m += fmt.Sprintf(", %.0f MB peak", mb(nm.PeakRSS))
		}
		rs = append(rs, row{RowNotmuch, m + fmt.Sprintf("); Engram takes %.2fx its time", 1/ratio), "Engram not slower", atLeast(ratio, 1)})
	} else {
		why := nm.Err
		if why == "" {
			why = notMeasured
		}
		rs = append(rs, row{RowNotmuch, why, "Engram not slower", notMeasured})
	}
	if imp.PeakRSS > 0 {
		m := fmt.Sprintf("%.0f MB", mb(imp.PeakRSS))
		if imp.PeakAnon > 0 {
			m += fmt.Sprintf(" (anonymous %.0f MB; mmap'd files %.0f MB)", mb(imp.PeakAnon), mb(imp.PeakFile))
		}
		rs = append(rs, row{RowImportMemory, m, "<= 500 MB", atMost(mb(imp.PeakRSS), budgetImportMB)})
	} else {
		rs = append(rs, row{RowImportMemory, "unknown", "<= 500 MB", notMeasured})
	}
	rs = append(rs, s.peerImportRows()...)
	if len(s.Startup.Runs) > 0 {
		med := median(s.Startup.Runs)
		rs = append(rs,
			row{RowStartup, fmt.Sprintf("%s (median of %d)", fmtMS(med), len(s.Startup.Runs)), "<= 300 ms", atMost(med, budgetStartupMS)},
			row{RowStartupExec, fmt.Sprintf("%s (median of %d)", fmtMS(median(s.Startup.ExecRuns)), len(s.Startup.ExecRuns)), noBudget, noBudget})
	} else {
		rs = append(rs, row{RowStartup, notMeasured, "<= 300 ms", notMeasured}, row{RowStartupExec, notMeasured, noBudget, noBudget})
	}
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(clients), 1) }
	if sr := s.Search; sr.N > sr.Errors {
		rs = append(rs,
			row{label(RowSearchP50), fmtMS(sr.P50), "<= 5 ms", atMost(sr.P50, budgetSearchP50)},
			row{label(RowSearchP99), fmtMS(sr.P99), "<= 30 ms", atMost(sr.P99, budgetSearchP99)},
			row{RowSearchMax, fmtMS(sr.Max), noBudget, noBudget},
			row{RowSearchQPS, fmt.Sprintf("%s queries/s (%s queries, %d with no hit, %d errors)", group(int64(sr.QPS+0.5)), group(int64(sr.N)), sr.Empty, sr.Errors), noBudget, noBudget})
		for _, r := range []struct {
			label string
			lat   Latency
		}{{RowSearchSerial, s.SearchSerial}, {RowSearchFacets, s.SearchFacets}} {
			if r.lat.N > r.lat.Errors {
				rs = append(rs, row{r.label, fmtMS(r.lat.P50) + " / " + fmtMS(r.lat.P99) + fmt.Sprintf(" (%d queries)", r.lat.N), noBudget, noBudget})
			} else {
				rs = append(rs, row{r.label, notMeasured, noBudget, notMeasured})
			}
		}
	} else {
		for _, r := range []string{label(RowSearchP50), label(RowSearchP99), RowSearchMax, RowSearchQPS, RowSearchSerial, RowSearchFacets} {
			rs = append(rs, row{r, notMeasured, noBudget, notMeasured})
		}
	}
	rs = append(rs, s.peerSearchRows(clients)...)
	switch b := s.Browser; {
	case b.Skipped != "":
		rs = append(rs, row{RowBrowser, notMeasured + ": " + b.Skipped, "< 50 ms", notMeasured})
	default:
		rs = append(rs, row{RowBrowser, fmtMS(b.Painted.P50) + " / " + fmtMS(b.Painted.P99) +
			fmt.Sprintf(" p50 / p99 (%d keystrokes, %d errors; after the UI's %s debounce, measured and not counted)", b.Painted.N, b.Painted.Errors, fmtMS(b.Debounce)),
			"< 50 ms", atMost(b.Painted.P99, 50)})
	}
	switch g := s.Browser.Graph; {
	case g.Skipped != "" || (s.Browser.Skipped != "" && g.Frames.N == 0):
		why := g.Skipped
		if why == "" {
			why = s.Browser.Skipped
		}
		rs = append(rs, row{RowGraphPaint, notMeasured + ": " + why, noBudget, notMeasured},
			row{RowGraphFrames, notMeasured + ": " + why, "<= 50 ms", notMeasured})
	default:
		rs = append(rs,
			row{RowGraphPaint, fmt.Sprintf("%s (%d nodes, %d edges, grid layout)", fmtMS(g.FirstPaint), g.Nodes, g.Edges), noBudget, noBudget},
			row{RowGraphFrames, fmt.Sprintf("%s (p50 %s, max %s; %d frames of a 1 s mouse drag; panned and zoomed through the Cytoscape API, which redraws everything each frame: p50 %s, p99 %s)",
				fmtMS(g.Frames.P99), fmtMS(g.Frames.P50), fmtMS(g.Frames.Max), g.Frames.N, fmtMS(g.APIFrames.P50), fmtMS(g.APIFrames.P99)),
				"<= 50 ms", atMost(g.Frames.P99, budgetGraphFrameMS)})
	}
	if g := s.Graph; g.N > g.Errors {
		note := ""
		if g.Errors > 0 || g.Empty > 0 {
			note = fmt.Sprintf(" (%d errors, %d empty)", g.Errors, g.Empty)
		}
		rs = append(rs,
			row{RowGraphP50, fmtMS(g.P50) + note, noBudget, noBudget},
			row{RowGraphP99, fmtMS(g.P99), "<= 20 ms", atMost(g.P99, budgetGraphP99)})
	} else {
		rs = append(rs, row{RowGraphP50, notMeasured, noBudget, notMeasured}, row{RowGraphP99, notMeasured, "<= 20 ms", notMeasured})
	}
	rs = append(rs, s.Gaps.rows(clients)...)
	return append(rs, s.Client.rows(clients)...)
}

// overBy rates v against base plus an allowance (ms).
func overBy(v, base, allowance float64) string {
	if v-base <= allowance {
		return "within budget"
	}
	return fmt.Sprintf("over budget (+%s over in-process, allowed +%s)", fmtMS(v-base), fmtMS(allowance))
}

func (c ClientResult) rows(clients int) []row {
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(clients), 1) }
	var rs []row
	for _, x := range []struct {
		what       string
		in, client Latency
	}{{RowClientSerial, c.InProcessSerial, c.ClientSerial}, {label(RowClientConc), c.InProcess, c.Client}} {
		if x.client.N > x.client.Errors && x.in.N > x.in.Errors && x.client.Errors == 0 {
			m := fmt.Sprintf("%s (p50 %s); in-process %s (p50 %s): %+.2f ms; %s queries", fmtMS(x.client.P99), fmtMS(x.client.P50), fmtMS(x.in.P99), fmtMS(x.in.P50), x.client.P99-x.in.P99, group(int64(x.client.N)))
			if x.what == RowClientSerial && c.InProcessCPU > 0 && c.OwnerCPU > 0 {
				m += fmt.Sprintf("; CPU per search, both phases: in-process %.2f ms, through the socket %.2f ms in the owner and %.2f ms in the clients", c.InProcessCPU, c.OwnerCPU, c.ClientCPU)
			}
			rs = append(rs, row{x.what, m,
				"within 2 ms of in-process", overBy(x.client.P99, x.in.P99, budgetClientMS)})
			continue
		}
		why := notMeasured
		switch {
		case c.Err != "":
			why += ": " + c.Err
		case x.client.FirstError != "":
			why += fmt.Sprintf(": %d errors, first %s", x.client.Errors, x.client.FirstError)
		}
		rs = append(rs, row{x.what, why, "within 2 ms of in-process", notMeasured})
	}
	return rs
}

func (g GapsResult) rows(clients int) []row {
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(clients), 1) }
	var rs []row
	an := g.Analysis
	if an.Err == "" && an.Documents == 0 && g.Background.Documents > 0 {
		an.Err = "the background run had analysed every document"
	}
	if an.Err == "" && an.Seconds > 0 {
		m := fmt.Sprintf("%s messages/s (%s documents, then %s conversations and aggregates, in %.1f s; %s gaps", group(int64(an.Rate()+0.5)), group(int64(an.Documents)), group(int64(an.Owners)), an.Seconds, group(int64(an.Gaps)))
		if b := g.Background.Documents; b > 0 {
			m += fmt.Sprintf("; the background run had analysed %s documents before", group(int64(b)))
		}
		rs = append(rs, row{RowGapsRate, m + ")", ">= 1,000 messages/s", atLeast(an.Rate(), budgetGapsRate)})
		if an.PeakRSS > 0 {
			m := fmt.Sprintf("%.0f MB", mb(an.PeakRSS))
			if an.PeakAnon > 0 {
				m += fmt.Sprintf(" (during the analysis: anonymous %.0f MB; mmap'd files %.0f MB)", mb(an.PeakAnon), mb(an.PeakFile))
			}
			rs = append(rs, row{RowGapsMemory, m, "<= 500 MB", atMost(mb(an.PeakRSS), budgetGapsMB)})
		} else {
			rs = append(rs, row{RowGapsMemory, "unknown", "<= 500 MB", notMeasured})
		}
	} else {
		why := notMeasured
		if an.Err != "" {
			why += ": " + an.Err
		}
		rs = append(rs, row{RowGapsRate, why, ">= 1,000 messages/s", notMeasured}, row{RowGapsMemory, notMeasured, "<= 500 MB", notMeasured})
	}
	if i := g.Idle; i.N > i.Errors {
		rs = append(rs, row{label(RowGapsIdle), fmt.Sprintf("%s (p50 %s; %s queries)", fmtMS(i.P99), fmtMS(i.P50), group(int64(i.N))), noBudget, noBudget})
	} else {
		rs = append(rs, row{label(RowGapsIdle), notMeasured, noBudget, notMeasured})
	}
	if d := g.During; d.N > d.Errors && g.Idle.N > g.Idle.Errors {
		m := fmt.Sprintf("%s (x%.2f of idle; p50 %s; the %s of %s queries that ended while it ran", fmtMS(d.P99), d.P99/max(g.Idle.P99, 1e-9), fmtMS(d.P50), group(int64(d.N)), group(int64(g.Idle.N)))
		if b := g.Background; b.Seconds > 0 {
			m += fmt.Sprintf("; it analysed %s documents in %.1f s, %s/s", group(int64(b.Documents)), b.Seconds, group(int64(b.Rate()+0.5)))
		}
		rs = append(rs, row{label(RowGapsDuring), m + ")", "within 2x of idle", withinFactor(d.P99, g.Idle.P99, budgetBusyFactor)})
	} else {
		why := notMeasured
		if g.Err != "" {
			why += ": " + g.Err
		}
		rs = append(rs, row{label(RowGapsDuring), why, "within 2x of idle", notMeasured})
	}
	return rs
}

// latencyCell is "p99 X (p50 Y, max Z; N calls, Q/s)".
func latencyCell(l Latency, unit string) string {
	m := fmt.Sprintf("p99 %s (p50 %s, max %s; %s %s", fmtMS(l.P99), fmtMS(l.P50), fmtMS(l.Max), group(int64(l.N)), unit)
	if l.QPS > 0 {
		m += fmt.Sprintf(", %s/s", group(int64(l.QPS+0.5)))
	}
	if l.Errors > 0 {
		m += fmt.Sprintf(", %d errors", l.Errors)
	}
	return m + ")"
}

func (m *MemoryResult) rows(clients int) []row {
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(clients), 1) }
	var rs []row
	for _, x := range []struct {
		what, unit string
		lat        Latency
		budget     float64
		note       string
	}{
		{RowMemoryAdd, "adds", m.Add, budgetMemAddP99, ""},
		{label(RowMemoryAddConcurrent), "adds", m.AddConcurrent, budgetMemAddP99, ""},
		{label(RowMemorySearch), "searches", m.Search, budgetMemSrchP99, fmt.Sprintf("; %d with no hit", m.Search.Empty)},
		{label(RowContext), "packs", m.Context, budgetContextP99, fmt.Sprintf("; %.0f tokens, %.1f passages a pack on average", m.ContextTokens, m.ContextPassages)},
		{label(RowContextDistinct), "packs", m.ContextDistinct, budgetContextP99, ""},
	} {
		b := fmt.Sprintf("p99 <= %.0f ms", x.budget)
		if x.lat.N > x.lat.Errors {
			rs = append(rs, row{x.what, latencyCell(x.lat, x.unit) + x.note, b, atMost(x.lat.P99, x.budget)})
		} else {
			rs = append(rs, row{x.what, notMeasured, b, notMeasured})
		}
	}
	if g := m.Golden; g.Err == "" && g.Statements > 0 {
		rs = append(rs, row{RowGolden, fmt.Sprintf("precision %.3f, recall %.3f (ADD, UPDATE and DELETE events: %d expected, %d given, %d right; %d statements in %d sequences, %d with a wrong event or memory; %d of the %d that must change nothing changed nothing; %.1f s)",
			g.Precision(), g.Recall(), g.Expected, g.Got, g.Right, g.Statements, g.Sequences, g.Failed, g.Quiet, g.MustChangeNothing, g.Seconds), noBudget, noBudget})
	} else {
		rs = append(rs, row{RowGolden, notMeasured + " " + g.Err, noBudget, notMeasured})
	}
	return rs
}

func writeTable(w io.Writer, rs []row) {
	fmt.Fprintln(w, "| what | measured | budget | status |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.what, r.measured, r.budget, r.status)
	}
}

// WriteMarkdown writes the report as BENCHMARKS.md.
func (r *Report) WriteMarkdown(w io.Writer) error {
	m := r.Machine
	var b strings.Builder
	fmt.Fprintf(&b, "# Engram benchmarks\n\n")
	fmt.Fprintf(&b, "Measured by `engram-bench run` on %s UTC", r.Started.Format("2006-01-02 15:04"))
	if r.Elapsed > 0 {
		fmt.Fprintf(&b, " (the run took %s)", r.Elapsed.Round(time.Second))
	}
	fmt.Fprintf(&b, ". Budgets are the specification's performance table.\n\n")
	fmt.Fprintf(&b, "| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| machine | %s |\n| CPU | %s, %d cores |\n| memory | %s |\n| Go | %s |\n| commit | %s |\n",
		m.System, m.CPU, m.Cores, m.Memory, m.Go, m.Commit)
	fmt.Fprintf(&b, "| load average (1 min) at start / end | %s / %s |\n\n", m.LoadStart, m.LoadEnd)
	fmt.Fprintf(&b, "This is a shared, noisy %d-core machine: other work on it (the load average above) skews every number; "+
		"expect run-to-run variation of 10-50%%, more on tail latencies. Compare runs on the same machine, not across machines.\n\n", m.Cores)
	for _, s := range r.Sizes {
		fmt.Fprintf(&b, "## %s generated emails\n\n", group(int64(s.Messages)))
		fmt.Fprintf(&b, "Corpus: %s messages, %.0f MB, seed %d (generated in %.1f s, not timed).",
			group(int64(s.Messages)), float64(s.CorpusBytes)/1e6, r.Options.Seed, s.GenSeconds)
		if s.Messages != 100000 {
			fmt.Fprintf(&b, " The budgets are stated for 100,000 emails; this size is held to the same numbers.")
		}
		fmt.Fprintf(&b, "\n\n")
		writeTable(&b, s.rows(r.Options.Clients))
		if len(s.SearchKinds) > 0 && s.Search.N > s.Search.Errors {
			fmt.Fprintf(&b, "\nSearch latency by kind of query:\n\n| query | n | p50 | p99 | no hit |\n|---|---|---|---|---|\n")
			for _, k := range s.SearchKinds {
				fmt.Fprintf(&b, "| %s | %d | %s | %s | %d |\n", k.Kind, k.N, fmtMS(k.P50), fmtMS(k.P99), k.Empty)
			}
		}
		var notes []string
		notes = append(notes, s.Problems...)
		if s.Search.FirstError != "" {
			notes = append(notes, "first search error: "+s.Search.FirstError)
		}
		if s.Graph.FirstError != "" {
			notes = append(notes, "first graph error: "+s.Graph.FirstError)
		}
		for _, e := range s.Import.Examples {
			notes = append(notes, "import error: "+e)
		}
		if len(notes) > 0 {
			fmt.Fprintf(&b, "\nProblems:\n\n")
			for _, n := range notes {
				fmt.Fprintf(&b, "- %s\n", oneLine(n))
			}
		}
		fmt.Fprintln(&b)
	}
	if mr := r.Memory; mr != nil {
		fmt.Fprintf(&b, "## Memory\n\n")
		fmt.Fprintf(&b, "%s statements added for %d users (%s current memories afterwards", group(int64(mr.Memories)), mr.Users, group(int64(mr.Stored)))
		if len(mr.Events) > 0 {
			var ev []string
			for _, e := range []string{"ADD", "UPDATE", "DELETE", "NONE", "nothing extracted"} {
				if n := mr.Events[e]; n > 0 {
					ev = append(ev, fmt.Sprintf("%s %s", e, group(int64(n))))
				}
			}
			fmt.Fprintf(&b, "; the load's events: %s", strings.Join(ev, ", "))
		}
		fmt.Fprintf(&b, "), beside %s generated emails. The issue's budgets are for 10,000 memories across 10 users and 16 concurrent clients.\n\n", group(int64(mr.Docs)))
		writeTable(&b, mr.rows(r.Options.Clients))
		var notes []string
		notes = append(notes, mr.Problems...)
		for _, x := range []struct{ what, err string }{{"add", mr.Add.FirstError}, {"concurrent add", mr.AddConcurrent.FirstError},
			{"memory search", mr.Search.FirstError}, {"context", mr.Context.FirstError}, {"distinct context", mr.ContextDistinct.FirstError}} {
			if x.err != "" {
				notes = append(notes, "first "+x.what+" error: "+x.err)
			}
		}
		if len(notes) > 0 {
			fmt.Fprintf(&b, "\nProblems:\n\n")
			for _, n := range notes {
				fmt.Fprintf(&b, "- %s\n", oneLine(n))
			}
		}
		fmt.Fprintln(&b)
	}
	if sr := r.Semantic; sr != nil {
		o := sr.Options
		fmt.Fprintf(&b, "## Search by meaning\n\n")
		fmt.Fprintf(&b, "Against the loopback embedding server of the embed tests (`embed/embedtest`: hashed bag of words projected to %d dimensions, over HTTP on 127.0.0.1). "+
			"Vectors: %s unit vectors around 1,000 random centres (clustered as real embeddings are), %s timed queries per index from the same distribution (a fifth of them for the exact scan); "+
			"recall@10 is the share of the exact top 10 the graph finds, over the exact scan's queries. "+
			"Hybrid: %s generated emails imported and embedded, then %s searches from %d goroutines, each query new, in hybrid then in text mode; then the text searches again while the worker embeds every document again (a model change). "+
			"The hybrid budget is the specification's search p99; the last row is its \"search p99 while embedding runs: within 2x of idle\".\n\n",
			o.Dim, group(int64(o.Chunks)), group(int64(o.Queries)), group(int64(o.Docs)), group(int64(o.HybridQueries)), o.Clients)
		writeTable(&b, sr.rows())
		if len(sr.Problems) > 0 {
			fmt.Fprintf(&b, "\nProblems:\n\n")
			for _, p := range sr.Problems {
				fmt.Fprintf(&b, "- %s\n", oneLine(p))
			}
		}
		fmt.Fprintln(&b)
	}
	if m := r.Mbox; m != nil {
		fmt.Fprintf(&b, "## A mailbox of several GB\n\n")
		fmt.Fprintf(&b, "One mbox written by `engram-bench genmbox` (the corpus generator's mail, with base64 attachments, body lines over 4 KB and quoted `>From ` lines), "+
			"imported by `engram --data DIR import --json FILE` on a fresh data directory, timed end to end from exec to exit; the peak memory is that process's ru_maxrss (MB = 2^20 bytes), "+
			"which counts the pages of the mmap'd bbolt and Bleve files it holds as well as its heap.\n\n")
		writeTable(&b, m.rows())
		fmt.Fprintln(&b)
	}
	if t := r.Team; t != nil {
		fmt.Fprintf(&b, "## Team server\n\n")
		fmt.Fprintf(&b, "`engram-bench team` (package `teamserver/loadtest`): a private PostgreSQL (Debian's, fsync off), %d `teamserver` instances over HTTP on 127.0.0.1 with database pools of %d, "+
			"%d users with %d notes each holding the user's canary word, in teams of %d made through the team API, each sharing their workspace with their team, "+
			"then %s requests from %d goroutines round robin over the instances: 60%% searches (common words, the user's own canary, another user's canary OR a word), "+
			"25%% pulls (the user's own workspace, or another user's by ID: a teammate's is answered, a stranger's must be refused), 15%% pushes; %.0f%% are cancelled within 3 ms. "+
			"Every answer is scanned for canaries; row-level security must keep out those of users outside the asker's team. "+
			"Latencies are of the answered requests, from the client.\n\n",
			t.Instances, t.Pool, t.Users, t.NotesPerUser, t.TeamSize, group(int64(t.Options.Requests)), t.Workers, t.Cancel*100)
		writeTable(&b, t.rows())
		fmt.Fprintln(&b)
	}
	if len(r.Real) > 0 {
		fmt.Fprintf(&b, "## Real data\n\n")
		fmt.Fprintf(&b, "| folder | documents | import | peak memory | search p50 (1 client) | search p99 (1 client) | notes |\n|---|---|---|---|---|---|---|\n")
		for _, x := range r.Real {
			note := x.Err
			if x.Import.Failed > 0 {
				note = strings.TrimSpace(fmt.Sprintf("%s %d files failed", note, x.Import.Failed))
			}
			if x.Search.Empty > 0 {
				note = strings.TrimSpace(fmt.Sprintf("%s; %d of %d searches found nothing", note, x.Search.Empty, x.Search.N))
			}
			p50, p99 := notMeasured, notMeasured
			if x.Search.N > x.Search.Errors {
				p50, p99 = fmtMS(x.Search.P50), fmtMS(x.Search.P99)
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s docs/s in %.1f s | %.0f MB | %s | %s | %s |\n",
				x.Path, group(int64(x.Import.Docs)), group(int64(x.Import.Rate()+0.5)), x.Import.Seconds, mb(x.Import.PeakRSS), p50, p99, oneLine(note))
		}
		fmt.Fprintf(&b, "\nReal folders are searched by one client, %d times each over: %s.\n\n", realRounds, "`"+strings.Join(realQueries, "`, `")+"`")
	}
	fmt.Fprintf(&b, "## How measured\n\n")
	fmt.Fprintf(&b, "Each size gets a fresh corpus from the project's generator (`bench/corpus`: Enron-shaped mail, "+
		"Zipf-distributed words, 30%% replies in threads, several recipients and Cc) and a fresh data directory. "+
		"**Import** runs `app.Import` on the corpus folder in a child process; the rate is documents imported "+
		"divided by the wall time of that call alone, and the **peak memory** is that child's maximum resident "+
		"set size as the kernel keeps it for the child (its own VmHWM, read by the child at the end; not wait4's ru_maxrss, which on Linux also charges a child the memory it shared with the bench process before exec; MB = 2^20 bytes), held to the budget as it is; "+
		"in brackets, the peaks of its two parts sampled every 50 ms from /proc/self/status: anonymous memory (the Go heap, "+
		"Bleve building segments) and the pages of the mmap'd bbolt and Bleve files, which the kernel can drop and read again. "+
		"**Start-up** starts %d child processes on the imported data directory; each times from just before "+
		"`app.New` to the answer of its first search (the median is reported); the row after it is the same as seen "+
		"by the parent, from exec to the answer, so it includes loading the binary and the Go runtime. "+
		"**Search** runs %s queries (after %d untimed warm-up queries) from %d goroutines on one open container, "+
		"timing each `app.Search` call's wall time (limit 10, no facets, as the search box asks while you type), then %d more from one client, which shows the time a query takes without queueing behind the others on the machine's cores, and the same again with facet counts (source, person, year over every match, as `engram search` and the facet panel ask); the mix is single words of high, middle and low frequency, "+
		"two words, phrases, `from:` filters and `prefix*` queries drawn from the corpus vocabulary; percentiles are "+
		"nearest-rank; each call is timed from when its client makes it, and the client goroutine then yields (runtime.Gosched), as a server's goroutine does when it reads a request: the call's time includes its wait behind the other clients' calls, and not the 10 ms slices Go gives a goroutine that never blocks. **Graph** asks `app.Neighbors` for the 2-hop neighbourhood of %d randomly chosen senders, one at a time. "+
		"**Memory** runs once per run, in its own fresh data directory: %s generated emails are imported first (untimed) so that "+
		"context packs have document passages to cite; then %s first-person statements generated from the seed (preferences, "+
		"relationships, feelings with triggers, plans with dates, habits, favourites, places lived in, work; mostly new facts, "+
		"with moves and new favourites as UPDATEs) are added one at a time through `app.MemoryAdd`, each for one of %d users, "+
		"each call timed (extraction, decision, bbolt write, graph write); then %s more from %d goroutines at once. "+
		"**Memory search** is %s `app.MemorySearch` calls (limit 10; after %d untimed) from %d goroutines, each for a random user: "+
		"two in three natural questions (\"where do I live\", \"who is my sister\", \"what do I like\", ...), the rest a word of "+
		"the memories (a hobby, a name, a city). **Context** is %s `app.Context` calls (default budget, %d tokens) from %d goroutines, "+
		"each for a random user: three in five a question about the user's life (\"What should I do this weekend?\", \"Why do I get anxious at work?\", ...), the rest two words of the emails' vocabulary, so that the document part finds passages; "+
		"a question can come again (for the same user or another), as an assistant asks it again, and then a cached pack may answer it. "+
		"The row after it is %s more calls whose questions are all different (a city and a name appended, a hobby to some), "+
		"so that every pack is built afresh: the time of a build under load. "+
		"QPS is calls over the wall time of the phase. "+
		"The OS page cache is warm throughout: the corpus and the index were just written.\n",
		r.Options.StartupRuns, group(int64(r.Options.Queries)), searchWarmup, r.Options.Clients, serialQueries(r.Options), r.Options.GraphQueries,
		group(int64(max(r.Options.MemoryDocs, 0))), group(int64(r.Options.Memories)), r.Options.MemoryUsers,
		group(int64(max(r.Options.Memories/concurrentAddsFraction, 1))), r.Options.Clients,
		group(int64(r.Options.MemorySearches)), memoryWarmup, r.Options.Clients,
		group(int64(r.Options.ContextQueries)), defaultContextBudget, r.Options.Clients, group(int64(r.Options.ContextQueries)))
	fmt.Fprintf(&b, "\n**Gap analysis** (issue 14) runs on each size's imported corpus. First %s searches of the mix from %d goroutines idle, "+
		"then `app.GapsInBackground` starts the background analysis an import starts (one worker, a pause after each step as long as the step took, "+
		"its core yielded between documents) and %s more searches run beside it; the row counts only the searches that ended before it did, "+
		"and the container's closing then cancels it. A child process then runs `app.GapsAnalyze` (`engram gaps analyze`: every core) over the rest, "+
		"timing that call alone (messages/s is documents analysed over its wall time, the conversations and aggregates included); "+
		"its peak memory is the child's own VmHWM, and in brackets the peaks sampled during the analysis alone. "+
		"**Control socket** (issue 12), after the gap analysis: %s searches from %d goroutines and %s from one, in-process as `cli.RunWith` of `engram search --json --limit 10 QUERY` "+
		"on a container the bench opens for it (the command the owner runs for a client: `app.Search` with limit 10 and facet counts, and its JSON), then, with that container closed, "+
		"the same queries through `engram daemon` (the binary built from this tree) on the same data directory, "+
		"each one `control.Dial` and `control.Run` of that command line, as a CLI client sends it: connection, request, the command in the owner, its output back in frames. "+
		"Both sides read the JSON answer; what differs is the socket. "+
		"The sides take %d turns each, a quarter of the queries a turn, each turn on a freshly opened container or a freshly started daemon after the same 50 warm-up queries, "+
		"so that both start from empty caches and a drift of the machine's speed falls on both; a side's turns are pooled for its percentiles. "+
		"The CPU per search is the bench process's (getrusage) over the in-process turns, and the daemon's (/proc/PID/stat) and the bench process's over the socket turns, divided by the timed searches.\n",
		group(int64(r.Options.Queries)), r.Options.Clients, group(int64(r.Options.Queries)), group(int64(clientConcurrent(r.Options))), r.Options.Clients, group(int64(min(r.Options.Queries, clientSerial))), clientRounds)
	fmt.Fprintf(&b, "\n**Peers** (issue 18), on each size's corpus, one process at a time and before Engram's searches start: "+
		"**engram import (CLI)** is `engram --data DIR import --json CORPUS`, the binary built from this tree, on a fresh data directory, timed end to end from exec to exit "+
		"(opening the data directory, the import, the wait for embedding, which is not set up, and the close); its CPU seconds (user + system) and peak memory (ru_maxrss) are the kernel's for that process, "+
		"which a small wrapper child starts so that it is not charged the bench's own memory (notmuch new runs the same way). "+
		"**Raw lean Bleve** is the bench's own indexer straight on Bleve v2 (scorch, Bleve's default settings), in a child process: the Maildir walked, "+
		"each file parsed with net/mail (subject, from, to and cc, date, the body as it is) by %d goroutines feeding %d batch writers of %s messages, "+
		"into four text fields with Bleve's standard analyzer, no `_all`, nothing dynamic, no doc values, only the subject stored, and positions only on the subject and body "+
		"(Bleve's phrase searcher needs them); timed from creating the index to closing it. "+
		"**SQLite FTS5** is the same walk and parse into one `fts5(subject, sender, recipients, body, tokenize='porter unicode61')` table "+
		"(mattn/go-sqlite3, built with `-tags sqlite_fts5`), one writer inserting through a prepared statement in transactions of %s rows, journal_mode=OFF and synchronous=OFF, "+
		"timed from opening the database to closing it. The peers' CPU seconds are their child's rusage; their peak memory is the child's own VmHWM. "+
		"Each peer's searches then run in another child on its index: the very queries of Engram's search rows (%s from %d goroutines, after the %d warm-up queries Engram had, then %d from one), "+
		"words and two words as every word in the subject or body (a disjunction of match queries per word, all required; FTS5 `{subject body} : \"w\"` joined by AND), "+
		"a phrase as a match-phrase (FTS5 phrase) on either, `from:ADDRESS` as a match of every token of the address on from (FTS5 a phrase on sender), "+
		"`prefix*` as a prefix query on either (FTS5 `\"pref\"*`); each the top 10 by score (Bleve's default scoring; FTS5 `ORDER BY rank`, bm25) with their subjects. "+
		"The peers keep no result cache and run every search at once; Engram's search keeps one and runs as many searches at a time as there are cores, queueing the rest, "+
		"so its p50 under 16 clients is higher and its tail shorter. "+
		"Ratios: the CLI's rate over each peer's and notmuch's; Engram's p99 (its search rows above: limit 10, no facets) over the peer's, same number of clients.\n",
		peerParsers, peerWriters, group(peerBatch), group(peerBatch), group(int64(r.Options.Queries)), r.Options.Clients, searchWarmup, serialQueries(r.Options))
	fmt.Fprintf(&b, "\nThe memory golden set is memory's shipped `testdata/golden` run through `memory.EvaluateGolden` in a fresh store, as its table test runs it; "+
		"precision and recall count ADD, UPDATE and DELETE events, each right when its event and text are the expected ones.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteFile writes the report as Markdown to path, replacing it whole.
func (r *Report) WriteFile(path string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".bench-*.md")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := r.WriteMarkdown(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

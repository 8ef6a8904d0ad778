package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/bench/corpus"
	"github.com/engram-app/engram/embed"
	"github.com/engram-app/engram/embed/embedtest"
	"github.com/engram-app/engram/vector"
)

// SemanticOptions says what RunSemantic measures. Zero values take the
// defaults noted.
type SemanticOptions struct {
	// Chunks is the size of the vector benchmark; zero means 100,000.
	Chunks int
	// Dim is the vectors' dimension; zero means 384 (the loopback server's).
	Dim int
	// Queries is the number of timed vector queries per index; zero means
	// 1,000 (a fifth of that for the exact scans).
	Queries int
	// EmbedTexts is the number of texts of the throughput benchmark; zero
	// means 20,000.
	EmbedTexts int
	// Docs is the number of generated emails searched in hybrid mode; zero
	// means 2,000.
	Docs int
	// HybridQueries is the number of timed hybrid searches; zero means
	// 2,000.
	HybridQueries int
	// Clients is the number of concurrent search clients; zero means 16.
	Clients int
	// Seed selects the data; zero means 1.
	Seed uint64
	// Kinds are the vector encodings measured, "float32" and "int8"; empty
	// means both.
	Kinds []string
	// SkipHybrid leaves out the embedding pipeline and hybrid search.
	SkipHybrid bool
	// WorkDir holds the temporary corpus and data; empty means the
	// system's temporary directory.
	WorkDir string
	// Log receives one line per phase; nil means os.Stderr.
	Log io.Writer
}

// SemanticResult holds the measurements of search by meaning.
type SemanticResult struct {
	Options SemanticOptions
	// EmbedClient is the client alone against the loopback server: texts
	// per second, in batches of 32.
	EmbedClient Throughput
	// EmbedPipeline is the background worker after an import: chunking,
	// the bbolt vector cache and the requests, in documents and chunks.
	EmbedPipeline Throughput
	Vectors       []VectorResult
	// Hybrid and Text are the same searches from Clients goroutines, in
	// hybrid and in text mode, each query new (its vector not cached).
	Hybrid, Text Latency
	// TextWhileEmbedding is the text searches again while the worker
	// re-embeds every document (a model change); EmbeddingOverlap is the
	// share of them that ran before it finished.
	TextWhileEmbedding Latency
	EmbeddingOverlap   float64
	Problems           []string
	Elapsed            time.Duration
}

// Throughput is items done in a time.
type Throughput struct {
	Items   int
	Chunks  int
	Seconds float64
}

// PerSecond is items per second.
func (t Throughput) PerSecond() float64 {
	if t.Seconds <= 0 {
		return 0
	}
	return float64(t.Items) / t.Seconds
}

// VectorResult is one index over Chunks vectors.
type VectorResult struct {
	Kind         string // "float32" or "int8"
	MemoryMB     float64
	BuildSeconds float64
	Exact        Latency
	Approx       Latency
	// Recall is the share of the exact top 10 the graph finds.
	Recall float64
	// Sweep is recall and latency at other candidate lists.
	Sweep []EfPoint
}

// EfPoint is the graph searched with a candidate list of Ef.
type EfPoint struct {
	Ef      int
	Recall  float64
	Latency Latency
}

func (o *SemanticOptions) defaults() {
	if o.Chunks <= 0 {
		o.Chunks = 100000
	}
	if o.Dim <= 0 {
		o.Dim = embedtest.Dim
	}
	if o.Queries <= 0 {
		o.Queries = 1000
	}
	if o.EmbedTexts <= 0 {
		o.EmbedTexts = 20000
	}
	if o.Docs <= 0 {
		o.Docs = 2000
	}
	if o.HybridQueries <= 0 {
		o.HybridQueries = 2000
	}
	if o.Clients <= 0 {
		o.Clients = 16
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Log == nil {
		o.Log = os.Stderr
	}
}

// RunSemantic measures embedding throughput against the loopback server,
// vector queries (exact and approximate, float32 and int8) with the
// approximate index's recall@10, and hybrid search with concurrent
// clients. A phase that fails is recorded in Problems.
func RunSemantic(ctx context.Context, opts SemanticOptions) (*SemanticResult, error) {
	opts.defaults()
	lg := &logger{w: opts.Log, start: time.Now()}
	r := &SemanticResult{Options: opts}
	srv := embedtest.New()
	defer srv.Close()

	lg.printf("semantic: embedding %d texts through the client", opts.EmbedTexts)
	if err := r.embedThroughput(ctx, srv); err != nil {
		r.Problems = append(r.Problems, "embedding throughput: "+err.Error())
	}
	kinds := opts.Kinds
	if len(kinds) == 0 {
		kinds = []string{"float32", "int8"}
	}
	for _, k := range kinds {
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
		v := r.vectorIndex(ctx, lg, k == "int8")
		r.Vectors = append(r.Vectors, v)
	}
	if !opts.SkipHybrid {
		if err := r.hybrid(ctx, lg, srv); err != nil {
			r.Problems = append(r.Problems, "hybrid search: "+err.Error())
		}
	}
	r.Elapsed = time.Since(lg.start)
	return r, ctx.Err()
}

func (r *SemanticResult) embedThroughput(ctx context.Context, srv *embedtest.Server) error {
	c, err := embed.New(embed.Config{Endpoint: srv.URL, Model: "bench", API: embed.APIOllama})
	if err != nil {
		return err
	}
	g := corpus.New(corpus.Options{Messages: 1, Seed: r.Options.Seed})
	words := g.Vocabulary().ContentWords()
	rnd := rand.New(rand.NewPCG(r.Options.Seed, 0x656d6264))
	texts := make([]string, r.Options.EmbedTexts)
	for i := range texts {
		var b strings.Builder
		for range 60 { // a passage of about 60 words
			b.WriteString(words[rnd.IntN(len(words))])
			b.WriteByte(' ')
		}
		texts[i] = b.String()
	}
	start := time.Now()
	if _, err := c.Embed(ctx, texts); err != nil {
		return err
	}
	r.EmbedClient = Throughput{Items: len(texts), Chunks: len(texts), Seconds: time.Since(start).Seconds()}
	return nil
}

// clustered returns n unit vectors around 1,000 random centres (a cosine
// of about 0.7 to their centre), the shape of real embeddings, which
// cluster by topic; queries come from the same distribution.
func clustered(n, dim int, r *rand.Rand, centres [][]float32) [][]float32 {
	out := make([][]float32, n)
	for i := range out {
		c := centres[r.IntN(len(centres))]
		v := make([]float64, dim)
		for j := range v {
			v[j] = float64(c[j]) + r.NormFloat64()*1.0/math.Sqrt(float64(dim))
		}
		out[i] = embed.Normalize(v)
	}
	return out
}

func randomCentres(k, dim int, r *rand.Rand) [][]float32 {
	out := make([][]float32, k)
	for i := range out {
		v := make([]float64, dim)
		for j := range v {
			v[j] = r.NormFloat64()
		}
		out[i] = embed.Normalize(v)
	}
	return out
}

func (r *SemanticResult) vectorIndex(ctx context.Context, lg *logger, quant bool) VectorResult {
	o := r.Options
	res := VectorResult{Kind: "float32"}
	if quant {
		res.Kind = "int8"
	}
	rnd := rand.New(rand.NewPCG(o.Seed, 0x76656374))
	centres := randomCentres(1000, o.Dim, rnd)
	data := clustered(o.Chunks, o.Dim, rnd, centres)
	queries := clustered(o.Queries, o.Dim, rnd, centres)
	idx := vector.New(vector.Options{Quantize: quant})
	for i, v := range data {
		_ = idx.Put(fmt.Sprintf("doc%07d", i), [][]float32{v})
	}
	data = nil
	lg.printf("semantic: %s: exact scan of %d x %d", res.Kind, o.Chunks, o.Dim)
	nExact := max(o.Queries/5, 1)
	res.Exact = concurrently(ctx, nExact, 1, func(i int) (bool, error) {
		return len(idx.Exact(queries[i], 10)) == 0, nil
	})
	lg.printf("semantic: %s: building the HNSW graph", res.Kind)
	start := time.Now()
	if err := idx.Build(ctx); err != nil {
		r.Problems = append(r.Problems, "building the graph: "+err.Error())
		return res
	}
	res.BuildSeconds = time.Since(start).Seconds()
	res.MemoryMB = float64(idx.MemoryBytes()) / (1 << 20)
	res.Approx = concurrently(ctx, o.Queries, 1, func(i int) (bool, error) {
		return len(idx.Approx(queries[i], 10)) == 0, nil
	})
	exact := make([][]vector.Hit, nExact)
	for i, q := range queries[:nExact] {
		exact[i] = idx.Exact(q, 10)
	}
	recall := func(ef int) float64 {
		found, total := 0, 0
		for i, q := range queries[:nExact] {
			in := map[string]bool{}
			for _, h := range idx.ApproxEf(q, 10, ef) {
				in[h.Doc] = true
			}
			for _, h := range exact[i] {
				total++
				if in[h.Doc] {
					found++
				}
			}
		}
		return float64(found) / float64(max(total, 1))
	}
	res.Recall = recall(0)
	for _, ef := range []int{64, 128, 512} {
		lat := concurrently(ctx, o.Queries, 1, func(i int) (bool, error) {
			return len(idx.ApproxEf(queries[i], 10, ef)) == 0, nil
		})
		res.Sweep = append(res.Sweep, EfPoint{Ef: ef, Recall: recall(ef), Latency: lat})
	}
	lg.printf("semantic: %s: built in %.1fs, %.0f MB; exact p50 %.1f ms, approx p50 %.2f ms, recall@10 %.3f",
		res.Kind, res.BuildSeconds, res.MemoryMB, res.Exact.P50, res.Approx.P50, res.Recall)
	return res
}

func (r *SemanticResult) hybrid(ctx context.Context, lg *logger, srv *embedtest.Server) error {
	o := r.Options
	tmp, err := os.MkdirTemp(o.WorkDir, "engram-bench-semantic-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	gen := corpus.New(corpus.Options{Messages: o.Docs, Seed: o.Seed})
	dir := filepath.Join(tmp, "corpus")
	st, err := gen.Generate(dir)
	if err != nil {
		return err
	}
	a, err := app.New(app.Config{DataDir: filepath.Join(tmp, "data")})
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.SetSetting(app.SettingEmbedEndpoint, srv.URL); err != nil {
		return err
	}
	lg.printf("semantic: importing %d emails, then embedding them", o.Docs)
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		return err
	}
	start := time.Now()
	if err := a.EmbedWait(ctx, "", time.Second, nil); err != nil {
		return err
	}
	es, err := a.EmbedStatus("")
	if err != nil {
		return err
	}
	r.EmbedPipeline = Throughput{Items: es.Documents, Chunks: es.Chunks, Seconds: time.Since(start).Seconds()}
	lg.printf("semantic: embedded %d documents (%d chunks) in %.1fs", es.Documents, es.Chunks, r.EmbedPipeline.Seconds)

	src := newQuerySource(o.Seed, gen, st)
	queries := make([]string, o.HybridQueries)
	for i := range queries {
		queries[i] = src.word(0, 400) + " " + src.word(0, 1000)
	}
	run := func(mode string) Latency {
		return concurrently(ctx, len(queries), o.Clients, func(i int) (bool, error) {
			res, err := a.Search(ctx, "", app.SearchRequest{Query: queries[i], Limit: 10, Mode: mode})
			if err == nil && res.Notice != "" && mode == app.ModeHybrid {
				err = errors.New(res.Notice)
			}
			return err == nil && len(res.Hits) == 0, err
		})
	}
	lg.printf("semantic: %d hybrid searches from %d clients", len(queries), o.Clients)
	r.Hybrid = run(app.ModeHybrid)
	for i := range queries { // new queries again: no vector cached
		queries[i] = src.word(0, 400) + " " + src.word(0, 1000)
	}
	r.Text = run(app.ModeText)
	lg.printf("semantic: hybrid p50 %.1f ms p99 %.1f ms; text p50 %.1f ms p99 %.1f ms", r.Hybrid.P50, r.Hybrid.P99, r.Text.P50, r.Text.P99)

	// Text search while every document is embedded again.
	if err := a.SetSetting(app.SettingEmbedModel, "bench-other-model"); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- a.EmbedWait(ctx, "", time.Second, nil) }()
	var during atomic.Int64
	finished := atomic.Bool{}
	go func() { <-done; finished.Store(true) }()
	r.TextWhileEmbedding = concurrently(ctx, len(queries), o.Clients, func(i int) (bool, error) {
		res, err := a.Search(ctx, "", app.SearchRequest{Query: queries[i], Limit: 10, Mode: app.ModeText})
		if !finished.Load() {
			during.Add(1)
		}
		return err == nil && len(res.Hits) == 0, err
	})
	r.EmbeddingOverlap = float64(during.Load()) / float64(len(queries))
	lg.printf("semantic: text p99 %.1f ms while embedding (%.0f%% of the searches overlapped it)", r.TextWhileEmbedding.P99, 100*r.EmbeddingOverlap)
	return a.EmbedWait(ctx, "", time.Second, nil)
}

// Budgets of search by meaning: issue 17's recall, the specification's
// search p99 (16 clients) for hybrid search, and its "within 2x of idle"
// for searches while embedding runs.
const (
	budgetRecall     = 0.95
	budgetBusyFactor = 2.0
)

// Row labels of the search-by-meaning table.
const (
	RowEmbedClient   = "embedding throughput, client vs loopback server"
	RowEmbedPipeline = "background embedding after import"
	RowVectorExact   = "vector query, exact scan"
	RowVectorHNSW    = "vector query, HNSW"
	RowVectorRecall  = "recall@10, HNSW vs exact"
	RowHybridP99     = "hybrid search p99, 16 concurrent clients"
	RowTextSame      = "text search p99, same corpus and load"
	RowTextEmbedding = "text search p99 while every document is embedded again"
)

// SemanticRows lists the labels every search-by-meaning table starts its
// rows with (one per vector encoding for the vector rows).
var SemanticRows = []string{RowEmbedClient, RowEmbedPipeline, RowVectorExact, RowVectorHNSW, RowVectorRecall, RowHybridP99, RowTextSame, RowTextEmbedding}

// withinFactor rates v against factor times base (both must be measured).
func withinFactor(v, base, factor float64) string {
	if base <= 0 {
		return notMeasured
	}
	return atMost(v/base, factor)
}

func (r *SemanticResult) rows() []row {
	o := r.Options
	var rs []row
	if t := r.EmbedClient; t.Items > 0 {
		rs = append(rs, row{RowEmbedClient, fmt.Sprintf("%s texts/s (%s texts of about 60 words, batches of 32, %d dimensions)", group(int64(t.PerSecond()+0.5)), group(int64(t.Items)), o.Dim), noBudget, noBudget})
	} else {
		rs = append(rs, row{RowEmbedClient, notMeasured, noBudget, notMeasured})
	}
	if !o.SkipHybrid {
		if t := r.EmbedPipeline; t.Items > 0 {
			rs = append(rs, row{RowEmbedPipeline, fmt.Sprintf("%s docs/s, %s chunks/s (%s emails, %s chunks: chunking, bbolt vector cache, requests)",
				group(int64(t.PerSecond()+0.5)), group(int64(float64(t.Chunks)/max(t.Seconds, 1e-9)+0.5)), group(int64(t.Items)), group(int64(t.Chunks))), noBudget, noBudget})
		} else {
			rs = append(rs, row{RowEmbedPipeline, notMeasured, noBudget, notMeasured})
		}
	}
	size := fmt.Sprintf("%s x %d, %s, 1 client", group(int64(o.Chunks)), o.Dim, "%s")
	var f32, i8 *VectorResult
	for i := range r.Vectors {
		v := &r.Vectors[i]
		switch v.Kind {
		case "float32":
			f32 = v
		case "int8":
			i8 = v
		}
		at := fmt.Sprintf(size, v.Kind)
		if v.Exact.N > 0 {
			rs = append(rs, row{RowVectorExact + ", " + at, fmt.Sprintf("p50 %s, p99 %s (%d queries)", fmtMS(v.Exact.P50), fmtMS(v.Exact.P99), v.Exact.N), noBudget, noBudget})
		} else {
			rs = append(rs, row{RowVectorExact + ", " + at, notMeasured, noBudget, notMeasured})
		}
		if v.Approx.N == 0 {
			rs = append(rs, row{RowVectorHNSW + ", " + at, notMeasured, noBudget, notMeasured},
				row{RowVectorRecall + ", " + v.Kind, notMeasured, ">= 0.95", notMeasured})
			continue
		}
		rs = append(rs,
			row{RowVectorHNSW + ", " + at, fmt.Sprintf("p50 %s, p99 %s (%d queries; built in %.1f s, %.0f MB vectors and graph)", fmtMS(v.Approx.P50), fmtMS(v.Approx.P99), v.Approx.N, v.BuildSeconds, v.MemoryMB), noBudget, noBudget},
			row{RowVectorRecall + ", " + v.Kind, fmt.Sprintf("%.3f (default candidate list)", v.Recall), ">= 0.95", atLeast(v.Recall, budgetRecall)})
		for _, p := range v.Sweep {
			rs = append(rs, row{fmt.Sprintf("HNSW, %s, candidate list %d", v.Kind, p.Ef), fmt.Sprintf("recall@10 %.3f; p50 %s, p99 %s", p.Recall, fmtMS(p.Latency.P50), fmtMS(p.Latency.P99)), noBudget, noBudget})
		}
	}
	if f32 != nil && i8 != nil && f32.Approx.N > 0 && i8.Approx.N > 0 && f32.MemoryMB > 0 && f32.Approx.P50 > 0 && f32.Exact.P50 > 0 {
		rs = append(rs, row{"int8 vs float32", fmt.Sprintf("memory x%.2f, HNSW p50 x%.2f, exact p50 x%.2f, recall@10 %+.3f",
			i8.MemoryMB/f32.MemoryMB, i8.Approx.P50/f32.Approx.P50, i8.Exact.P50/f32.Exact.P50, i8.Recall-f32.Recall), noBudget, noBudget})
	}
	if o.SkipHybrid {
		return rs
	}
	label := func(r string) string { return strings.Replace(r, "16", fmt.Sprint(o.Clients), 1) }
	if h := r.Hybrid; h.N > h.Errors {
		rs = append(rs, row{label(RowHybridP99), fmt.Sprintf("%s (p50 %s; %s emails, every query new, so its vector is not cached; %d errors)", fmtMS(h.P99), fmtMS(h.P50), group(int64(o.Docs)), h.Errors), "<= 30 ms", atMost(h.P99, budgetSearchP99)})
	} else {
		rs = append(rs, row{label(RowHybridP99), notMeasured, "<= 30 ms", notMeasured})
	}
	if t := r.Text; t.N > t.Errors {
		rs = append(rs, row{RowTextSame, fmt.Sprintf("%s (p50 %s)", fmtMS(t.P99), fmtMS(t.P50)), noBudget, noBudget})
	} else {
		rs = append(rs, row{RowTextSame, notMeasured, noBudget, notMeasured})
	}
	if t := r.TextWhileEmbedding; t.N > t.Errors && r.Text.N > r.Text.Errors {
		rs = append(rs, row{RowTextEmbedding, fmt.Sprintf("%s (p50 %s; x%.2f of the same load idle; %.0f%% of the searches overlapped the embedding)",
			fmtMS(t.P99), fmtMS(t.P50), t.P99/max(r.Text.P99, 1e-9), 100*r.EmbeddingOverlap), "within 2x of idle", withinFactor(t.P99, r.Text.P99, budgetBusyFactor)})
	} else {
		rs = append(rs, row{RowTextEmbedding, notMeasured, "within 2x of idle", notMeasured})
	}
	return rs
}

// Markdown is the report's table, for `engram-bench semantic`.
func (r *SemanticResult) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Search by meaning\n\n")
	writeTable(&b, r.rows())
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "\nproblem: %s\n", p)
	}
	return b.String()
}

package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/internal/mapped"
)

// Defaults.
const (
	DefaultBatchSize = 1000
	DefaultLimit     = 20
	// minCandidates is how many hits, at least, are re-ranked by recency
	// and graph boost before paging.
	minCandidates = 50
	// MaxLimit is the largest page; a larger Request.Limit is cut to it.
	MaxLimit = 10000
	// MaxOffset is the largest Request.Offset; a larger one is cut to it.
	MaxOffset = 1 << 30
	hashPage  = 10000
	// maxSegmentDocs caps the documents of a segment that Bleve's merges
	// build (scorch's merge plan, MaxSegmentSize; Bleve's own default is
	// 5,000,000). Merging two large segments builds the new one in memory:
	// at 440,000 messages (a 3 GB mbox) the last merges took the heap from
	// under 200 MB to over 300 MB, past SPEC.md's 500 MB with the mapped
	// pages. Capped, an index of a million messages keeps about 10
	// segments of this size, and a search visits each.
	maxSegmentDocs = 150_000
)

// scorchConfig is the configuration every open of an index gives Bleve's
// scorch: the merge plan with opts.MaxSegmentDocs, the rest Bleve's
// defaults.
// Scorch reads the plan as JSON over its defaults (mergeplan's
// MergePlanOptions), so only the field set here changes.
func scorchConfig(opts Options) map[string]interface{} {
	return map[string]interface{}{
		"bolt_timeout":           opts.LockTimeout.String(),
		"scorchMergePlanOptions": map[string]interface{}{"MaxSegmentSize": opts.MaxSegmentDocs},
	}
}

// Options for Open.
type Options struct {
	// BatchSize is the number of documents per Bleve batch in Put and
	// Delete; 0 means DefaultBatchSize.
	BatchSize int
	// LockTimeout is how long Open waits for another process to release
	// the index; 0 means 2 seconds.
	LockTimeout time.Duration
	// MaxSegmentDocs caps the documents of a segment Bleve's merges build;
	// 0 means 150,000 (see maxSegmentDocs).
	MaxSegmentDocs int
}

// Index is the full-text index of the documents. It is safe for
// concurrent use: searches run while Put and Delete write.
type Index struct {
	dir       string
	batchSize int
	an        analysis.Analyzer
	person    analysis.Analyzer

	mu     sync.RWMutex // guards idx against Close
	idx    bleve.Index
	closed bool

	// version counts the writes (batches) applied; results cached under
	// an older version are never served.
	version atomic.Uint64
	cache   *resultCache
	// corrections keeps the typo corrections looked up, by version too.
	corrections *lru.Cache[correctionKey, correctionResult]
	// segFacets and facetSets keep the facet tables of segments and of
	// snapshots (see facetcount.go).
	segFacets *lru.Cache[segFacetKey, *segFacets]
	facetSets *lru.Cache[facetSetKey, *facetSet]
	// names keeps the names of the person facet's addresses.
	names *lru.Cache[nameKey, string]
	// bleveFacets counts facets with Bleve's builder; tests compare.
	bleveFacets bool
	// phraseChecks is maxPhraseChecks; tests lower it.
	phraseChecks int
	// slots admits GOMAXPROCS searches at a time; see Search.
	slots chan struct{}
}

// Open opens the index in dir, creating dir and an empty index when dir is
// missing or empty. An index that cannot be read returns an error wrapping
// ErrIndexCorrupt, one held by another process ErrIndexLocked, and one
// built with another mapping version ErrMappingChanged; the index is
// derived data, so the caller may remove dir and rebuild from the store.
func Open(dir string, opts Options) (*Index, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = DefaultBatchSize
	}
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = 2 * time.Second
	}
	if opts.MaxSegmentDocs <= 0 {
		opts.MaxSegmentDocs = maxSegmentDocs
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("building index mapping: %w", err)
	}
	an := m.AnalyzerNamed(queryAnalyzer)
	if an == nil {
		return nil, fmt.Errorf("building index mapping: analyzer %s missing", queryAnalyzer)
	}

	var idx bleve.Index
	_, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	switch {
	case statErr == nil:
		idx, err = bleve.OpenUsing(dir, scorchConfig(opts))
		if err != nil {
			// Bleve returns bbolt's lock timeout as is; only the store
			// package may import bbolt, so it is recognised by its text.
			if err.Error() == "timeout" {
				return nil, fmt.Errorf("opening index %s: %w", dir, ErrIndexLocked)
			}
			return nil, fmt.Errorf("opening index %s: %w: %v", dir, ErrIndexCorrupt, err)
		}
		v, err := idx.GetInternal([]byte(internalVersionKey))
		if err != nil || string(v) != mappingVersion {
			idx.Close()
			if err != nil {
				return nil, fmt.Errorf("opening index %s: %w: %v", dir, ErrIndexCorrupt, err)
			}
			return nil, fmt.Errorf("opening index %s: version %q, want %q: %w", dir, v, mappingVersion, ErrMappingChanged)
		}
	case errors.Is(statErr, os.ErrNotExist):
		if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
			return nil, fmt.Errorf("opening index %s: directory has files but no index metadata: %w", dir, ErrIndexCorrupt)
		}
		idx, err = bleve.NewUsing(dir, m, scorch.Name, bleve.Config.DefaultKVStore, scorchConfig(opts))
		if err != nil {
			return nil, fmt.Errorf("creating index %s: %w", dir, err)
		}
		if err := idx.SetInternal([]byte(internalVersionKey), []byte(mappingVersion)); err != nil {
			idx.Close()
			return nil, fmt.Errorf("creating index %s: %w", dir, err)
		}
	default:
		return nil, fmt.Errorf("opening index %s: %w", dir, statErr)
	}
	return &Index{dir: dir, batchSize: opts.BatchSize, an: an, person: m.AnalyzerNamed(personAnalyzer), idx: idx, cache: newResultCache(resultCacheSize), corrections: newLRU[correctionKey, correctionResult](correctionCacheSize), segFacets: newLRU[segFacetKey, *segFacets](segFacetCacheSize), facetSets: newLRU[facetSetKey, *facetSet](facetSetCacheSize), names: newLRU[nameKey, string](nameCacheSize), phraseChecks: maxPhraseChecks, slots: make(chan struct{}, runtime.GOMAXPROCS(0))}, nil
}

// Close flushes and closes the index. Calls after the first return
// ErrClosed, as do all other methods.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return ErrClosed
	}
	ix.closed = true
	if err := ix.idx.Close(); err != nil {
		return fmt.Errorf("closing index %s: %w", ix.dir, err)
	}
	return nil
}

// acquire read-locks the index for one operation.
func (ix *Index) acquire() error {
	ix.mu.RLock()
	if ix.closed {
		ix.mu.RUnlock()
		return ErrClosed
	}
	return nil
}

// Put adds or replaces docs, in Bleve batches of Options.BatchSize. It
// checks ctx between batches; batches written before an error stay
// written. A document without an ID fails the call (ErrEmptyID) before
// anything of its batch is written.
func (ix *Index) Put(ctx context.Context, docs []document.Document) error {
	if err := ix.acquire(); err != nil {
		return err
	}
	defer ix.mu.RUnlock()
	for start := 0; start < len(docs); start += ix.batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		end := min(start+ix.batchSize, len(docs))
		b := ix.idx.NewBatch()
		for i := start; i < end; i++ {
			d := &docs[i]
			if d.ID == "" {
				return fmt.Errorf("indexing document %d (%s): %w", i, d.Path, ErrEmptyID)
			}
			if err := b.Index(d.ID, fieldsOf(d)); err != nil {
				return fmt.Errorf("indexing document %s: %w", d.ID, err)
			}
		}
		err := ix.idx.Batch(b)
		ix.written()
		if err != nil {
			return fmt.Errorf("writing index batch: %w", err)
		}
	}
	return nil
}

// Delete removes the documents with these ids; unknown ids are ignored.
func (ix *Index) Delete(ctx context.Context, ids []string) error {
	if err := ix.acquire(); err != nil {
		return err
	}
	defer ix.mu.RUnlock()
	for start := 0; start < len(ids); start += ix.batchSize {
		if err := ctx.Err(); err != nil {
			return err
		}
		b := ix.idx.NewBatch()
		for _, id := range ids[start:min(start+ix.batchSize, len(ids))] {
			b.Delete(id)
		}
		err := ix.idx.Batch(b)
		ix.written()
		if err != nil {
			return fmt.Errorf("deleting from index: %w", err)
		}
	}
	return nil
}

// written invalidates the cached results after a batch, applied or not (a
// failed batch may have been partly applied).
func (ix *Index) written() {
	ix.version.Add(1)
	ix.cache.Purge()
	ix.corrections.Purge()
	ix.names.Purge()
}

// Count returns the number of indexed documents.
func (ix *Index) Count() (uint64, error) {
	if err := ix.acquire(); err != nil {
		return 0, err
	}
	defer ix.mu.RUnlock()
	n, err := ix.idx.DocCount()
	if err != nil {
		return 0, fmt.Errorf("counting documents: %w", err)
	}
	return n, nil
}

// Hashes returns every indexed document id with its ContentHash, for
// doctor to compare with the store. It pages through the index.
func (ix *Index) Hashes(ctx context.Context) (map[string]string, error) {
	if err := ix.acquire(); err != nil {
		return nil, err
	}
	defer ix.mu.RUnlock()
	out := map[string]string{}
	var after []string
	for {
		req := bleve.NewSearchRequestOptions(query.NewMatchAllQuery(), hashPage, 0, false)
		req.Fields = []string{fContentHash}
		req.SortBy([]string{"_id"})
		if after != nil {
			req.SetSearchAfter(after)
		}
		res, err := ix.idx.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("listing index hashes: %w", err)
		}
		for _, h := range res.Hits {
			s, _ := h.Fields[fContentHash].(string)
			out[h.ID] = s
		}
		if len(res.Hits) < hashPage {
			return out, nil
		}
		after = []string{res.Hits[len(res.Hits)-1].ID}
	}
}

// Request is one search.
type Request struct {
	Query    string             // see ParseQuery for the syntax
	Limit    int                // hits per page; 0 means DefaultLimit
	Offset   int                // hits to skip
	Expander Expander           // acronym and synonym expansion; may be nil
	Boost    map[string]float64 // doc id -> score multiplier (graph closeness); may be nil
	Now      time.Time          // reference for recency; zero means time.Now()
	// Facets asks for the source, person and year facets. They are counted
	// over every match from doc values, which costs several times the
	// search itself on broad queries, so callers ask for them only when
	// they show them.
	Facets bool
	// IDsOnly gives hits with their ID, Score and Date only: no stored
	// fields and no snippet, for a caller that reads the documents itself
	// (a context pack, which took a tenth of its time making snippets it
	// never showed).
	IDsOnly bool
}

// Hit is one search result. Snippet is HTML: escaped text with the matched
// words wrapped in <mark>.
type Hit struct {
	ID      string
	Title   string
	Source  string
	Path    string
	Snippet string
	Score   float64
	Date    time.Time
	From    Person   // zero when the document has no sender
	To      []Person // the first recipients (To and Cc), at most 20
}

// Facet is one value of a facet with its number of matching documents.
// A person is shown by name (Value), with the address the documents are
// counted by in Address; a person without a name has the address as
// Value.
type Facet struct {
	Value   string
	Count   int
	Address string
}

// Result is a page of hits. Total counts every matching document; Facets
// has the keys "source", "person" and "year", most frequent first.
type Result struct {
	Total uint64
	// Partial reports that a phrase had more candidate documents than a
	// search checks (see maxPhraseChecks): Total counts the matches among
	// those checked and the hits are the best of them.
	Partial bool
	Took    time.Duration
	Hits    []Hit
	// Corrected is the query as searched when words of it were replaced
	// by their nearest words in the index ("calender" -> "calendar");
	// empty when none was.
	Corrected string
	Facets    map[string][]Facet
}

// Facet names in Result.Facets.
const (
	FacetSource = "source"
	FacetPerson = "person"
	FacetYear   = "year"
)

// Search runs a query. Text queries are ranked by BM25 relevance (title
// words count 3x body words, typos much less than exact words), times a
// mild recency factor, times req.Boost[id]; the best
// max(offset+limit, minCandidates) text matches are re-ranked and then
// paged. A query of only filters (or an empty one) lists matching
// documents newest first. User text never causes an error; ctx cancels the
// search.
//
// The text part of a result (the candidates with their text scores,
// Total and facets) is cached per index version: see resultCache. Boost,
// recency and the page's snippets are applied on every call.
//
// At most GOMAXPROCS searches run at once; the others wait, in arrival
// order, until one ends or their ctx does. Searches are CPU-bound: more
// of them would only share the cores, and Go's scheduler gives a
// CPU-bound goroutine 10 ms slices, so a search that lost its core waited
// behind every other running one. With 16 concurrent clients that made
// the p99 latency 200-400 ms for a p50 of 1 ms; admitted in order, every
// search waits about the same short queue.
func (ix *Index) Search(ctx context.Context, req Request) (res *Result, err error) {
	if err := ix.acquire(); err != nil {
		return nil, err
	}
	defer ix.mu.RUnlock()
	defer func() {
		// Bleve panics on some damaged segments (slice bounds out of
		// range); the index is derived data and can be rebuilt.
		if p := recover(); p != nil {
			res, err = nil, fmt.Errorf("searching: %w: %v", ErrIndexCorrupt, p)
		}
	}()
	began := time.Now()
	select {
	case ix.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-ix.slots }()
	if req.Limit <= 0 {
		req.Limit = DefaultLimit
	}
	req.Limit = min(req.Limit, MaxLimit)
	req.Offset = min(max(req.Offset, 0), MaxOffset)
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}
	// Recency moves by the day, so the pages of a query read a minute
	// apart still come from one order.
	now = now.UTC().Truncate(24 * time.Hour)

	pq, err := ParseQuery(req.Query)
	if err != nil {
		return nil, err
	}
	ranked := pq.HasText()
	// The version is read before the snapshot is opened, so a cached
	// result is never older than the version it is filed under.
	version := ix.version.Load()
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	defer r.Close()
	docs, err := r.DocCount()
	if err != nil {
		return nil, fmt.Errorf("searching: %w", err)
	}
	sr := newStoredReader(r)
	// A ranked page is cut from the final order (text score, recency and
	// boost, then id) of every match: the candidates by text score are
	// widened until no match outside them can reach the page (see
	// pageComplete), so the pages of a query are a partition of its hits.
	size := max(req.Offset+req.Limit, minCandidates)
	var tr *textResult
	var hits []Hit
	for {
		var iids []index.IndexInternalID
		tr, iids, err = ix.textSearch(ctx, r, version, pq, req, ranked, min(size, int(min(max(docs, 1), math.MaxInt32))))
		if err != nil {
			return nil, fmt.Errorf("searching: %w", err)
		}
		var done bool
		hits, done, err = ix.page(sr, tr, iids, pq, req, now, ranked)
		if err != nil {
			return nil, fmt.Errorf("searching: %w", err)
		}
		if done || !ranked || uint64(len(tr.cands)) >= tr.total || size >= int(min(max(docs, 1), math.MaxInt32)) {
			break
		}
		size *= 4
	}

	res = &Result{Total: tr.total, Partial: tr.partial, Hits: hits, Facets: map[string][]Facet{}, Corrected: tr.corrected}
	for name, fs := range tr.facets {
		res.Facets[name] = slices.Clone(fs)
	}
	res.Took = time.Since(began)
	return res, nil
}

// page ranks the candidates of tr for req and returns the hits of the
// requested page with their titles and snippets, read through sr; iids
// are the candidates' internal ids in sr's snapshot, nil when tr comes
// from the cache. done is false when a match outside tr's candidates
// could still rank on the page: the caller must ask for more candidates.
// Pages without a boost are kept with tr, by offset, limit and day.
func (ix *Index) page(sr *storedReader, tr *textResult, iids []index.IndexInternalID, pq Query, req Request, now time.Time, ranked bool) (hits []Hit, done bool, err error) {
	key := pageKey{req.Offset, req.Limit, now.Unix(), req.IDsOnly}
	cache := len(req.Boost) == 0
	if cache {
		tr.mu.Lock()
		hits, ok := tr.pages[key]
		tr.mu.Unlock()
		if ok {
			return slices.Clone(hits), true, nil
		}
	}
	// A filter-only result is already the page, newest first: every
	// candidate is shown, so every date is read.
	shown := len(tr.cands)
	if ranked {
		shown = req.Offset + req.Limit
	}
	dates, err := tr.datesOf(sr, iids, tr.mayReach(shown, req.Boost))
	if err != nil {
		return nil, false, err
	}
	hits = make([]Hit, len(tr.cands))
	for i, c := range tr.cands {
		hits[i] = Hit{ID: c.id, Score: c.score, Date: dates[i]}
		if !ranked {
			continue
		}
		hits[i].Score *= recency(dates[i], now)
		if b, ok := req.Boost[c.id]; ok && b > 0 {
			hits[i].Score *= b
		}
	}
	if ranked {
		slices.SortFunc(hits, func(a, b Hit) int {
			if c := cmp.Compare(b.Score, a.Score); c != 0 {
				return c
			}
			return strings.Compare(a.ID, b.ID)
		})
		if !tr.pageComplete(hits, shown, req.Boost) {
			return nil, false, nil
		}
		if req.Offset >= len(hits) {
			hits = hits[:0]
		} else {
			hits = hits[req.Offset:min(req.Offset+req.Limit, len(hits))]
		}
	}
	var iidOf map[string]index.IndexInternalID
	if req.IDsOnly {
		iids = nil // nothing is read for the hits
	}
	if iids != nil {
		iidOf = make(map[string]index.IndexInternalID, len(iids))
		for i, c := range tr.cands {
			iidOf[c.id] = iids[i]
		}
	}
	if !req.IDsOnly {
		if err := ix.fillHits(sr, hits, iidOf, pq, tr.fixes); err != nil {
			return nil, false, err
		}
	}
	if cache {
		tr.mu.Lock()
		if tr.pages == nil || len(tr.pages) >= maxPages {
			tr.pages = map[pageKey][]Hit{}
		}
		tr.pages[key] = slices.Clone(hits)
		tr.mu.Unlock()
	}
	return hits, true, nil
}

// pageComplete reports whether the first n of ranked (the candidates in
// their final order) are the first n of every match: true when tr holds
// every match, or when the n-th final score beats the best final score a
// match outside tr could have (its text score is at most the lowest
// candidate's, times the largest recency and boost). Ties are not enough:
// an outside match with an equal score could come first by id.
func (tr *textResult) pageComplete(ranked []Hit, n int, boost map[string]float64) bool {
	if uint64(len(tr.cands)) >= tr.total {
		return true
	}
	if n > len(ranked) || n <= 0 {
		return n <= 0
	}
	least := math.Inf(1)
	for _, c := range tr.cands {
		least = min(least, c.score)
	}
	most := 1.0
	for _, b := range boost {
		most = max(most, b)
	}
	return ranked[n-1].Score > least*maxRecency*most
}

// maxPages is how many pages a textResult keeps.
const maxPages = 4

type pageKey struct {
	offset, limit int
	day           int64
	idsOnly       bool
}

// candidate is one text match before re-ranking.
type candidate struct {
	id    string
	score float64 // text score
}

// textResult is what the index answers for a query before boosts and
// snippets: the best candidates by text score, or newest first for
// filter-only queries. It is shared through the cache: only the dates and
// pages change after it is built, under mu.
type textResult struct {
	cands   []candidate
	total   uint64
	partial bool
	facets  map[string][]Facet
	// fixes are the corrections the query was searched with; corrected
	// is the query written with them (see Result.Corrected).
	fixes     []correction
	corrected string

	mu    sync.Mutex
	dates []time.Time // of cands, when dated[i]
	dated []bool
	pages map[pageKey][]Hit
}

// mayReach reports, for each candidate, whether it can rank among the
// first n once recency (at most x1.2) and boost are applied: the others
// need no date. A candidate's final score is at least its text score times
// min(1, boost) and at most 1.2 times its text score times its boost.
func (tr *textResult) mayReach(n int, boost map[string]float64) []bool {
	need := make([]bool, len(tr.cands))
	if len(tr.cands) <= n {
		for i := range need {
			need[i] = true
		}
		return need
	}
	lower := make([]float64, len(tr.cands))
	for i, c := range tr.cands {
		lower[i] = c.score
		if b, ok := boost[c.id]; ok && b > 0 && b < 1 {
			lower[i] *= b
		}
	}
	slices.SortFunc(lower, func(a, b float64) int { return cmp.Compare(b, a) })
	least := lower[n-1] // the n-th best final score is at least this
	for i, c := range tr.cands {
		upper := c.score * maxRecency
		if b, ok := boost[c.id]; ok && b > 0 {
			upper *= b
		}
		need[i] = upper >= least
	}
	return need
}

// datesOf returns the dates of the candidates, reading those asked for and
// not yet read from their stored fields (iids as for Index.page). A date
// is a few hundred bytes to decompress per hit; the date's doc values are
// compressed in chunks of many documents, which costs far more for
// scattered hits.
func (tr *textResult) datesOf(sr *storedReader, iids []index.IndexInternalID, want []bool) ([]time.Time, error) {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	if tr.dates == nil {
		tr.dates = make([]time.Time, len(tr.cands))
		tr.dated = make([]bool, len(tr.cands))
	}
	for i, c := range tr.cands {
		if !want[i] || tr.dated[i] {
			continue
		}
		var iid index.IndexInternalID
		if iids != nil {
			iid = iids[i]
		}
		d, _, err := sr.load(c.id, iid, false)
		if err != nil {
			return nil, err
		}
		tr.dated[i] = true
		tr.dates[i] = d.date
	}
	return slices.Clone(tr.dates), nil
}

// textSearch runs the Bleve part of a search on one snapshot of the
// index, or answers it from the cache. When it ran the search it also
// returns the candidates' internal ids in r.
func (ix *Index) textSearch(ctx context.Context, r index.IndexReader, version uint64, pq Query, req Request, ranked bool, size int) (*textResult, []index.IndexInternalID, error) {
	skip := 0
	if !ranked {
		size, skip = req.Limit, req.Offset
	}

	var fixes []correction
	b := builder{an: ix.an, person: ix.person, exp: req.Expander, known: termChecker(ctx, r), expanded: &strings.Builder{}, fix: &corrector{ctx: ctx, r: r, cache: ix.corrections, index: ix.dir, version: version}, fixes: &fixes}
	bq := b.build(pq)
	key := cacheKey{index: ix.dir, version: version, query: pq.String(), expanded: b.expanded.String(), size: size, skip: skip, facets: req.Facets}
	if tr, ok := ix.cache.Get(key); ok {
		return tr, nil, nil
	}

	// What bleve.Index.SearchInContext does for this request, on the
	// snapshot the query was built with: BM25 and a top-N collector, with
	// facets counted as the matches are collected.
	sctx := bm25Context(ctx)
	budget := &phraseBudget{max: ix.phraseChecks}
	sctx = context.WithValue(sctx, phraseBudgetKey{}, budget)
	s, err := bq.Searcher(sctx, r, ix.idx.Mapping(), bsearch.SearcherOptions{})
	if err != nil {
		return nil, nil, err
	}
	defer s.Close()
	tr := &textResult{facets: map[string][]Facet{}}
	var fc *facetCounter
	if req.Facets && !ix.bleveFacets {
		if fc, err = ix.facetCounter(sctx, r); err != nil {
			return nil, nil, err
		}
		if fc != nil {
			s = countMatches(s, fc)
		}
	}
	var dm bsearch.DocumentMatchCollection
	if ranked && (!req.Facets || fc != nil) {
		// The common case, a page of the best matches, collected here
		// (see topHits) rather than by Bleve's general collector.
		if dm, tr.total, err = topHits(sctx, s, r, size); err != nil {
			return nil, nil, err
		}
	} else {
		order := bsearch.SortOrder{&bsearch.SortScore{Desc: true}}
		if !ranked {
			order = bsearch.ParseSortOrderStrings([]string{"-" + fDate, "_id"})
		}
		coll := collector.NewTopNCollector(size, skip, order)
		if req.Facets && fc == nil {
			coll.SetFacetsBuilder(bleveFacets(r))
		}
		if err := coll.Collect(sctx, s, r); err != nil {
			return nil, nil, err
		}
		dm, tr.total = coll.Results(), coll.Total()
		if fc == nil {
			tr.facets = facetsOfBleve(coll.FacetResults())
		}
	}
	if fc != nil {
		tr.facets = fc.results()
	}
	if fs, ok := tr.facets[FacetPerson]; ok {
		tr.facets[FacetPerson] = ix.namePeople(ctx, r, version, fs)
	}
	tr.partial = budget.exhausted()
	tr.cands = make([]candidate, len(dm))
	iids := make([]index.IndexInternalID, len(dm))
	for i, h := range dm {
		tr.cands[i] = candidate{id: h.ID, score: h.Score}
		iids[i] = slices.Clone(h.IndexInternalID)
	}
	if len(fixes) > 0 && len(dm) > 0 {
		if err := ix.describeFixes(newStoredReader(r), tr, fixes, req.Query, iids); err != nil {
			return nil, nil, err
		}
	}
	if ctx.Err() == nil {
		ix.cache.Add(key, tr)
	}
	return tr, iids, nil
}

// fillHits reads the stored title, source, path and body of the hits of
// one page through sr (iidOf gives their internal ids when known) and
// builds their snippets. Decoding a hit's stored fields costs less than
// reading and decoding the document from the store.
func (ix *Index) fillHits(sr *storedReader, hits []Hit, iidOf map[string]index.IndexInternalID, q Query, fixes []correction) error {
	if len(hits) == 0 {
		return nil
	}
	m := newMatcher(ix.an, q)
	for _, f := range fixes {
		m.terms[f.term] = true
	}
	for i := range hits {
		d, ok, err := sr.load(hits[i].ID, iidOf[hits[i].ID], true)
		if err != nil {
			return fmt.Errorf("loading hits: %w", err)
		}
		if !ok {
			continue
		}
		hits[i].Title, hits[i].Source, hits[i].Path = d.title, d.source, d.path
		if d.from != "" {
			hits[i].From = parsePerson(d.from)
		}
		for _, p := range d.to {
			hits[i].To = append(hits[i].To, parsePerson(p))
		}
		hits[i].Snippet = m.snippet(ix.an, d.body)
	}
	return nil
}

// describeFixes writes the corrected query of tr: each corrected word
// replaced by the word of the best text match that gave its term, so the
// user reads "calendar", not the stem "calendar" or "energi". The best
// text match is the same on every page.
func (ix *Index) describeFixes(sr *storedReader, tr *textResult, fixes []correction, raw string, iids []index.IndexInternalID) error {
	tr.fixes = fixes
	d, _, err := sr.load(tr.cands[0].id, iids[0], true)
	if err != nil {
		return err
	}
	text := d.title + " " + d.body
	words := make(map[string]string, len(fixes))
	for _, f := range fixes {
		words[f.word] = surfaceOf(ix.an, text, f.term)
	}
	tr.corrected = correctedQuery(raw, words)
	return nil
}

// maxRecency is the largest recency factor.
const maxRecency = 1.2

// recency is the multiplier for a document dated d: maxRecency for today,
// fading towards 1 with a one-year time constant. Undated documents get 1.
func recency(d, now time.Time) float64 {
	if d.IsZero() {
		return 1
	}
	age := now.Sub(d)
	if age < 0 {
		age = 0
	}
	return 1 + (maxRecency-1)*math.Exp(-age.Hours()/(365*24))
}

// bm25Context tells Bleve's searchers to score with BM25, as
// bleve.Index.SearchInContext does for the index's mapping.
func bm25Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, bsearch.GetScoringModelCallbackKey,
		bsearch.GetScoringModelCallbackFn(func() string { return index.BM25Scoring }))
}

// termChecker returns a function that reports whether a term occurs in any
// text field of the snapshot r. Typo tolerance is for words the index does
// not know: a word it knows is searched as written, so "mk00001q" or "form"
// do not also bring in their neighbours.
func termChecker(ctx context.Context, r index.IndexReader) func(string) bool {
	return func(term string) bool {
		for _, f := range []string{fBody, fTitle, fAliases} { // most likely first
			tfr, err := r.TermFieldReader(ctx, []byte(term), f, false, false, false)
			if err != nil {
				return false
			}
			n := tfr.Count()
			_ = tfr.Close()
			if n > 0 {
				return true
			}
		}
		return false
	}
}

// ReleaseMapped drops from this process's resident set the pages of the
// index segments their maps hold; they stay in the page cache
// (internal/mapped). A snapshot of the index keeps every segment it names
// mapped while they are released; segments outside it are left alone.
func (ix *Index) ReleaseMapped() (int64, error) {
	if err := ix.acquire(); err != nil {
		return 0, nil // closed: its maps are gone with it
	}
	defer ix.mu.RUnlock()
	adv, err := ix.idx.Advanced()
	if err != nil {
		return 0, err
	}
	r, err := adv.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	is, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, nil
	}
	var paths []string
	for _, ss := range is.Segments() {
		if p, ok := ss.Segment().(interface{ Path() string }); ok && p.Path() != "" {
			paths = append(paths, p.Path())
		}
	}
	return mapped.Release(paths...)
}

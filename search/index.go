package search

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/engram-app/engram/document"
)

// Defaults.
const (
	DefaultBatchSize = 1000
	DefaultLimit     = 20
	// minCandidates is how many hits, at least, are re-ranked by recency
	// and graph boost before paging.
	minCandidates = 50
	hashPage      = 10000
)

// Options for Open.
type Options struct {
	// BatchSize is the number of documents per Bleve batch in Put and
	// Delete; 0 means DefaultBatchSize.
	BatchSize int
	// LockTimeout is how long Open waits for another process to release
	// the index; 0 means 2 seconds.
	LockTimeout time.Duration
}

// Index is the full-text index of the documents. It is safe for
// concurrent use: searches run while Put and Delete write.
type Index struct {
	dir       string
	batchSize int
	an        analysis.Analyzer

	mu     sync.RWMutex // guards idx against Close
	idx    bleve.Index
	closed bool
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
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("building index mapping: %w", err)
	}
	an := m.AnalyzerNamed(textAnalyzer)
	if an == nil {
		return nil, fmt.Errorf("building index mapping: analyzer %s missing", textAnalyzer)
	}

	var idx bleve.Index
	_, statErr := os.Stat(filepath.Join(dir, "index_meta.json"))
	switch {
	case statErr == nil:
		idx, err = bleve.OpenUsing(dir, map[string]interface{}{"bolt_timeout": opts.LockTimeout.String()})
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
		idx, err = bleve.New(dir, m)
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
	return &Index{dir: dir, batchSize: opts.BatchSize, an: an, idx: idx}, nil
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
		if err := ix.idx.Batch(b); err != nil {
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
		if err := ix.idx.Batch(b); err != nil {
			return fmt.Errorf("deleting from index: %w", err)
		}
	}
	return nil
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
	// Loader, when set, gives the title, source, path and body of the hits
	// of the page from the system of record (a few key lookups) instead of
	// the index's stored fields, which are slower to decode.
	Loader func(ids []string) ([]document.Document, error)
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
}

// Facet is one value of a facet with its number of matching documents.
type Facet struct {
	Value string
	Count int
}

// Result is a page of hits. Total counts every matching document; Facets
// has the keys "source", "person" and "year", most frequent first.
type Result struct {
	Total  uint64
	Took   time.Duration
	Hits   []Hit
	Facets map[string][]Facet
}

// Facet names in Result.Facets.
const (
	FacetSource = "source"
	FacetPerson = "person"
	FacetYear   = "year"
)

// Search runs a query. Text queries are ranked by BM25 relevance (title
// words count 3x body words, typos much less than exact words), times a
// mild recency factor, times req.Boost[id]; the best max(offset+limit, 100)
// text matches are re-ranked and then paged. A query of only filters (or
// an empty one) lists matching documents newest first. User text never
// causes an error; ctx cancels the search.
func (ix *Index) Search(ctx context.Context, req Request) (*Result, error) {
	if err := ix.acquire(); err != nil {
		return nil, err
	}
	defer ix.mu.RUnlock()
	began := time.Now()
	if req.Limit <= 0 {
		req.Limit = DefaultLimit
	}
	if req.Offset < 0 {
		req.Offset = 0
	}
	now := req.Now
	if now.IsZero() {
		now = time.Now()
	}

	pq := ParseQuery(req.Query)
	known, closeReader := ix.termChecker(ctx)
	defer closeReader()
	bq := builder{an: ix.an, exp: req.Expander, known: known}.build(pq)
	ranked := pq.HasText()

	var sreq *bleve.SearchRequest
	if ranked {
		sreq = bleve.NewSearchRequestOptions(bq, max(req.Offset+req.Limit, minCandidates), 0, false)
	} else {
		sreq = bleve.NewSearchRequestOptions(bq, req.Limit, req.Offset, false)
		sreq.SortBy([]string{"-" + fDate, "_id"})
	}
	sreq.Fields = []string{fDate}
	if req.Facets {
		sreq.AddFacet(FacetSource, bleve.NewFacetRequest(fSource, 10))
		sreq.AddFacet(FacetPerson, bleve.NewFacetRequest(fPerson, 10))
		sreq.AddFacet(FacetYear, bleve.NewFacetRequest(fYear, 50))
	}
	sres, err := ix.idx.SearchInContext(ctx, sreq)
	if err != nil {
		return nil, fmt.Errorf("searching %q: %w", req.Query, err)
	}

	hits := make([]Hit, 0, len(sres.Hits))
	for _, h := range sres.Hits {
		hit := Hit{ID: h.ID, Score: h.Score, Date: parseStoredTime(h.Fields[fDate])}
		if ranked {
			hit.Score *= recency(hit.Date, now)
			if b, ok := req.Boost[h.ID]; ok && b > 0 {
				hit.Score *= b
			}
		}
		hits = append(hits, hit)
	}
	if ranked {
		sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })
		if req.Offset >= len(hits) {
			hits = hits[:0]
		} else {
			hits = hits[req.Offset:min(req.Offset+req.Limit, len(hits))]
		}
	}
	if err := ix.fillHits(ctx, hits, pq, req.Loader); err != nil {
		return nil, err
	}

	res := &Result{Total: sres.Total, Hits: hits, Facets: map[string][]Facet{}}
	for name, fr := range sres.Facets {
		var fs []Facet
		if fr.Terms != nil {
			for _, t := range fr.Terms.Terms() {
				fs = append(fs, Facet{Value: t.Term, Count: t.Count})
			}
		}
		res.Facets[name] = fs
	}
	res.Took = time.Since(began)
	return res, nil
}

// fillHits loads the stored title, source, path and body of the hits of
// one page and builds their snippets.
func (ix *Index) fillHits(ctx context.Context, hits []Hit, q Query, load func([]string) ([]document.Document, error)) error {
	if len(hits) == 0 {
		return nil
	}
	ids := make([]string, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	m := newMatcher(ix.an, q)
	if load != nil {
		docs, err := load(ids)
		if err != nil {
			return fmt.Errorf("loading hits: %w", err)
		}
		byID := make(map[string]*document.Document, len(docs))
		for i := range docs {
			byID[docs[i].ID] = &docs[i]
		}
		for i := range hits {
			if d := byID[hits[i].ID]; d != nil {
				hits[i].Title, hits[i].Source, hits[i].Path = d.Title, d.Source, d.Path
				hits[i].Snippet = m.snippet(ix.an, d.Body)
			}
		}
		return nil
	}
	req := bleve.NewSearchRequestOptions(query.NewDocIDQuery(ids), len(ids), 0, false)
	req.Fields = []string{fTitle, fSource, fPath, fBody}
	res, err := ix.idx.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("loading hits: %w", err)
	}
	byID := make(map[string]map[string]interface{}, len(res.Hits))
	for _, h := range res.Hits {
		byID[h.ID] = h.Fields
	}
	for i := range hits {
		f := byID[hits[i].ID]
		str := func(k string) string { s, _ := f[k].(string); return s }
		hits[i].Title = str(fTitle)
		hits[i].Source = str(fSource)
		hits[i].Path = str(fPath)
		hits[i].Snippet = m.snippet(ix.an, str(fBody))
	}
	return nil
}

// recency is the multiplier for a document dated d: 1.2 for today, fading
// towards 1 with a one-year time constant. Undated documents get 1.
func recency(d, now time.Time) float64 {
	if d.IsZero() {
		return 1
	}
	age := now.Sub(d)
	if age < 0 {
		age = 0
	}
	return 1 + 0.2*math.Exp(-age.Hours()/(365*24))
}

// termChecker returns a function that reports whether a term occurs in any
// text field, read from one snapshot of the index, and the function that
// releases the snapshot. Typo tolerance is for words the index does not
// know: a word it knows is searched as written, so "mk00001q" or "form"
// do not also bring in their neighbours.
func (ix *Index) termChecker(ctx context.Context) (func(string) bool, func()) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, func() {}
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, func() {}
	}
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
	}, func() { _ = r.Close() }
}

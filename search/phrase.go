package search

import (
	"bytes"
	"context"
	"math"
	"slices"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// maxPhraseChecks bounds the candidate documents (those holding every
// word of a phrase) whose positions one search reads, over all its
// phrases and fields. A phrase of common words ("to the of") has most of
// the index as candidates; past this many checks it returns the matches
// found so far and the Result is Partial. A check costs about 0.5-1µs on
// the benchmark machine, so this bounds the positional work of a search
// to about 100 ms; the phrases of the 100,000-email benchmark corpus have
// 10,000 to 30,000 candidates over the three text fields.
const maxPhraseChecks = 100000

// phraseBudget counts the phrase checks of one search, shared by its
// phrase searchers (a phrase is searched in three fields, a query can
// hold several phrases). Bleve's collector drives all searchers of a
// search from one goroutine.
type phraseBudget struct {
	checks, max int
	out         bool
}

type phraseBudgetKey struct{}

// spend takes one check; it reports false once the budget is used up. A
// nil budget is unlimited.
func (b *phraseBudget) spend() bool {
	if b == nil {
		return true
	}
	if b.checks >= b.max {
		b.out = true
		return false
	}
	b.checks++
	return true
}

func (b *phraseBudget) exhausted() bool { return b != nil && b.out }

// phraseQuery matches terms at consecutive positions of one field. It
// replaces Bleve's PhraseQuery, whose searcher walks a scored conjunction
// that decodes every position of every word of every candidate into maps
// before it looks at the order: a phrase of common words ("in the office")
// cost tens of milliseconds. This one takes its candidates from the
// intersection of the words' posting bitmaps (unscored), reads positions
// of the rarest word first and stops at the first word that breaks the
// phrase. Scores are Bleve's: the sum of the words' BM25 scores in the
// field, so rankings are unchanged.
type phraseQuery struct {
	terms []string
	field string
	boost float64
}

// SetBoost sets the weight of the phrase, as Bleve's queries.
func (q *phraseQuery) SetBoost(b float64) { q.boost = b }

// Searcher implements query.Query.
func (q *phraseQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	budget, _ := ctx.Value(phraseBudgetKey{}).(*phraseBudget)
	s, err := newPhraseSearcher(ctx, r, q.terms, q.field, q.boost, budget)
	if ps, ok := s.(*phraseSearcher); ok && opts.Score == "none" {
		// Unscored, as a filter (see andQuery): the documents holding
		// every word, a superset the scored searcher narrows.
		for _, t := range ps.terms {
			_ = t.tfr.Close()
		}
		return ps.cand, nil
	}
	return s, err
}

// phraseTerm is one distinct word of a phrase.
type phraseTerm struct {
	term    string
	offsets []uint64 // where it stands in the phrase, from 0
	df      uint64
	idf     float64
	tfr     index.TermFieldReader // with positions
	tfd     index.TermFieldDoc
}

type phraseSearcher struct {
	cand      bsearch.Searcher // documents holding every word
	terms     []*phraseTerm    // rarest first
	boost     float64
	avgLen    float64
	queryNorm float64
	budget    *phraseBudget
	starts    []uint64 // candidate phrase starts in the current document
	scratch   []uint64
}

func newPhraseSearcher(ctx context.Context, r index.IndexReader, words []string, field string, boost float64, budget *phraseBudget) (bsearch.Searcher, error) {
	var terms []*phraseTerm
	byTerm := map[string]*phraseTerm{}
	for i, w := range words {
		t := byTerm[w]
		if t == nil {
			t = &phraseTerm{term: w}
			byTerm[w] = t
			terms = append(terms, t)
		}
		t.offsets = append(t.offsets, uint64(i))
	}
	s := &phraseSearcher{boost: boost, budget: budget}
	closeAll := func() {
		for _, t := range terms {
			if t.tfr != nil {
				_ = t.tfr.Close()
			}
		}
	}
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	var card int
	if br, ok := r.(index.BM25Reader); ok {
		if card, err = br.FieldCardinality(field); err != nil {
			return nil, err
		}
	}
	if n > 0 {
		s.avgLen = math.Ceil(float64(card) / float64(n)) // as Bleve's BM25
	}
	for _, t := range terms {
		t.tfr, err = r.TermFieldReader(ctx, []byte(t.term), field, true, true, true)
		if err != nil {
			closeAll()
			return nil, err
		}
		t.df = t.tfr.Count()
		if t.df == 0 {
			closeAll()
			return searcher.NewMatchNoneSearcher(r)
		}
		t.idf = math.Log(1 + (float64(n)-float64(t.df)+0.5)/(float64(t.df)+0.5))
	}
	slices.SortStableFunc(terms, func(a, b *phraseTerm) int { return int(a.df) - int(b.df) })
	s.terms = terms

	// Unscored term searchers without positions: Bleve intersects their
	// posting bitmaps in one pass ("conjunction:unadorned").
	noScore := bsearch.SearcherOptions{Score: "none"}
	var ts []bsearch.Searcher
	for _, t := range terms {
		x, err := searcher.NewTermSearcher(ctx, r, t.term, field, 1, noScore)
		if err != nil {
			for _, y := range ts {
				_ = y.Close()
			}
			closeAll()
			return nil, err
		}
		ts = append(ts, x)
	}
	if len(ts) == 1 {
		s.cand = ts[0]
	} else if s.cand, err = searcher.NewConjunctionSearcher(ctx, r, ts, noScore); err != nil {
		for _, y := range ts {
			_ = y.Close()
		}
		closeAll()
		return nil, err
	}
	s.queryNorm = 1 / math.Sqrt(s.Weight())
	return s, nil
}

// Next implements search.Searcher.
func (s *phraseSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	dm, err := s.cand.Next(ctx)
	return s.first(ctx, dm, err)
}

// Advance implements search.Searcher.
func (s *phraseSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	dm, err := s.cand.Advance(ctx, id)
	return s.first(ctx, dm, err)
}

// first returns dm if it holds the phrase, else the next candidate that
// does.
func (s *phraseSearcher) first(ctx *bsearch.SearchContext, dm *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	for ; err == nil && dm != nil; dm, err = s.cand.Next(ctx) {
		if !s.budget.spend() {
			ctx.DocumentMatchPool.Put(dm)
			return nil, nil
		}
		score, ok, err := s.check(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		if ok {
			dm.Score = score
			return dm, nil
		}
		ctx.DocumentMatchPool.Put(dm)
	}
	return nil, err
}

// check reads the positions of the words in document id, rarest word
// first, and returns the document's score if they form the phrase.
func (s *phraseSearcher) check(id index.IndexInternalID) (float64, bool, error) {
	for k, t := range s.terms {
		tfd, err := t.tfr.Advance(id, &t.tfd)
		if err != nil {
			return 0, false, err
		}
		if tfd == nil || !bytes.Equal(tfd.ID, id) {
			return 0, false, nil
		}
		// Positions of this word, as array position (for fields holding a
		// list) and position, sorted.
		s.scratch = s.scratch[:0]
		for _, v := range tfd.Vectors {
			var ap uint64
			if len(v.ArrayPositions) > 0 {
				ap = v.ArrayPositions[0] + 1
			}
			s.scratch = append(s.scratch, ap<<32|v.Pos)
		}
		slices.Sort(s.scratch)
		if k == 0 {
			// Every place the rarest word stands gives a start; a repeated
			// word must then also stand at its other places.
			s.starts = s.starts[:0]
			for _, p := range s.scratch {
				if p&0xffffffff > t.offsets[0] {
					s.starts = append(s.starts, p-t.offsets[0])
				}
			}
		}
		kept := s.starts[:0]
		for _, st := range s.starts {
			all := true
			for _, off := range t.offsets {
				if _, found := slices.BinarySearch(s.scratch, st+off); !found {
					all = false
					break
				}
			}
			if all {
				kept = append(kept, st)
			}
		}
		s.starts = kept
		if len(s.starts) == 0 {
			return 0, false, nil
		}
	}
	// Bleve scores a phrase as the conjunction of its words: the sum of
	// their BM25 scores (a repeated word counts each time).
	var score float64
	for _, t := range s.terms {
		tf := math.Sqrt(float64(t.tfd.Freq))
		fieldLen := 1 / (t.tfd.Norm * t.tfd.Norm)
		sc := t.idf * (tf * bsearch.BM25_k1) / (tf + bsearch.BM25_k1*(1-bsearch.BM25_b+bsearch.BM25_b*fieldLen/s.avgLen))
		score += float64(len(t.offsets)) * sc * s.boost * t.idf * s.queryNorm
	}
	return score, true, nil
}

// Weight implements search.Searcher: the sum of the words' weights, as
// Bleve's conjunction.
func (s *phraseSearcher) Weight() float64 {
	var w float64
	for _, t := range s.terms {
		x := s.boost * t.idf
		w += float64(len(t.offsets)) * x * x
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *phraseSearcher) SetQueryNorm(n float64) { s.queryNorm = n }

// Count implements search.Searcher: at most the rarest word's documents.
func (s *phraseSearcher) Count() uint64 { return s.terms[0].df }

// Min implements search.Searcher.
func (s *phraseSearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of memory use).
func (s *phraseSearcher) Size() int {
	return 128 + s.cand.Size() + 8*(cap(s.starts)+cap(s.scratch)) + 96*len(s.terms)
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *phraseSearcher) DocumentMatchPoolSize() int { return s.cand.DocumentMatchPoolSize() + 1 }

// Close implements search.Searcher.
func (s *phraseSearcher) Close() error {
	err := s.cand.Close()
	for _, t := range s.terms {
		if cerr := t.tfr.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

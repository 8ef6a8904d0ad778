package search

import (
	"bytes"
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// wordQuery matches one analysed term in several text fields, each with
// its boost. It scores exactly as Bleve's disjunction of term queries
// (BM25 per field, summed, times the share of fields that matched) but
// walks the fields' postings in one loop: a frequent word has tens of
// thousands of hits, and Bleve's term and disjunction searchers spend
// most of their time per hit on bookkeeping, not on scoring.
type wordQuery struct {
	term   string
	fields []textField
	factor float64 // multiplies every field's boost
}

// SetBoost sets the factor applied to every field's boost.
func (q *wordQuery) SetBoost(b float64) { q.factor = b }

// Searcher implements query.Query. Unscored (as a filter), it is Bleve's
// disjunction of unscored term searchers, which Bleve turns into one OR of
// the fields' posting bitmaps.
func (q *wordQuery) Searcher(ctx context.Context, r index.IndexReader, _ mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	if opts.Score == "none" {
		var ts []bsearch.Searcher
		for _, f := range q.fields {
			t, err := searcher.NewTermSearcher(ctx, r, f.termOr(q.term), f.name, 1, opts)
			if err != nil {
				for _, x := range ts {
					_ = x.Close()
				}
				return nil, err
			}
			ts = append(ts, t)
		}
		return searcher.NewDisjunctionSearcher(ctx, r, ts, 0, opts)
	}
	n, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &wordSearcher{}
	for _, f := range q.fields {
		wf, err := newWordField(ctx, r, f.termOr(q.term), f.name, f.boost*q.factor, n)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.fields = append(s.fields, wf)
	}
	s.queryNorm = 1 / math.Sqrt(s.Weight())
	return s, nil
}

// wordField is the term's postings in one field.
type wordField struct {
	tfr    index.TermFieldReader // nil when no document has the field
	tfd    index.TermFieldDoc
	cur    *index.TermFieldDoc // nil when exhausted
	boost  float64
	idf    float64
	avgLen float64 // 0: the field is empty, Bleve then scores TF-IDF
}

func newWordField(ctx context.Context, r index.IndexReader, term, field string, boost float64, n uint64) (*wordField, error) {
	f := &wordField{boost: boost}
	var card int
	if br, ok := r.(index.BM25Reader); ok {
		var err error
		if card, err = br.FieldCardinality(field); err != nil {
			return nil, err
		}
	}
	var df uint64
	if card > 0 {
		// A field no document has (aliases, in a mailbox) has no
		// postings to read: only its weight counts, as in Bleve.
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, false)
		if err != nil {
			return nil, err
		}
		f.tfr, df = tfr, tfr.Count()
	}
	if n > 0 {
		f.avgLen = math.Ceil(float64(card) / float64(n))
	}
	// As Bleve's TermQueryScorer.computeIDF.
	if f.avgLen > 0 {
		f.idf = math.Log(1 + (float64(n)-float64(df)+0.5)/(float64(df)+0.5))
	} else {
		f.idf = 1 + math.Log(float64(n)/float64(df+1))
	}
	return f, nil
}

// score is Bleve's BM25 score of the current posting, times the query
// weight (boost, idf, query norm).
func (f *wordField) score(queryNorm float64) float64 {
	tf := math.Sqrt(float64(f.cur.Freq))
	var s float64
	if f.avgLen > 0 {
		fieldLen := 1 / (f.cur.Norm * f.cur.Norm)
		s = f.idf * (tf * bsearch.BM25_k1) / (tf + bsearch.BM25_k1*(1-bsearch.BM25_b+bsearch.BM25_b*fieldLen/f.avgLen))
	} else {
		s = tf * f.cur.Norm * f.idf
	}
	return s * f.boost * f.idf * queryNorm
}

type wordSearcher struct {
	fields      []*wordField
	queryNorm   float64
	initialized bool
	id          index.IndexInternalID // of the document being scored

	// Under a floor, documents scoring at most floor are not returned
	// but counted in below (see floorer).
	floor   float64
	floored bool
	below   uint64
	skip    func(index.IndexInternalID)
}

// Next implements search.Searcher.
func (s *wordSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	if !s.initialized {
		s.initialized = true
		for _, f := range s.fields {
			if f.tfr == nil {
				continue
			}
			var err error
			if f.cur, err = f.tfr.Next(&f.tfd); err != nil {
				return nil, err
			}
		}
	}
	return s.emit(ctx)
}

// Advance implements search.Searcher.
func (s *wordSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	for _, f := range s.fields {
		if f.tfr == nil || s.initialized && (f.cur == nil || bytes.Compare(f.cur.ID, id) >= 0) {
			continue
		}
		var err error
		if f.cur, err = f.tfr.Advance(id, &f.tfd); err != nil {
			return nil, err
		}
	}
	s.initialized = true
	return s.emit(ctx)
}

// emit returns the match of the lowest current document and moves the
// fields that hold it to their next posting. Under a floor (see floorer)
// it skips, and counts, the documents scoring at most the floor.
func (s *wordSearcher) emit(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	for {
		var low index.IndexInternalID
		for _, f := range s.fields {
			if f.cur != nil && (low == nil || bytes.Compare(f.cur.ID, low) < 0) {
				low = f.cur.ID
			}
		}
		if low == nil {
			return nil, nil
		}
		s.id = append(s.id[:0], low...)
		var sum float64
		matched := 0
		for _, f := range s.fields {
			if f.cur == nil || !bytes.Equal(f.cur.ID, s.id) {
				continue
			}
			sum += f.score(s.queryNorm)
			matched++
			var err error
			if f.cur, err = f.tfr.Next(&f.tfd); err != nil {
				return nil, err
			}
		}
		score := sum * float64(matched) / float64(len(s.fields)) // Bleve's coord
		if s.floored && score <= s.floor {
			s.below++
			if s.skip != nil {
				s.skip(s.id)
			}
			continue
		}
		dm := ctx.DocumentMatchPool.Get()
		dm.IndexInternalID = append(dm.IndexInternalID[:0], s.id...)
		dm.Score = score
		return dm, nil
	}
}

func (s *wordSearcher) setFloor(score float64)               { s.floor, s.floored = score, true }
func (s *wordSearcher) skipped() uint64                      { return s.below }
func (s *wordSearcher) onSkip(f func(index.IndexInternalID)) { s.skip = f }

// Weight implements search.Searcher, as Bleve's disjunction of term
// searchers.
func (s *wordSearcher) Weight() float64 {
	var w float64
	for _, f := range s.fields {
		x := f.boost * f.idf
		w += x * x
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *wordSearcher) SetQueryNorm(n float64) { s.queryNorm = n }

// Count implements search.Searcher: the documents of all fields, an upper
// bound.
func (s *wordSearcher) Count() uint64 {
	var n uint64
	for _, f := range s.fields {
		if f.tfr != nil {
			n += f.tfr.Count()
		}
	}
	return n
}

// Min implements search.Searcher.
func (s *wordSearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of memory use).
func (s *wordSearcher) Size() int { return 64 + 160*len(s.fields) }

// DocumentMatchPoolSize implements search.Searcher.
func (s *wordSearcher) DocumentMatchPoolSize() int { return 1 }

// Close implements search.Searcher.
func (s *wordSearcher) Close() error {
	var err error
	for _, f := range s.fields {
		if f.tfr == nil {
			continue
		}
		if cerr := f.tfr.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

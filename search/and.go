package search

import (
	"context"
	"math"

	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// andQuery matches the documents every clause matches and scores them as
// Bleve's conjunction does (the sum of the clauses' scores). Bleve's
// conjunction leapfrogs its scored clauses, decoding the postings of
// every document of the rarest clause to then find most of them missing
// from the others. This one first intersects the clauses' posting bitmaps
// (their unscored searchers, which Bleve ORs and ANDs bitmap by bitmap),
// then scores only the documents in the intersection.
type andQuery struct {
	clauses []query.Query
}

// Searcher implements query.Query.
func (q *andQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var scored, filters []bsearch.Searcher
	fail := func(err error) (bsearch.Searcher, error) {
		for _, s := range append(scored, filters...) {
			_ = s.Close()
		}
		return nil, err
	}
	noScore := bsearch.SearcherOptions{Score: "none"}
	for _, c := range q.clauses {
		s, err := c.Searcher(ctx, r, m, opts)
		if err != nil {
			return fail(err)
		}
		scored = append(scored, s)
		if _, ok := s.(*searcher.MatchNoneSearcher); ok {
			_, _ = fail(nil)
			return searcher.NewMatchNoneSearcher(r)
		}
		f, err := c.Searcher(ctx, r, m, noScore)
		if err != nil {
			return fail(err)
		}
		filters = append(filters, f)
	}
	filter, err := searcher.NewConjunctionSearcher(ctx, r, filters, noScore)
	if err != nil {
		return fail(err)
	}
	s := &andSearcher{filter: filter, clauses: scored}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

type andSearcher struct {
	filter  bsearch.Searcher // unscored: a superset of the matches
	clauses []bsearch.Searcher
	cur     []*bsearch.DocumentMatch
}

// Next implements search.Searcher.
func (s *andSearcher) Next(ctx *bsearch.SearchContext) (*bsearch.DocumentMatch, error) {
	f, err := s.filter.Next(ctx)
	return s.match(ctx, f, err)
}

// Advance implements search.Searcher.
func (s *andSearcher) Advance(ctx *bsearch.SearchContext, id index.IndexInternalID) (*bsearch.DocumentMatch, error) {
	f, err := s.filter.Advance(ctx, id)
	return s.match(ctx, f, err)
}

// match returns the first document, from the filter's candidate f on,
// that every clause matches.
func (s *andSearcher) match(ctx *bsearch.SearchContext, f *bsearch.DocumentMatch, err error) (*bsearch.DocumentMatch, error) {
	if s.cur == nil {
		s.cur = make([]*bsearch.DocumentMatch, len(s.clauses))
	}
	for err == nil && f != nil {
		target := f.IndexInternalID
		all := true
		for i, c := range s.clauses {
			if s.cur[i] != nil && s.cur[i].IndexInternalID.Compare(target) >= 0 {
				if s.cur[i].IndexInternalID.Equals(target) {
					continue
				}
			} else {
				if s.cur[i] != nil {
					ctx.DocumentMatchPool.Put(s.cur[i])
				}
				if s.cur[i], err = c.Advance(ctx, target); err != nil {
					return nil, err
				}
				if s.cur[i] == nil {
					ctx.DocumentMatchPool.Put(f)
					return nil, nil // a clause has no more documents
				}
				if s.cur[i].IndexInternalID.Equals(target) {
					continue
				}
			}
			// This clause's next document is further on: no document
			// before it can match.
			all = false
			next := s.cur[i].IndexInternalID
			ctx.DocumentMatchPool.Put(f)
			f, err = s.filter.Advance(ctx, next)
			break
		}
		if !all {
			continue
		}
		// Every clause is on target: sum their scores into f.
		var sum float64
		for i := range s.clauses {
			sum += s.cur[i].Score
			ctx.DocumentMatchPool.Put(s.cur[i])
			s.cur[i] = nil
		}
		f.Score = sum
		return f, nil
	}
	return nil, err
}

// Weight implements search.Searcher.
func (s *andSearcher) Weight() float64 {
	var w float64
	for _, c := range s.clauses {
		w += c.Weight()
	}
	return w
}

// SetQueryNorm implements search.Searcher.
func (s *andSearcher) SetQueryNorm(n float64) {
	for _, c := range s.clauses {
		c.SetQueryNorm(n)
	}
}

// Count implements search.Searcher.
func (s *andSearcher) Count() uint64 { return s.filter.Count() }

// Min implements search.Searcher.
func (s *andSearcher) Min() int { return 0 }

// Size implements search.Searcher (an estimate of memory use).
func (s *andSearcher) Size() int {
	n := 64 + s.filter.Size()
	for _, c := range s.clauses {
		n += c.Size()
	}
	return n
}

// DocumentMatchPoolSize implements search.Searcher.
func (s *andSearcher) DocumentMatchPoolSize() int {
	n := s.filter.DocumentMatchPoolSize() + len(s.clauses)
	for _, c := range s.clauses {
		n += c.DocumentMatchPoolSize()
	}
	return n
}

// Close implements search.Searcher.
func (s *andSearcher) Close() error {
	err := s.filter.Close()
	for _, c := range s.clauses {
		if cerr := c.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

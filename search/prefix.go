package search

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/searcher"
	index "github.com/blevesearch/bleve_index_api"
)

// Limits of a prefix's expansion, per field. Bleve's prefix query turns
// every term of the index that starts with the prefix into a scored term
// query: "co*" is thousands of terms and "th*" walks the postings of
// "the", "that" and "this", a few hundred thousand hits to score. A
// prefix here stands for its most frequent words only: at most
// maxPrefixTerms of them, and no more once they hold maxPrefixPostings
// postings together (the most frequent word is always kept). A document
// that holds only rarer words with the prefix is not found; a longer
// prefix finds it. The frequent completions are the ones a user typing
// the start of a word most likely means.
const (
	maxPrefixTerms    = 64
	maxPrefixPostings = 150000
)

// prefixQuery matches the words of the text fields that start with one of
// prefixes, within the limits above.
type prefixQuery struct {
	prefixes []string
	fields   []textField
}

// Searcher implements query.Query.
func (q *prefixQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping, opts bsearch.SearcherOptions) (bsearch.Searcher, error) {
	var fieldSearchers []bsearch.Searcher
	closeAll := func(ss []bsearch.Searcher) {
		for _, s := range ss {
			_ = s.Close()
		}
	}
	for _, f := range q.fields {
		terms, err := prefixTerms(r, f.name, q.prefixes)
		if err != nil {
			closeAll(fieldSearchers)
			return nil, err
		}
		if len(terms) == 0 {
			continue
		}
		var ts []bsearch.Searcher
		for _, t := range terms {
			s, err := searcher.NewTermSearcher(ctx, r, t, f.name, f.boost, opts)
			if err != nil {
				closeAll(ts)
				closeAll(fieldSearchers)
				return nil, err
			}
			ts = append(ts, s)
		}
		s, err := searcher.NewDisjunctionSearcher(ctx, r, ts, 0, opts)
		if err != nil {
			closeAll(ts)
			closeAll(fieldSearchers)
			return nil, err
		}
		fieldSearchers = append(fieldSearchers, s)
	}
	switch len(fieldSearchers) {
	case 0:
		return searcher.NewMatchNoneSearcher(r)
	case 1:
		return fieldSearchers[0], nil
	}
	return searcher.NewDisjunctionSearcher(ctx, r, fieldSearchers, 0, opts)
}

// prefixTerms returns the terms of field starting with any of prefixes,
// most frequent first, within maxPrefixTerms and maxPrefixPostings.
func prefixTerms(r index.IndexReader, field string, prefixes []string) ([]string, error) {
	// A prefix that extends another adds no term.
	var ps []string
	for _, p := range slices.Sorted(slices.Values(prefixes)) {
		if len(ps) == 0 || !strings.HasPrefix(p, ps[len(ps)-1]) {
			ps = append(ps, p)
		}
	}
	prefixes = ps

	counts := map[string]uint64{}
	if is, ok := r.(*scorch.IndexSnapshot); ok {
		// Scorch's FieldDictPrefix reads the segments' dictionaries from a
		// goroutine each and waits for them all: under concurrent searches
		// those goroutines queue behind every other search, and a prefix
		// took ten times its own time. Read them here, one after another.
		for _, ss := range is.Segments() {
			d, err := ss.Segment().Dictionary(field)
			if err != nil {
				return nil, err
			}
			for _, p := range prefixes {
				it := d.AutomatonIterator(nil, []byte(p), prefixEnd(p))
				for {
					e, err := it.Next()
					if err != nil {
						return nil, err
					}
					if e == nil {
						break
					}
					counts[e.Term] += e.Count
				}
			}
		}
	} else {
		for _, p := range prefixes {
			d, err := r.FieldDictPrefix(field, []byte(p))
			if err != nil {
				return nil, err
			}
			for {
				e, err := d.Next()
				if err != nil {
					_ = d.Close()
					return nil, err
				}
				if e == nil {
					break
				}
				counts[e.Term] += e.Count
			}
			if err := d.Close(); err != nil {
				return nil, err
			}
		}
	}
	all := make([]index.DictEntry, 0, len(counts))
	for t, n := range counts {
		all = append(all, index.DictEntry{Term: t, Count: n})
	}
	slices.SortFunc(all, func(a, b index.DictEntry) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return cmp.Compare(a.Term, b.Term)
	})
	var out []string
	var postings uint64
	for _, e := range all {
		if len(out) == maxPrefixTerms || (len(out) > 0 && postings+e.Count > maxPrefixPostings) {
			break
		}
		out = append(out, e.Term)
		postings += e.Count
	}
	return out, nil
}

// prefixEnd is the first key after every key starting with p, or nil.
func prefixEnd(p string) []byte {
	end := []byte(p)
	for i := len(end) - 1; i >= 0; i-- {
		end[i]++
		if end[i] != 0 {
			return end[:i+1]
		}
	}
	return nil
}

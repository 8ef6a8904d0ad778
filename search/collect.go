package search

import (
	"container/heap"
	"context"
	"slices"

	bsearch "github.com/blevesearch/bleve/v2/search"
	index "github.com/blevesearch/bleve_index_api"
)

// floorer is a searcher that can skip the matches scoring at most a floor
// without returning them, counting them instead. topHits raises the floor
// to the worst score of a full page: a frequent word has tens of
// thousands of matches and all but a few hundred of them then cost only
// their scoring.
type floorer interface {
	setFloor(score float64)
	skipped() uint64
	// onSkip has each skipped match's internal id passed to f (nil: none
	// is), so that they are counted in facets.
	onSkip(f func(index.IndexInternalID))
}

// topHits returns the k best matches of s, best first, with their
// external ids, and the number of matches. It ranks as Bleve's top-N
// collector sorting by score: a higher score first, then the earlier
// match. It checks ctx every 1024 matches.
func topHits(ctx context.Context, s bsearch.Searcher, r index.IndexReader, k int) ([]*bsearch.DocumentMatch, uint64, error) {
	sctx := &bsearch.SearchContext{
		DocumentMatchPool: bsearch.NewDocumentMatchPool(k+1+s.DocumentMatchPoolSize(), 0),
		IndexReader:       r,
	}
	fl, _ := s.(floorer)
	h := &worstFirst{}
	var n uint64
	for {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, 0, err
			}
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, 0, err
		}
		if dm == nil {
			break
		}
		n++
		dm.HitNumber = n
		switch {
		case h.Len() < k:
			heap.Push(h, dm)
			if h.Len() == k && fl != nil {
				fl.setFloor((*h)[0].Score)
			}
		case dm.Score > (*h)[0].Score:
			sctx.DocumentMatchPool.Put((*h)[0])
			(*h)[0] = dm
			heap.Fix(h, 0)
			if fl != nil {
				fl.setFloor((*h)[0].Score)
			}
		default:
			// Not better than the worst kept: an equal score loses to the
			// earlier match.
			sctx.DocumentMatchPool.Put(dm)
		}
	}
	if fl != nil {
		n += fl.skipped()
	}
	out := []*bsearch.DocumentMatch(*h)
	slices.SortFunc(out, func(a, b *bsearch.DocumentMatch) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		case a.HitNumber < b.HitNumber:
			return -1
		case a.HitNumber > b.HitNumber:
			return 1
		}
		return 0
	})
	for _, dm := range out {
		id, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return nil, 0, err
		}
		dm.ID = id
	}
	return out, n, nil
}

// worstFirst is a heap of matches with the worst on top: the lowest score,
// then the latest match.
type worstFirst []*bsearch.DocumentMatch

func (h worstFirst) Len() int { return len(h) }
func (h worstFirst) Less(i, j int) bool {
	if h[i].Score != h[j].Score {
		return h[i].Score < h[j].Score
	}
	return h[i].HitNumber > h[j].HitNumber
}
func (h worstFirst) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)   { *h = append(*h, x.(*bsearch.DocumentMatch)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

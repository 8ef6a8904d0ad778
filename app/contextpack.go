package app

import (
	"context"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/engram-app/engram/contextpack"
	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

// passageSearcher adapts a workspace's index to contextpack.Searcher.
type passageSearcher struct {
	ix   *search.Index
	dict search.Expander
}

func (p passageSearcher) Search(ctx context.Context, q string, limit int) ([]string, uint64, error) {
	res, err := p.ix.Search(ctx, search.Request{Query: q, Limit: limit, Expander: p.dict, IDsOnly: true})
	if err != nil {
		return nil, 0, err
	}
	ids := make([]string, 0, len(res.Hits))
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, res.Total, nil
}

func (p passageSearcher) Count() (uint64, error) { return p.ix.Count() }

// passageLoader adapts the store to contextpack.Loader, through a cache.
type passageLoader struct {
	st    *store.Store
	ws    string
	cache *lru.Cache[passageDocKey, contextpack.Doc]
}

// passageDocKey names a document as a context pack read it: a write to
// the store since gives a new generation, so an entry is never older than
// the store it is read from (store.Generation).
type passageDocKey struct {
	ws, id string
	gen    uint64
}

const (
	// passageDocsCached is how many documents the cache holds; with
	// passageDocMax, at most 64 MB of text.
	passageDocsCached = 1024
	// passageDocMax is the longest body kept: a longer one is read from
	// the store each time.
	passageDocMax = 64 << 10
)

// Load reads document id. Decoding a stored document was a fifth of a
// context pack's CPU, and the packs for different questions read many of
// the same documents (a frequent word's mail).
func (p passageLoader) Load(_ context.Context, id string) (contextpack.Doc, error) {
	k := passageDocKey{ws: p.ws, id: id, gen: p.st.Generation()}
	if d, ok := p.cache.Get(k); ok {
		return d, nil
	}
	d, err := p.st.Document(p.ws, id)
	if err != nil {
		return contextpack.Doc{}, err
	}
	doc := contextpack.Doc{ID: d.ID, Title: d.Title, Source: d.Source, Body: d.Body, From: d.From, To: d.To, Date: d.Date}
	if len(d.Body) <= passageDocMax {
		p.cache.Add(k, doc)
	}
	return doc, nil
}

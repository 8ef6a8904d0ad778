package app

import (
	"context"

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
	res, err := p.ix.Search(ctx, search.Request{Query: q, Limit: limit, Expander: p.dict})
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

// passageLoader adapts the store to contextpack.Loader.
type passageLoader struct {
	st *store.Store
	ws string
}

func (p passageLoader) Load(_ context.Context, id string) (contextpack.Doc, error) {
	d, err := p.st.Document(p.ws, id)
	if err != nil {
		return contextpack.Doc{}, err
	}
	return contextpack.Doc{ID: d.ID, Title: d.Title, Source: d.Source, Body: d.Body, From: d.From, To: d.To, Date: d.Date}, nil
}

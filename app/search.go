package app

import (
	"context"
	"fmt"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/search"
)

// Search runs a query in a workspace ("" means the default). Search never
// needs the graph: when it is down the results are text-only and Degraded
// says so.
func (a *App) Search(ctx context.Context, ws string, req SearchRequest) (*SearchResult, error) {
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	dict, err := a.dictionary(w)
	if err != nil {
		return nil, err
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 20
	}
	res, err := w.index.Search(ctx, search.Request{
		Query:    req.Query,
		Limit:    limit,
		Offset:   req.Offset,
		Expander: dict,
	})
	if err != nil {
		return nil, fmt.Errorf("searching %q: %w", req.Query, err)
	}
	out := &SearchResult{
		Total:  res.Total,
		TookMS: float64(res.Took.Microseconds()) / 1000,
		Hits:   make([]SearchHit, 0, len(res.Hits)),
		Facets: map[string][]Facet{},
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, SearchHit{ID: h.ID, Title: h.Title, Source: h.Source, Path: h.Path, Snippet: h.Snippet, Score: h.Score, Date: h.Date})
	}
	for name, fs := range res.Facets {
		list := make([]Facet, 0, len(fs))
		for _, f := range fs {
			list = append(list, Facet{Value: f.Value, Count: f.Count})
		}
		out.Facets[name] = list
	}
	if w.graph == nil {
		out.Degraded = append(out.Degraded, "graph")
	}
	return out, nil
}

// Document returns one stored document by ID.
func (a *App) Document(ws, id string) (document.Document, error) {
	if ws == "" {
		ws = a.cfg.Workspace
	}
	return a.store.Document(ws, id)
}

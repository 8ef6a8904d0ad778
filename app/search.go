package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/internal/bounds"
	"github.com/engram-app/engram/search"
)

// searchText runs a query against the index of a workspace ("" means the
// default); Search (app/semantic_search.go) calls it. It never needs the
// graph: when it is down the results are text-only and Degraded says so.
func (a *App) searchText(ctx context.Context, ws string, req SearchRequest) (_ *SearchResult, err error) {
	defer guardDerived(&err)()
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	dict, err := a.dictionary(w)
	if err != nil {
		return nil, err
	}
	limit := bounds.SearchLimit().Clamp(int64(req.Limit))
	if req.Limit < 0 {
		limit = bounds.SearchLimit().Default
	}
	offset, err := bounds.SearchOffset().Check(int64(req.Offset))
	if err != nil {
		return nil, err
	}
	res, err := w.index.Search(ctx, search.Request{
		Query:    req.Query,
		Limit:    limit,
		Offset:   offset,
		Expander: dict,
		Boost:    a.graphBoost(ctx, w, req.Query),
		Facets:   req.Facets,
	})
	if err != nil {
		// The query stays out of the error: errors are logged.
		if errors.Is(err, search.ErrIndexCorrupt) {
			return nil, fmt.Errorf("searching: %w; run `engram doctor --repair`", err)
		}
		return nil, fmt.Errorf("searching: %w", err)
	}
	if res.Total == 0 {
		if err := a.indexComplete(w); err != nil {
			return nil, err
		}
	}
	out := &SearchResult{
		Total:   res.Total,
		Partial: res.Partial,
		TookMS:  float64(res.Took.Microseconds()) / 1000,
		Hits:    make([]SearchHit, 0, len(res.Hits)),
	}
	for _, h := range res.Hits {
		hit := SearchHit{ID: h.ID, Title: h.Title, Source: h.Source, Path: h.Path, Snippet: h.Snippet, Score: h.Score, Date: h.Date, To: h.To}
		if h.From != (Person{}) {
			hit.From = &h.From
		}
		out.Hits = append(out.Hits, hit)
	}
	out.Corrected = res.Corrected
	a.addSenders(ws, out.Hits)
	out.Facets = facetsOf(res.Facets)
	if w.graph() == nil {
		out.Degraded = append(out.Degraded, "graph")
	}
	return out, nil
}

// indexComplete returns an error wrapping search.ErrIndexCorrupt when the
// index of w holds fewer documents than the store: a search that found
// nothing then says the index is damaged instead of "0 results". It is
// checked only for empty results, as counting the store walks its pages.
//
// While an import runs, the store leads the index by the batch in flight,
// so an empty result then is not taken for damage.
func (a *App) indexComplete(w *workspace) error {
	a.mu.Lock()
	importing := len(a.running) > 0
	a.mu.Unlock()
	if importing {
		return nil
	}
	n, err := w.index.Count()
	if err != nil {
		return fmt.Errorf("searching: %w: %v; run `engram doctor --repair`", search.ErrIndexCorrupt, err)
	}
	m, err := a.store.CountDocuments(w.name)
	if err != nil || uint64(m) <= n {
		return nil
	}
	return fmt.Errorf("searching: %w: it holds %d of the workspace's %d documents, so results are missing; run `engram doctor --repair`", search.ErrIndexCorrupt, n, m)
}

// Document returns one stored document by ID.
func (a *App) Document(ws, id string) (document.Document, error) {
	if ws == "" {
		ws = a.cfg.Workspace
	}
	return a.store.Document(ws, id)
}

// graphBoost ranks up the documents close to the entity a plain query names
// (a person, a tag, a note's title): the entity's own document most, the
// documents one hop away a little. Queries with operators, and a graph that
// is down, get no boost.
func (a *App) graphBoost(ctx context.Context, w *workspace, q string) map[string]float64 {
	q = strings.TrimSpace(q)
	if w.graph() == nil || q == "" || strings.ContainsAny(q, ":\"*-()|") || slices.Contains(strings.Fields(q), "OR") || slices.Contains(strings.Fields(q), "NOT") {
		return nil
	}
	nodes, err := w.graph().Resolve(ctx, q)
	if err != nil || len(nodes) == 0 {
		return nil
	}
	boost := map[string]float64{}
	if id, ok := strings.CutPrefix(nodes[0].ID, "document:"); ok {
		boost[id] = 1.5
	}
	_, ns, err := w.graph().Neighbors(ctx, nodes[0].ID, graph.NeighborQuery{Depth: 1, Limit: 200})
	if err != nil {
		return boost
	}
	for _, n := range ns {
		if id, ok := strings.CutPrefix(n.Node.ID, "document:"); ok && boost[id] == 0 {
			boost[id] = 1.2
		}
	}
	return boost
}

// Facets counts the matches of query by source, person and year. It is
// the index's count alone: no graph boost, which only reorders hits. The
// map is never nil.
func (a *App) Facets(ctx context.Context, ws, query string) (_ map[string][]Facet, err error) {
	defer guardDerived(&err)()
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	dict, err := a.dictionary(w)
	if err != nil {
		return nil, err
	}
	res, err := w.index.Search(ctx, search.Request{Query: query, Limit: 1, Expander: dict, Facets: true})
	if err != nil {
		return nil, fmt.Errorf("counting facets: %w", err)
	}
	return facetsOf(res.Facets), nil
}

// facetsOf converts the index's facets; the map is never nil.
func facetsOf(in map[string][]search.Facet) map[string][]Facet {
	out := make(map[string][]Facet, len(in))
	for name, fs := range in {
		list := make([]Facet, 0, len(fs))
		for _, f := range fs {
			list = append(list, Facet{Value: f.Value, Count: f.Count, Address: f.Address})
		}
		out[name] = list
	}
	return out
}

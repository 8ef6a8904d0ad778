package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/vector"
)

// Search runs a query in a workspace ("" means the default) in the mode
// asked for (SearchRequest.Mode): by its words (the index), by its meaning
// (the vectors of the configured embedding endpoint), or both fused by
// reciprocal rank. Each hit's Matched says which found it. When the
// endpoint is not set, not answering, or the query has filters only words
// can apply, the search runs on words and Notice says so; it fails only
// when the index does. ErrBadMode for an unknown mode.
func (a *App) Search(ctx context.Context, ws string, req SearchRequest) (*SearchResult, error) {
	start := time.Now()
	mode := strings.ToLower(strings.TrimSpace(req.Mode))
	switch mode {
	case "", ModeText, ModeSemantic, ModeHybrid:
	default:
		return nil, fmt.Errorf("%w %q: use text, semantic or hybrid", ErrBadMode, req.Mode)
	}
	c, cerr := a.embedClient()
	if mode == "" {
		mode = ModeText
		if c != nil {
			mode = ModeHybrid
		}
	}
	if mode == ModeText || c == nil {
		res, err := a.searchText(ctx, ws, req)
		if err != nil {
			return nil, err
		}
		res.Mode = ModeText
		switch {
		case mode != ModeText && cerr != nil:
			res.Notice = fmt.Sprintf("search by meaning is off: %v", cerr)
		case mode != ModeText:
			res.Notice = fmt.Sprintf("search by meaning is off; set an embedding endpoint with `engram config set %s http://127.0.0.1:11434`", SettingEmbedEndpoint)
		}
		return res, nil
	}
	limit := req.Limit
	if limit <= 0 {
		limit = 20
	}
	offset := max(req.Offset, 0)
	depth := min(offset+limit, maxFused)

	type textResult struct {
		res *SearchResult
		err error
	}
	var texts chan textResult
	if mode == ModeHybrid {
		texts = make(chan textResult, 1)
		go func() {
			r := req
			r.Offset, r.Limit = 0, depth
			res, err := a.searchText(ctx, ws, r)
			texts <- textResult{res, err}
		}()
	}
	name := a.wsName(ws)
	sem, notice, serr := a.semanticHits(ctx, name, c, req.Query, depth)
	var text *SearchResult
	if texts != nil {
		t := <-texts
		if t.err != nil {
			return nil, t.err
		}
		text = t.res
	}
	if serr != nil {
		if text == nil { // semantic mode: words instead
			res, err := a.searchText(ctx, ws, req)
			if err != nil {
				return nil, err
			}
			res.Mode, res.Notice = ModeText, unavailableNotice(c, serr)
			return res, nil
		}
		text.Hits = pageOf(text.Hits, offset, limit)
		text.Mode, text.Notice = ModeText, unavailableNotice(c, serr)
		return text, nil
	}
	out := &SearchResult{Mode: mode, Notice: notice, Facets: map[string][]Facet{}}
	var textIDs []string
	byID := map[string]SearchHit{}
	if text != nil {
		out.Total, out.Partial, out.Degraded, out.Facets = text.Total, text.Partial, text.Degraded, text.Facets
		for _, h := range text.Hits {
			textIDs = append(textIDs, h.ID)
			byID[h.ID] = h
		}
	}
	semIDs := make([]string, len(sem))
	chunkOf := make(map[string]int, len(sem))
	for i, h := range sem {
		semIDs[i] = h.Doc
		chunkOf[h.Doc] = h.Chunk
		if _, ok := byID[h.Doc]; !ok {
			out.Total++
		}
	}
	fused := vector.Fuse(textIDs, semIDs)
	page := pageOf(fused, offset, limit)
	var fetch []string
	for _, f := range page {
		if _, ok := byID[f.ID]; !ok {
			fetch = append(fetch, f.ID)
		}
	}
	docs := map[string]*document.Document{}
	if len(fetch) > 0 {
		ds, err := a.store.Documents(name, fetch)
		if err != nil {
			return nil, fmt.Errorf("reading the documents found by meaning: %w", err)
		}
		for i := range ds {
			docs[ds[i].ID] = &ds[i]
		}
	}
	out.Hits = make([]SearchHit, 0, len(page))
	for _, f := range page {
		h, ok := byID[f.ID]
		if !ok {
			d, ok := docs[f.ID]
			if !ok {
				continue // deleted since it was embedded
			}
			h = SearchHit{ID: d.ID, Title: d.Title, Source: d.Source, Path: d.Path, Date: d.Date, Snippet: hitSnippet(d, chunkOf[d.ID])}
		}
		h.Score = f.Score
		h.Matched = nil
		if f.Ranks[0] > 0 {
			h.Matched = append(h.Matched, MatchedText)
		}
		if f.Ranks[1] > 0 {
			h.Matched = append(h.Matched, MatchedSemantic)
		}
		out.Hits = append(out.Hits, h)
	}
	out.TookMS = float64(time.Since(start).Microseconds()) / 1000
	return out, nil
}

// pageOf is s[offset:offset+limit], clipped.
func pageOf[T any](s []T, offset, limit int) []T {
	if offset >= len(s) {
		return s[:0]
	}
	return s[offset:min(offset+limit, len(s))]
}

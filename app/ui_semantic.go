package app

// SearchMode is Search with a mode: "text", "semantic", "hybrid", or ""
// (hybrid when an embedding endpoint is set, else text). Each hit's Matched
// says whether its words, its meaning or both found it, and the result's
// Notice says when meaning could not take part (show it beside the hits).
func (s *SearchService) SearchMode(ws, query, mode string, limit, offset int) (*SearchResult, error) {
	limit = max(0, min(limit, maxPageSize))
	offset = max(0, offset)
	ctx := s.context()
	if ctx.Err() != nil {
		return nil, errShuttingDown
	}
	return s.app.Search(ctx, ws, SearchRequest{Query: query, Limit: limit, Offset: offset, Mode: mode})
}

// EmbedStatus reports search by meaning in workspace ws: the endpoint's
// state and the background embedding's progress (poll it while State is
// "running").
func (s *SearchService) EmbedStatus(ws string) (*EmbedStatus, error) {
	if s.context().Err() != nil {
		return nil, errShuttingDown
	}
	return s.app.EmbedStatus(ws)
}

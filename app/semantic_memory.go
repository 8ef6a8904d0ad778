package app

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/engram-app/engram/embed"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/vector"
)

// memVectorsKey names one user's memory vectors: a new version of their
// memories, or another model, is another entry.
type memVectorsKey struct {
	workspace, user, model string
	version                uint64
	all                    bool
}

// memVectors are the vectors of one user's memories, by memory ID.
type memVectors struct {
	mems map[string]store.Memory
	ids  []string
	vecs [][]float32
}

// memoryHits is the memory search of MemorySearch and of context packs:
// the memory service's ranking, fused by reciprocal rank with the
// memories nearest in meaning when an embedding endpoint is set. semantic
// lists the IDs that meaning found; notice says why meaning could not take
// part (the endpoint is down), and the hits are then the service's alone.
func (a *App) memoryHits(ctx context.Context, k memory.Key, q string, limit int, all bool) (hits []memory.Hit, semantic []string, notice string, err error) {
	if limit <= 0 {
		limit = 10
	}
	c, _ := a.embedClient()
	query, filtered := semanticQuery(q)
	if c == nil || filtered || query == "" {
		hits, err := a.mem.Search(ctx, k, q, limit, all)
		return hits, nil, "", err
	}
	depth := min(max(limit*2, 20), maxFused)
	text, err := a.mem.Search(ctx, k, q, depth, all)
	if err != nil {
		return nil, nil, "", err
	}
	mv, err := a.memoryVectors(ctx, k, c, all)
	if err == nil && len(mv.ids) == 0 {
		return pageOf(text, 0, limit), nil, "", nil
	}
	var qv []float32
	if err == nil {
		qv, err = a.queryVector(ctx, k.Workspace, c, query)
	}
	if err != nil {
		return pageOf(text, 0, limit), nil, unavailableNotice(c, err), nil
	}
	type near struct {
		id    string
		score float32
	}
	var nears []near
	for i, v := range mv.vecs {
		if s := dotProduct(qv, v); s >= minSemanticScore {
			nears = append(nears, near{mv.ids[i], s})
		}
	}
	slices.SortFunc(nears, func(x, y near) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return strings.Compare(x.id, y.id)
	})
	nears = pageOf(nears, 0, depth)
	textIDs := make([]string, len(text))
	byID := make(map[string]memory.Hit, len(text))
	for i, h := range text {
		textIDs[i] = h.ID
		byID[h.ID] = h
	}
	semIDs := make([]string, len(nears))
	for i, n := range nears {
		semIDs[i] = n.id
	}
	for _, f := range pageOf(vector.Fuse(textIDs, semIDs), 0, limit) {
		h, ok := byID[f.ID]
		if !ok {
			h = memory.Hit{Memory: mv.mems[f.ID]}
		}
		h.Score = f.Score
		hits = append(hits, h)
		if f.Ranks[1] > 0 {
			semantic = append(semantic, f.ID)
		}
	}
	return hits, semantic, "", nil
}

// memoryVectors returns the vectors of a user's memories (current ones,
// or all), embedding those no cache holds, within queryTimeout.
func (a *App) memoryVectors(ctx context.Context, k memory.Key, c *embed.Client, all bool) (*memVectors, error) {
	version, err := a.mem.Version(k)
	if err != nil {
		return nil, err
	}
	key := memVectorsKey{k.Workspace, k.User, c.Model(), version, all}
	if mv, ok := a.sem.memories.Get(key); ok {
		return mv, nil
	}
	ms, err := a.mem.List(ctx, k, all)
	if err != nil {
		return nil, err
	}
	mv := &memVectors{mems: make(map[string]store.Memory, len(ms))}
	var texts, hashes []string
	for _, m := range ms {
		mv.mems[m.ID] = m
		mv.ids = append(mv.ids, m.ID)
		texts = append(texts, m.Text)
		hashes = append(hashes, embed.HashText(m.Text))
	}
	if len(texts) > 0 {
		ctx, cancel := context.WithTimeout(ctx, queryTimeout)
		defer cancel()
		if mv.vecs, _, err = embed.Cached(ctx, c, storeCache{a.store, k.Workspace}, texts, hashes); err != nil {
			return nil, err
		}
	}
	a.sem.memories.Add(key, mv)
	return mv, nil
}

func dotProduct(a, b []float32) float32 {
	if len(a) != len(b) {
		return 0
	}
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// fusePassages adds to a context pack's passages (found by words) the
// passages nearest in meaning, fused by reciprocal rank, when an endpoint
// is set; on any failure of the endpoint the passages stay as they are.
func (a *App) fusePassages(ctx context.Context, ws, question string, ps []ContextPassage) []ContextPassage {
	c, _ := a.embedClient()
	if c == nil {
		return ps
	}
	sem, _, err := a.semanticHits(ctx, ws, c, question, contextPassageLimit)
	if err != nil || len(sem) == 0 {
		return ps
	}
	textIDs := make([]string, len(ps))
	byID := make(map[string]ContextPassage, len(ps))
	for i, p := range ps {
		textIDs[i] = p.ID
		byID[p.ID] = p
	}
	semIDs := make([]string, len(sem))
	chunkOf := make(map[string]int, len(sem))
	var fetch []string
	for i, h := range sem {
		semIDs[i] = h.Doc
		chunkOf[h.Doc] = h.Chunk
		if _, ok := byID[h.Doc]; !ok {
			fetch = append(fetch, h.Doc)
		}
	}
	docs, err := a.store.Documents(ws, fetch)
	if err != nil {
		return ps
	}
	for i := range docs {
		d := &docs[i]
		byID[d.ID] = ContextPassage{ID: d.ID, Title: d.Title, Source: d.Source, Text: plainText(hitSnippet(d, chunkOf[d.ID]))}
	}
	out := make([]ContextPassage, 0, contextPassageLimit)
	for _, f := range vector.Fuse(textIDs, semIDs) {
		p, ok := byID[f.ID]
		if !ok {
			continue
		}
		p.Score = f.Score
		out = append(out, p)
		if len(out) == contextPassageLimit {
			break
		}
	}
	return out
}

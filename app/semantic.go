package app

import (
	"context"
	"errors"
	"fmt"
	"html"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/embed"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/vector"
)

// Settings of search by meaning, read on every use (no restart needed).
const (
	// SettingEmbedEndpoint is the base URL of a local embedding endpoint
	// (Ollama: http://127.0.0.1:11434; OpenAI-compatible: .../v1). Empty
	// turns search by meaning off.
	SettingEmbedEndpoint = "embed.endpoint"
	// SettingEmbedModel is the embedding model, default DefaultEmbedModel.
	// Changing it re-embeds every document in the background.
	SettingEmbedModel = "embed.model"
	// SettingEmbedAPI is "ollama", "openai" or "auto" (the default: detect).
	SettingEmbedAPI = "embed.api"
)

// DefaultEmbedModel is the model used when embed.model is not set.
const DefaultEmbedModel = "nomic-embed-text"

// Search modes of SearchRequest.Mode.
const (
	ModeText     = "text"     // words only (Bleve)
	ModeSemantic = "semantic" // meaning only (vectors)
	ModeHybrid   = "hybrid"   // both, by reciprocal rank fusion
)

// ErrBadMode means a search mode other than text, semantic or hybrid.
var ErrBadMode = errors.New("unknown search mode")

// Matched values of SearchHit.Matched.
const (
	MatchedText     = "text"
	MatchedSemantic = "semantic"
)

// Bounds of search by meaning.
const (
	// queryTimeout bounds the embedding of one query, retry included.
	queryTimeout = 3 * time.Second
	// minSemanticScore is the cosine below which a passage is not offered
	// as a match by meaning.
	minSemanticScore = 0.2
	// maxFused bounds how deep each list of a hybrid search is read.
	maxFused = 500
	// buildDelay is how long an index big enough for the approximate
	// graph waits before building it in the background.
	buildDelay = 3 * time.Second
)

// semantic is the container's search-by-meaning state: the client for the
// configured endpoint, each open workspace's vector index, the query vector
// cache, and the running embedding workers.
type semantic struct {
	mu        sync.Mutex
	client    *embed.Client
	clientKey string
	runs      map[string]*embedRun // workspace -> its running worker

	vectors *lru.Cache[string, *wsVectors]  // workspace -> its vectors under one model
	queries *lru.Cache[queryKey, []float32] // bounded, in front of the store's emb_vec
	// memories holds users' memory vectors, keyed by workspace, user,
	// model and the version of their memories.
	memories *lru.Cache[memVectorsKey, *memVectors]
	flight   singleflight.Group // one embedding per query in flight
	// puts are query vectors waiting to be written to the store's cache
	// by the flusher (started by the first), off the search's path.
	puts    chan vectorPut
	flusher atomic.Bool
}

type queryKey struct{ workspace, model, text string }

// wsVectors is a workspace's vector index under one model, loaded from
// the store once; ready closes when it is.
type wsVectors struct {
	model    string
	index    *vector.Index
	ready    chan struct{}
	err      error
	building atomic.Bool
}

// embedRun is a running embedding worker of one workspace.
type embedRun struct {
	done     chan struct{}
	mu       sync.Mutex
	progress embed.Progress
	err      error
}

func newSemantic(workspaces int) (*semantic, error) {
	vs, err := lru.New[string, *wsVectors](workspaces)
	if err != nil {
		return nil, err
	}
	qs, err := lru.New[queryKey, []float32](4096)
	if err != nil {
		return nil, err
	}
	ms, err := lru.New[memVectorsKey, *memVectors](256)
	if err != nil {
		return nil, err
	}
	return &semantic{vectors: vs, queries: qs, memories: ms, runs: map[string]*embedRun{}, puts: make(chan vectorPut, 1024)}, nil
}

// forget drops everything cached of a deleted workspace, so that a new one
// of the same name starts empty.
func (s *semantic) forget(ws string) {
	s.vectors.Remove(ws)
	for _, k := range s.queries.Keys() {
		if k.workspace == ws {
			s.queries.Remove(k)
		}
	}
	for _, k := range s.memories.Keys() {
		if k.workspace == ws {
			s.memories.Remove(k)
		}
	}
}

// embedClient returns the client for the current settings, nil when no
// endpoint is set. A settings change makes a new client (and so a fresh
// up/down status).
func (a *App) embedClient() (*embed.Client, error) {
	all, err := a.store.Settings()
	if err != nil {
		return nil, err
	}
	endpoint := strings.TrimSpace(all[SettingEmbedEndpoint])
	if endpoint == "" {
		return nil, nil
	}
	model := strings.TrimSpace(all[SettingEmbedModel])
	if model == "" {
		model = DefaultEmbedModel
	}
	api, err := embed.ParseAPI(all[SettingEmbedAPI])
	if err != nil {
		return nil, err
	}
	key := endpoint + "\x00" + model + "\x00" + string(api)
	s := a.sem
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil && s.clientKey == key {
		return s.client, nil
	}
	c, err := embed.New(embed.Config{Endpoint: endpoint, Model: model, API: api})
	if err != nil {
		return nil, err
	}
	s.client, s.clientKey = c, key
	return c, nil
}

// setEmbedSetting validates and stores an embed.* setting. A new endpoint
// or model starts re-embedding the open workspaces in the background.
func (a *App) setEmbedSetting(key, value string) error {
	value = strings.TrimSpace(value)
	switch key {
	case SettingEmbedEndpoint:
		if u, err := url.Parse(value); value != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
			return invalidf("%s must be an http(s) URL such as http://127.0.0.1:11434, not %q", key, value)
		}
	case SettingEmbedAPI:
		if _, err := embed.ParseAPI(value); err != nil {
			return err
		}
	case SettingEmbedModel:
		if strings.ContainsAny(value, "\x00\n") {
			return invalidf("%s must be a model name such as %s", key, DefaultEmbedModel)
		}
	}
	if err := a.store.SetSetting(key, value); err != nil {
		return err
	}
	a.mu.Lock()
	open := make([]string, 0, len(a.open))
	for name := range a.open {
		open = append(open, name)
	}
	a.mu.Unlock()
	for _, ws := range open {
		a.startEmbedding(ws)
	}
	return nil
}

// queueEmbedding queues what an import batch changed for the embedding
// worker (when an endpoint is set; deletions also when none is but the
// workspace was embedded once, so that no vector outlives its document)
// and drops deleted documents' vectors from memory at once.
func (a *App) queueEmbedding(ws string, docs []document.Document, deleted []string) error {
	ids := deleted
	if len(ids) > 0 {
		if m, _ := a.store.EmbedModel(ws); m == "" {
			ids = nil // never embedded: no vector to drop
		}
	}
	if c, _ := a.embedClient(); c != nil {
		ids = make([]string, 0, len(docs)+len(deleted))
		for i := range docs {
			ids = append(ids, docs[i].ID)
		}
		ids = append(ids, deleted...)
	}
	if err := a.store.QueueEmbeddings(ws, ids); err != nil {
		return fmt.Errorf("queuing for embedding: %w", err)
	}
	if v, ok := a.sem.vectors.Peek(ws); ok && len(deleted) > 0 {
		<-v.ready
		if v.index != nil {
			for _, id := range deleted {
				v.index.Delete(id)
			}
		}
	}
	return nil
}

// vectorsFor returns ws's vector index under model, loading it from the
// store on first use (one load at a time per workspace; callers wait).
// Once it is big enough, the approximate graph is built in the background.
func (a *App) vectorsFor(ws, model string) (*vector.Index, error) {
	a.sem.mu.Lock()
	v, ok := a.sem.vectors.Get(ws)
	if !ok || v.model != model {
		v = &wsVectors{model: model, ready: make(chan struct{})}
		a.sem.vectors.Add(ws, v)
		a.sem.mu.Unlock()
		idx := vector.New(vector.Options{})
		err := a.store.ForEachEmbedded(ws, model, func(id string, vecs [][]float32) error {
			if err := idx.Put(id, vecs); err != nil {
				return fmt.Errorf("%w (document %s); change embed.model back or run `engram embed run` again", err, id)
			}
			return nil
		})
		v.index, v.err = idx, err
		close(v.ready)
		if err != nil {
			a.sem.vectors.Remove(ws)
		}
	} else {
		a.sem.mu.Unlock()
		<-v.ready
	}
	if v.err != nil {
		return nil, v.err
	}
	a.maybeBuild(v)
	return v.index, nil
}

// maybeBuild builds the approximate graph in the background when the index
// needs one and no build is running.
func (a *App) maybeBuild(v *wsVectors) {
	if !v.index.NeedsBuild() || !v.building.CompareAndSwap(false, true) {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		v.building.Store(false)
		return
	}
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		defer v.building.Store(false)
		// A short-lived process (a CLI search) ends before this and never
		// spends the build's CPU; it has the exact scan meanwhile.
		t := time.NewTimer(buildDelay)
		defer t.Stop()
		select {
		case <-a.ctx.Done():
			return
		case <-t.C:
		}
		_ = v.index.Build(a.ctx)
	}()
}

// startEmbedding starts ws's embedding worker unless one runs or no
// endpoint is set, and returns the run (nil when none). The worker drains
// the queue in the background and stops with the container.
func (a *App) startEmbedding(ws string) *embedRun {
	c, err := a.embedClient()
	if err != nil || c == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return nil
	}
	a.sem.mu.Lock()
	defer a.sem.mu.Unlock()
	if r, ok := a.sem.runs[ws]; ok {
		return r
	}
	r := &embedRun{done: make(chan struct{})}
	a.sem.runs[ws] = r
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		err := a.runEmbedding(a.ctx, ws, c, r)
		r.mu.Lock()
		r.err = err
		r.mu.Unlock()
		a.sem.mu.Lock()
		delete(a.sem.runs, ws)
		a.sem.mu.Unlock()
		close(r.done)
	}()
	return r
}

func (a *App) runEmbedding(ctx context.Context, ws string, c *embed.Client, r *embedRun) error {
	if _, err := a.store.SetEmbedModel(ws, c.Model()); err != nil {
		return err
	}
	idx, err := a.vectorsFor(ws, c.Model())
	if err != nil {
		return err
	}
	w := embed.Worker{
		Client: c,
		Cache:  storeCache{a.store, ws},
		Queue:  storeQueue{a.store, ws},
		Index:  idx,
		Progress: func(p embed.Progress) {
			r.mu.Lock()
			r.progress = p
			r.mu.Unlock()
		},
	}
	err = w.Run(ctx)
	if v, ok := a.sem.vectors.Peek(ws); ok && v.index == idx {
		a.maybeBuild(v)
	}
	return err
}

// storeCache is the store's vector cache of one workspace.
type storeCache struct {
	st *store.Store
	ws string
}

func (c storeCache) Vectors(model string, hashes []string) ([][]float32, error) {
	return c.st.Vectors(c.ws, model, hashes)
}

func (c storeCache) PutVectors(model string, hashes []string, vecs [][]float32) error {
	return c.st.PutVectors(c.ws, model, hashes, vecs)
}

// storeQueue is the store's embedding queue of one workspace.
type storeQueue struct {
	st *store.Store
	ws string
}

func (q storeQueue) Next(n int) ([]embed.QueueItem, error) {
	qs, err := q.st.EmbedQueue(q.ws, n)
	out := make([]embed.QueueItem, len(qs))
	for i, d := range qs {
		out[i] = embed.QueueItem{ID: d.ID, Tag: d.Tag}
	}
	return out, err
}

func (q storeQueue) Pending() (int, error) { return q.st.EmbedPending(q.ws) }

func (q storeQueue) Documents(ids []string) ([]document.Document, error) {
	return q.st.Documents(q.ws, ids)
}

func (q storeQueue) Done(model string, docs []embed.DocChunks, items []embed.QueueItem) error {
	dv := make([]store.DocVectors, len(docs))
	for i, d := range docs {
		dv[i] = store.DocVectors{ID: d.ID, Hashes: d.Hashes}
	}
	qd := make([]store.QueuedDoc, len(items))
	for i, it := range items {
		qd[i] = store.QueuedDoc{ID: it.ID, Tag: it.Tag}
	}
	return q.st.EmbedDone(q.ws, model, dv, qd)
}

// EmbedStatus is the CLI contract of `engram embed status --json`: the
// endpoint's state and how far a workspace's embedding got.
type EmbedStatus struct {
	Workspace string `json:"workspace"`
	// State is "off" (no endpoint set), "idle" (nothing queued), "running",
	// "pending" (work queued, no worker running: it resumes on the next
	// import, `engram embed run` or search by meaning) or "down" (the
	// endpoint is not answering).
	State    string        `json:"state"`
	Endpoint *embed.Status `json:"endpoint,omitempty"`
	// Pending counts the documents queued; Documents and Chunks what the
	// vector index holds.
	Pending     int             `json:"pending"`
	Documents   int             `json:"documents"`
	Chunks      int             `json:"chunks"`
	Approximate bool            `json:"approximate"`
	Progress    *embed.Progress `json:"progress,omitempty"`
	Error       string          `json:"error,omitempty"`
}

// EmbedStatus reports a workspace's embedding state. When this process has
// not used the endpoint yet, it sends it one short request to know whether
// it is up.
func (a *App) EmbedStatus(ws string) (*EmbedStatus, error) {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return nil, err
	}
	st := &EmbedStatus{Workspace: ws, State: "off"}
	c, err := a.embedClient()
	if err != nil {
		return nil, err
	}
	if st.Pending, err = a.store.EmbedPending(ws); err != nil {
		return nil, err
	}
	if c == nil {
		return st, nil
	}
	if c.Requests() == 0 {
		// Nothing asked of it yet in this process: ask, so the state is
		// the endpoint's now (one short request).
		ctx, cancel := context.WithTimeout(a.ctx, queryTimeout)
		_, _ = c.Query(ctx, "engram status")
		cancel()
	}
	es := c.Status()
	st.Endpoint = &es
	if m, err := a.store.EmbedModel(ws); err == nil && m != c.Model() {
		// A new model (or the first): every document waits for the
		// worker, which queues them when it starts.
		if n, err := a.store.CountDocuments(ws); err == nil {
			st.Pending = max(st.Pending, n)
		}
	}
	if idx, err := a.vectorsFor(ws, c.Model()); err == nil {
		st.Documents, st.Chunks, st.Approximate = idx.Docs(), idx.Len(), idx.Approximate()
	} else {
		st.Error = err.Error()
	}
	a.sem.mu.Lock()
	r := a.sem.runs[ws]
	a.sem.mu.Unlock()
	switch {
	case r != nil:
		st.State = "running"
		r.mu.Lock()
		p := r.progress
		r.mu.Unlock()
		st.Progress = &p
	case !es.Up:
		st.State = "down"
	case st.Pending > 0:
		st.State = "pending"
	default:
		st.State = "idle"
	}
	if st.Error == "" {
		st.Error = es.Error
	}
	return st, nil
}

// EmbedWait starts ws's embedding worker if work is queued and waits for
// it to finish, calling progress (if not nil) about every interval. It
// returns nil at once when no endpoint is set, ctx's error when cancelled
// (the work resumes on the next run), or the worker's error, wrapping
// embed.ErrUnavailable when the endpoint is down.
func (a *App) EmbedWait(ctx context.Context, ws string, interval time.Duration, progress func(embed.Progress)) error {
	ws = a.wsName(ws)
	if err := a.checkWorkspace(ws); err != nil {
		return err
	}
	r := a.startEmbedding(ws)
	if r == nil {
		return nil
	}
	if interval <= 0 {
		interval = 200 * time.Millisecond
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	report := func() {
		if progress != nil {
			r.mu.Lock()
			p := r.progress
			r.mu.Unlock()
			progress(p)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			report()
		case <-r.done:
			report()
			r.mu.Lock()
			defer r.mu.Unlock()
			return r.err
		}
	}
}

// queryVector embeds a search query: from the bounded LRU, else the
// store's vector cache, else the endpoint (one request per distinct query
// in flight), within queryTimeout.
func (a *App) queryVector(ctx context.Context, ws string, c *embed.Client, q string) ([]float32, error) {
	key := queryKey{ws, c.Model(), q}
	if v, ok := a.sem.queries.Get(key); ok {
		return v, nil
	}
	v, err, _ := a.sem.flight.Do(ws+"\x00"+c.Model()+"\x00"+q, func() (any, error) {
		h := embed.HashText(q)
		if got, err := a.store.Vectors(ws, c.Model(), []string{h}); err == nil && got[0] != nil {
			return got[0], nil
		}
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), queryTimeout)
		defer cancel()
		v, err := c.Query(ctx, q)
		if err != nil {
			return nil, err
		}
		a.persistLater(vectorPut{ws, c.Model(), h, v})
		return v, nil
	})
	if err != nil {
		return nil, err
	}
	vec := v.([]float32)
	a.sem.queries.Add(key, vec)
	return vec, nil
}

// semanticQuery is the text of a query to embed, and whether the query
// has filters, which only the text side can apply.
func semanticQuery(q string) (text string, filtered bool) {
	var words []string
	for _, f := range strings.Fields(q) {
		lf := strings.ToLower(f)
		if strings.HasPrefix(f, "-") {
			filtered = true
			continue
		}
		if i := strings.IndexByte(lf, ':'); i > 0 {
			switch lf[:i] {
			case "from", "to", "tag", "source", "before", "after", "path", "title":
				filtered = true
				continue
			}
		}
		words = append(words, strings.Trim(f, `"*`))
	}
	return strings.TrimSpace(strings.Join(words, " ")), filtered
}

// semanticHits finds the documents nearest to the query in meaning, at
// most k, with the cosine of their best passage. The notice, when not
// empty, says why there are none or fewer than there might be.
func (a *App) semanticHits(ctx context.Context, ws string, c *embed.Client, q string, k int) ([]vector.Hit, string, error) {
	text, filtered := semanticQuery(q)
	if filtered {
		return nil, "filters (from:, tag:, -word, …) apply to word matches only; search by meaning was skipped", nil
	}
	if text == "" {
		return nil, "", nil
	}
	pending := a.pendingEmbeds(ws)
	if pending > 0 {
		a.startEmbedding(ws) // a no-op when it runs
	}
	vec, err := a.queryVector(ctx, ws, c, text)
	if err != nil {
		return nil, "", err
	}
	idx, err := a.vectorsFor(ws, c.Model())
	if err != nil {
		return nil, "", err
	}
	hits := idx.Search(vec, k)
	kept := hits[:0]
	for _, h := range hits {
		if h.Score >= minSemanticScore {
			kept = append(kept, h)
		}
	}
	notice := ""
	if pending > 0 {
		notice = fmt.Sprintf("%d documents are still being embedded; search by meaning does not cover them yet", pending)
	}
	return kept, notice, nil
}

// unavailableNotice is what a search says when the endpoint failed.
func unavailableNotice(c *embed.Client, err error) string {
	if errors.Is(err, embed.ErrUnavailable) {
		return fmt.Sprintf("the embedding endpoint %s is not answering; results are text-only (start it, or `engram config set %s \"\"`)", c.Endpoint(), SettingEmbedEndpoint)
	}
	return fmt.Sprintf("search by meaning failed (%v); results are text-only", err)
}

// hitSnippet is the HTML-escaped passage of a document's chunk, shortened.
func hitSnippet(d *document.Document, chunk int) string {
	cs := embed.Chunks(d, embed.ChunkOptions{})
	p := ""
	if chunk >= 0 && chunk < len(cs) {
		p = cs[chunk].Passage
	} else if len(cs) > 0 {
		p = cs[0].Passage
	}
	p = strings.Join(strings.Fields(p), " ")
	if r := []rune(p); len(r) > 240 {
		p = string(r[:240]) + "…"
	}
	return html.EscapeString(p)
}

// vectorPut is a query vector for the store's cache.
type vectorPut struct {
	ws, model, hash string
	vec             []float32
}

// persistLater hands a query vector to the flusher, which writes it to the
// store's cache in a batch with others: a search does not wait for a
// commit. When the queue is full the vector is only in the LRU (it is a
// cache).
func (a *App) persistLater(p vectorPut) {
	if a.sem.flusher.CompareAndSwap(false, true) {
		a.mu.Lock()
		if a.closed {
			a.mu.Unlock()
			return
		}
		a.wg.Add(1)
		a.mu.Unlock()
		go a.flushVectors()
	}
	select {
	case a.sem.puts <- p:
	default:
	}
}

// flushVectors writes queued query vectors in batches until the container
// closes, then what is still queued.
func (a *App) flushVectors() {
	defer a.wg.Done()
	for {
		var batch []vectorPut
		select {
		case <-a.ctx.Done():
		case p := <-a.sem.puts:
			batch = append(batch, p)
		}
	more:
		for len(batch) < 256 {
			select {
			case p := <-a.sem.puts:
				batch = append(batch, p)
			default:
				break more
			}
		}
		a.writeVectors(batch)
		if a.ctx.Err() != nil && len(a.sem.puts) == 0 {
			return
		}
	}
}

// writeVectors writes a batch of query vectors, one transaction per
// workspace and model; a workspace deleted since has nothing to keep.
func (a *App) writeVectors(batch []vectorPut) {
	type group struct{ ws, model string }
	var order []group
	groups := map[group][]vectorPut{}
	for _, p := range batch {
		g := group{p.ws, p.model}
		if _, ok := groups[g]; !ok {
			order = append(order, g)
		}
		groups[g] = append(groups[g], p)
	}
	for _, g := range order {
		ps := groups[g]
		hashes := make([]string, len(ps))
		vecs := make([][]float32, len(ps))
		for i, p := range ps {
			hashes[i], vecs[i] = p.hash, p.vec
		}
		_ = a.store.PutVectors(g.ws, g.model, hashes, vecs)
	}
}

// pendingEmbeds is about how many documents of ws wait for embedding: the
// running worker's count, else the queue's (empty but for a worker that
// stopped, so counting it is cheap).
func (a *App) pendingEmbeds(ws string) int {
	a.sem.mu.Lock()
	r := a.sem.runs[ws]
	a.sem.mu.Unlock()
	if r != nil {
		r.mu.Lock()
		defer r.mu.Unlock()
		if r.progress.Total > 0 {
			return max(r.progress.Total-r.progress.Done, 0)
		}
	}
	n, _ := a.store.EmbedPending(ws)
	return n
}

package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/engram-app/engram/derive"
	"html"
	"strings"
	"time"

	"github.com/engram-app/engram/contextpack"
	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/internal/bounds"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/store"
)

// MemoryEvents is the CLI contract of `engram memory add|delete|edit --json`.
type MemoryEvents struct {
	Events []memory.Event `json:"events"`
	// Degraded names subsystems that could not take part (the graph); the
	// memories are saved, and the graph catches up later.
	Degraded []string `json:"degraded,omitempty"`
}

// MemorySearchResult is the CLI contract of `engram memory search --json`.
type MemorySearchResult struct {
	Hits []memory.Hit `json:"hits"`
	// Semantic lists the hits found by meaning (app/semantic_memory.go);
	// Notice says why meaning could not take part.
	Semantic []string `json:"semantic,omitempty"`
	Notice   string   `json:"notice,omitempty"`
}

// MemoryList is the CLI contract of `engram memory list --json`.
type MemoryList struct {
	User     string         `json:"user"`
	Memories []store.Memory `json:"memories"`
}

// MemoryHistory is the CLI contract of `engram memory history --json`.
type MemoryHistory struct {
	ID       string                `json:"id"`
	Memory   store.Memory          `json:"current"`
	Versions []store.MemoryVersion `json:"versions"`
}

func (a *App) memKey(ws, user string) memory.Key {
	if user == "" {
		user = LocalUser
	}
	return memory.Key{Workspace: a.wsName(ws), User: user}
}

// checkWorkspace fails for a workspace that does not exist.
func (a *App) checkWorkspace(ws string) error {
	ok, err := a.store.HasWorkspace(ws)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w %q; create it with `engram workspace create %s`", store.ErrNoWorkspace, ws, ws)
	}
	return nil
}

// MemoryAdd remembers what text says about user ("" means the local user)
// in workspace ws: each fact becomes ADD, UPDATE, DELETE or NONE. Feelings
// and the people and places involved go to the graph; a graph that is down
// degrades the result, it does not fail it.
func (a *App) MemoryAdd(ctx context.Context, ws, user, text, source string) (*MemoryEvents, error) {
	return a.MemoryAddConversation(ctx, ws, user, []memory.Message{{Role: "user", Content: text}}, source)
}

// MemoryAddConversation is MemoryAdd for a conversation: only the user's
// messages yield facts about the user.
func (a *App) MemoryAddConversation(ctx context.Context, ws, user string, msgs []memory.Message, source string) (*MemoryEvents, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	if source == "" {
		source = "cli"
	}
	empty := true
	for _, m := range msgs {
		if strings.TrimSpace(m.Content) != "" {
			empty = false
		}
	}
	if empty {
		return nil, fmt.Errorf("%w: give a statement such as \"I live in Oslo\"", memory.ErrEmpty)
	}
	res, err := a.mem.AddConversation(ctx, k, msgs, source)
	if err != nil {
		return nil, err
	}
	return a.memoryWritten(ctx, k, res), nil
}

// memoryWritten brings the graph up to date with the changed memories,
// behind the answer: the memories are stored, so the call returns, and
// their graph write follows on a goroutine of its own, promised to the
// graph (graph.Promise), so every read of the graph that begins after
// this call waits for it: whoever asks next (a context pack's entities,
// the graph view) sees the memories' edges. The write is a commit to the
// graph's file, and under many clients it queues behind the others
// (memoryGraph); the add no longer waits for that queue. A graph that is
// down is written to (and fails) in the call, which then says so; a
// background write that fails marks the workspace's memory graph pending,
// which the next write and doctor derive again. Close waits for the writes
// in flight.
func (a *App) memoryWritten(ctx context.Context, k memory.Key, res *memory.Result) *MemoryEvents {
	out := &MemoryEvents{Events: res.Events}
	if out.Events == nil {
		out.Events = []memory.Event{}
	}
	if len(res.Changed) == 0 {
		return out
	}
	if !a.memoryGraphBehind(k.Workspace, res.Changed) {
		if err := a.memoryGraphNow(ctx, k.Workspace, res.Changed); err != nil {
			out.Degraded = append(out.Degraded, "graph")
			_ = a.store.SetMemoryGraphPending(k.Workspace, true)
		}
	}
	a.publishMemories(k.Workspace, k.User, res.Changed)
	return out
}

// memoryGraphBehind starts the graph write of ms behind the caller (see
// memoryWritten) and says whether it did: not when the container is
// closing or the workspace's graph is down.
func (a *App) memoryGraphBehind(ws string, ms []store.Memory) bool {
	w, release, err := a.acquire(ws)
	if err != nil {
		return false
	}
	g := w.graph()
	if g == nil {
		release()
		return false
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		release()
		return false
	}
	a.wg.Add(1)
	a.mu.Unlock()
	settle := g.Promise()
	go func() {
		defer a.wg.Done()
		defer release()
		defer settle()
		// Not the caller's context: it has its answer, and may be gone.
		if err := a.memoryGraph(context.Background(), w, ms, g.Wanted()); err != nil {
			_ = a.store.SetMemoryGraphPending(ws, true)
		}
	}()
	return true
}

// memoryGraph writes the contributions of the given memories: current ones
// replaced, deleted ones removed. When an earlier write left the graph
// behind, every memory of the workspace is derived again first.
//
// Concurrent calls for one workspace share a write (group commit): the graph
// takes one writer at a time, each write a commit to disk, so under many
// clients the writes queue behind each other. A caller that finds a write
// of its workspace in flight queues its memories; the writer, when done,
// hands everything queued meanwhile to the first of those callers, which
// writes it as one batch. Every caller waits for at most the write in flight
// and its own batch.
//
// A write behind the answer (wanted not nil: the graph's Wanted) first
// gathers: it waits up to memoryGraphGather for more adds to queue, and
// takes them into its batch. Under many clients a batch then holds a few
// hundred memories instead of a dozen, and the graph's commit, which
// rewrites about 35 pages however few memories it holds (the paths to the
// leaves of Cayley's hashed buckets), is paid once for them all: at 16
// clients the adds ran twice as fast. No reader waits for the gathering:
// a read of the graph that finds the write promised puts a token in
// wanted and the write starts at once, and so does closing the container.
// (Config.MemoryGraphGather sets the wait.)
//
// w is the workspace, held by the caller (acquired) until the call returns:
// a write that acquired it again could find the container closing.
func (a *App) memoryGraph(ctx context.Context, w *workspace, ms []store.Memory, wanted <-chan struct{}) error {
	key := graphQueueKey{w.name}
	job := &graphJob{ms: ms, done: make(chan graphTurn, 1), wanted: wanted, w: w}
	a.graphQueues.mu.Lock()
	if q, busy := a.graphQueues.m[key]; busy {
		a.graphQueues.m[key] = append(q, job)
		a.graphQueues.mu.Unlock()
		turn := <-job.done
		if !turn.lead {
			return turn.err
		}
		return a.leadGraphBatch(ctx, key, turn.batch, job)
	}
	if a.graphQueues.m == nil {
		a.graphQueues.m = map[graphQueueKey][]*graphJob{}
	}
	a.graphQueues.m[key] = nil // a write is in flight; nothing queued yet
	a.graphQueues.mu.Unlock()
	return a.leadGraphBatch(ctx, key, []*graphJob{job}, job)
}

// graphQueueKey names a workspace's memory graph write queue in
// App.graphQueues.
type graphQueueKey struct {
	ws string
}

type graphJob struct {
	ms   []store.Memory
	done chan graphTurn
	// wanted is the graph's Wanted for a write behind the answer (nil for
	// one the caller waits for, which does not gather).
	wanted <-chan struct{}
	// w is the workspace, which the job's caller holds.
	w *workspace
}

// memoryGraphNow is memoryGraph for a caller that waits for the write.
func (a *App) memoryGraphNow(ctx context.Context, ws string, ms []store.Memory) error {
	w, release, err := a.acquireGraph(ws)
	if err != nil {
		return err
	}
	defer release()
	return a.memoryGraph(ctx, w, ms, nil)
}

// memoryGraphGather is the default of Config.MemoryGraphGather: the longest
// a memory graph write behind the answer waits for more adds to join it
// (memoryGraph).
const memoryGraphGather = 50 * time.Millisecond

// gather waits as memoryGraph says for own's batch, then takes what
// queued meanwhile into it.
func (a *App) gather(key graphQueueKey, batch []*graphJob, own *graphJob) []*graphJob {
	if own.wanted == nil || a.cfg.MemoryGraphGather < 0 {
		return batch
	}
	t := time.NewTimer(a.cfg.MemoryGraphGather)
	defer t.Stop()
	select {
	case <-t.C:
	case <-own.wanted:
	case <-a.ctx.Done(): // closing
	}
	a.graphQueues.mu.Lock()
	batch = append(batch, a.graphQueues.m[key]...)
	a.graphQueues.m[key] = nil
	a.graphQueues.mu.Unlock()
	return batch
}

// graphTurn is what a queued call is told: its batch's outcome, or that it
// writes the next batch.
type graphTurn struct {
	err   error
	lead  bool
	batch []*graphJob
}

// leadGraphBatch writes batch (which holds own), tells the others in it
// the outcome, and hands what queued meanwhile to the first of those.
func (a *App) leadGraphBatch(ctx context.Context, key graphQueueKey, batch []*graphJob, own *graphJob) error {
	batch = a.gather(key, batch, own)
	// The batch is the other callers' too: one caller giving up must not
	// fail their writes.
	err := a.writeMemoryGraph(context.WithoutCancel(ctx), own.w, batch)
	for _, j := range batch {
		if j != own {
			j.done <- graphTurn{err: err}
		}
	}
	a.graphQueues.mu.Lock()
	next := a.graphQueues.m[key]
	if len(next) == 0 {
		delete(a.graphQueues.m, key)
	} else {
		a.graphQueues.m[key] = nil
	}
	a.graphQueues.mu.Unlock()
	if len(next) > 0 {
		next[0].done <- graphTurn{lead: true, batch: next}
	}
	return err
}

// writeMemoryGraph writes the memories of a batch, the newest version of
// each memory only.
func (a *App) writeMemoryGraph(ctx context.Context, w *workspace, batch []*graphJob) error {
	// Its reads (the contributions it compares against) must not wait for
	// the promised writes queued behind it (memoryGraphBehind).
	ctx = graph.Writing(ctx)
	if err := w.graphDown(); err != nil {
		return err
	}
	if pending, _ := a.store.MemoryGraphPending(w.name); pending {
		if _, err := a.deriveMemoryGraph(ctx, w); err != nil {
			return err
		}
	}
	newest := map[string]store.Memory{}
	var order []string
	for _, j := range batch {
		for _, m := range j.ms {
			old, ok := newest[m.ID]
			if !ok {
				order = append(order, m.ID)
			}
			if !ok || m.Version >= old.Version {
				newest[m.ID] = m
			}
		}
	}
	var cs []graph.Contribution
	var gone []string
	for _, id := range order {
		m := newest[id]
		if m.State == store.MemoryCurrent {
			cs = append(cs, derive.Memory(m, a.mem.Slug))
		} else {
			gone = append(gone, derive.MemoryID(m.ID))
		}
	}
	if len(gone) > 0 {
		if err := w.graph().Remove(ctx, gone); err != nil {
			return err
		}
	}
	if len(cs) > 0 {
		return w.graph().Replace(ctx, cs)
	}
	return nil
}

// DeriveMemoryGraph is the migration that makes the graph agree with the
// stored memories: it writes the contributions (FEELS, TRIGGERED_BY, the
// people and places) of memories that lack them or carry an older version,
// and removes those of deleted memories. It returns how many it changed.
func (a *App) DeriveMemoryGraph(ctx context.Context, ws string) (int, error) {
	w, release, err := a.acquireGraph(a.wsName(ws))
	if err != nil {
		return 0, err
	}
	defer release()
	return a.deriveMemoryGraph(ctx, w)
}

func (a *App) deriveMemoryGraph(ctx context.Context, w *workspace) (int, error) {
	ms, err := a.mem.AllMemories(w.name)
	if err != nil {
		return 0, err
	}
	have, err := w.graph().Docs(ctx)
	if err != nil {
		return 0, err
	}
	var cs []graph.Contribution
	var gone []string
	for _, m := range ms {
		id := derive.MemoryID(m.ID)
		h, ok := have[id]
		switch c := derive.Memory(m, a.mem.Slug); {
		case m.State == store.MemoryCurrent && (!ok || h != c.Hash):
			cs = append(cs, c)
		case m.State != store.MemoryCurrent && ok:
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		if err := w.graph().Remove(ctx, gone); err != nil {
			return 0, err
		}
	}
	for i := 0; i < len(cs); i += 500 {
		if err := w.graph().Replace(ctx, cs[i:min(i+500, len(cs))]); err != nil {
			return 0, err
		}
	}
	return len(cs) + len(gone), a.store.SetMemoryGraphPending(w.name, false)
}

// isMemoryContribution tells doctor which graph contributions come from
// memories rather than documents.
func isMemoryContribution(id string) bool { return strings.HasPrefix(id, "memory:") }

// MemorySearch finds user's memories for a query or a question ("where do I
// live"), best first.
func (a *App) MemorySearch(ctx context.Context, ws, user, q string, limit int, all bool) (*MemorySearchResult, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	hits, semantic, notice, err := a.memoryHits(ctx, k, q, bounds.MemoryLimit().Clamp(int64(limit)), all)
	if err != nil {
		return nil, err
	}
	if hits == nil {
		hits = []memory.Hit{}
	}
	return &MemorySearchResult{Hits: hits, Semantic: semantic, Notice: notice}, nil
}

// MemoryList lists user's memories, newest first; current ones unless all.
func (a *App) MemoryList(ctx context.Context, ws, user string, all bool) (*MemoryList, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	ms, err := a.mem.List(ctx, k, all)
	if err != nil {
		return nil, err
	}
	if ms == nil {
		ms = []store.Memory{}
	}
	return &MemoryList{User: k.User, Memories: ms}, nil
}

// MemoryShow returns one of user's memories.
func (a *App) MemoryShow(ctx context.Context, ws, user, id string) (store.Memory, error) {
	return a.mem.Get(ctx, a.memKey(ws, user), id)
}

// MemoryHistory returns every version of one of user's memories.
func (a *App) MemoryHistory(ctx context.Context, ws, user, id string) (*MemoryHistory, error) {
	k := a.memKey(ws, user)
	m, err := a.mem.Get(ctx, k, id)
	if err != nil {
		return nil, err
	}
	vs, err := a.mem.History(ctx, k, id)
	if err != nil {
		return nil, err
	}
	return &MemoryHistory{ID: id, Memory: m, Versions: vs}, nil
}

// MemoryDelete forgets one of user's memories; its history keeps it.
func (a *App) MemoryDelete(ctx context.Context, ws, user, id string) (*MemoryEvents, error) {
	k := a.memKey(ws, user)
	res, err := a.mem.Delete(ctx, k, id)
	if err != nil {
		return nil, err
	}
	return a.memoryWritten(ctx, k, res), nil
}

// MemoryEdit replaces the text of one of user's memories with a new
// version; the old one stays in the history.
func (a *App) MemoryEdit(ctx context.Context, ws, user, id, text string) (*MemoryEvents, error) {
	k := a.memKey(ws, user)
	res, err := a.mem.Edit(ctx, k, id, text)
	if err != nil {
		return nil, err
	}
	return a.memoryWritten(ctx, k, res), nil
}

// ContextPack is the CLI contract of `engram context --json` (package
// contextpack builds it); ContextPassage is one of its document passages.
type (
	ContextPack    = contextpack.Pack
	ContextPassage = contextpack.Passage
)

// Context builds a context pack for user and question within budget
// tokens (contextpack.Build): the user's profile summary, the most relevant
// current memories, the entities linked to those memories in the graph,
// and the best document passages with the gaps citing them. A graph or
// index that is down leaves its part out and names it in Degraded.
//
// Finished packs are cached (contextpack.Builder) per (workspace, user,
// normalised question, budget), stamped with the version of the user's
// memories and the workspace's document count: any write to that user's
// memories, or a document added or removed, makes the next call build
// afresh, and a pack is served for at most contextpack.TTL (documents
// edited in place). Degraded packs are not cached.
func (a *App) Context(ctx context.Context, ws, user, question string, budget int) (*ContextPack, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	// The version before the build: a write during the build makes the
	// cached pack stale at once.
	version, err := a.mem.Version(k)
	if err != nil {
		return nil, err
	}
	stamp := contextpack.Stamp{Memories: version, Documents: a.docStamp()}
	r := contextpack.Request{Workspace: k.Workspace, User: k.User, Question: question, Budget: budget}
	return a.packs.Pack(ctx, r, stamp, a.contextParts(k, question))
}

// contextParts adapts the memory service, the graph, the search and the gap
// analysis to the parts of user k's pack for question.
func (a *App) contextParts(k memory.Key, question string) contextpack.Parts {
	var hits []memory.Hit
	parts := contextpack.Parts{
		Profile: func(ctx context.Context) (string, error) {
			prof, err := a.mem.Profile(ctx, k)
			if err != nil {
				return "", err
			}
			return prof.Summary, nil
		},
		Memories: func(ctx context.Context) ([]contextpack.Memory, error) {
			var err error
			hits, _, _, err = a.memoryHits(ctx, k, question, 20, false)
			if err != nil {
				return nil, err
			}
			out := make([]contextpack.Memory, 0, len(hits))
			for _, h := range hits {
				cm := contextpack.Memory{ID: h.ID, Memory: h.Text, Kind: h.Kind, Score: h.Score}
				if h.ValidFrom != nil {
					cm.ValidFrom = h.ValidFrom.Format("2006-01-02")
				}
				out = append(out, cm)
			}
			return out, nil
		},
		Entities: func(ctx context.Context) ([]contextpack.Entity, error) {
			ents, err := a.userEntities(ctx, k, hits)
			if errors.Is(err, graph.ErrNotFound) {
				return nil, nil // no graph for the workspace yet
			}
			return ents, err
		},
		Gaps: func(ps []contextpack.Passage) []contextpack.Gap { return a.contextGaps(k.Workspace, ps) },
	}
	if strings.TrimSpace(question) != "" {
		parts.Passages = func(ctx context.Context) ([]contextpack.Passage, error) {
			return a.contextPassages(ctx, k.Workspace, question)
		}
	}
	return parts
}

// docStamp is the documents' part of a cached pack's key: the store's
// generation, which every write moves. It was the number of documents,
// which an edit keeps: a note rewritten and imported again was answered
// from the pack cached before, with the old text.
func (a *App) docStamp() uint64 { return a.store.Generation() }

// contextPassages is the document part of a context pack: the best 5
// passages for a natural question (package contextpack: any content word
// may match, BM25 over the passages, the mail of people named first),
// fused with the best by meaning when search by meaning is on.
func (a *App) contextPassages(ctx context.Context, ws, question string) ([]ContextPassage, error) {
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	dict, err := a.dictionary(w)
	if err != nil {
		return nil, err
	}
	ps, err := contextpack.Find(ctx, passageSearcher{w.index, dict}, passageLoader{a.store, w.name, a.passageDocs}, question, contextPassageLimit)
	if err != nil {
		return nil, err
	}
	return a.fusePassages(ctx, w.name, question, ps), nil
}

// contextPassageLimit bounds the document passages of a context pack.
const contextPassageLimit = 5

// userEntities lists the people, places, emotions and triggers that the
// most relevant memories are linked to in the graph (MENTIONS, and the
// TRIGGERED_BY of each emotion). It walks from the memories' own nodes, not
// from the user's node (a hub with an edge per memory), and keeps only
// nodes keyed under this user, so no other user's entity can appear.
func (a *App) userEntities(ctx context.Context, k memory.Key, hits []memory.Hit) ([]contextpack.Entity, error) {
	w, release, err := a.acquireGraph(k.Workspace)
	if err != nil {
		return nil, err
	}
	defer release()
	scope := "@" + k.User + "/"
	seen := map[string]bool{}
	var out []contextpack.Entity
	keep := func(ns []graph.Neighbor) {
		for _, n := range ns {
			_, key, _ := strings.Cut(n.Node.ID, ":")
			if !strings.HasPrefix(key, scope) || seen[n.Node.ID] {
				continue
			}
			seen[n.Node.ID] = true
			out = append(out, contextpack.Entity{ID: n.Node.ID, Name: derive.NodeName(n.Node), Kind: string(n.Node.Kind), Predicate: string(n.Predicate)})
		}
	}
	for i, h := range hits {
		if i == 5 || len(out) >= 20 {
			break
		}
		_, ns, err := w.graph().Neighbors(ctx, graph.NodeID(graph.KindMemory, h.ID), graph.NeighborQuery{Depth: 1, Predicates: []graph.Predicate{graph.Mentions}, Limit: 20})
		if errors.Is(err, graph.ErrNotFound) {
			continue // its edges are pending
		}
		if err != nil {
			return out, err
		}
		keep(ns)
		// What triggered the memory's emotion: the TRIGGERED_BY edge this
		// memory contributed (read from its contribution, since the emotion
		// node is a hub with an edge per trigger).
		c := derive.Memory(h.Memory, a.mem.Slug)
		for _, e := range c.Edges {
			if e.Predicate == graph.TriggeredBy && !seen[e.To] {
				for _, n := range c.Nodes {
					if n.ID == e.To {
						seen[n.ID] = true
						out = append(out, contextpack.Entity{ID: n.ID, Name: derive.NodeName(n), Kind: string(n.Kind), Predicate: string(graph.TriggeredBy)})
					}
				}
			}
		}
	}
	return out, nil
}

// plainText turns a search snippet (HTML-escaped, <mark>ed) into text.
func plainText(s string) string {
	s = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s)
	return strings.Join(strings.Fields(html.UnescapeString(s)), " ")
}

// Assistant adapts the container to what the MCP server calls (package mcp
// declares the interface; it does not import app). Every method passes the
// workspace and user through; "" means the defaults.
type Assistant struct{ a *App }

// Assistant returns the container's adapter for the MCP server.
func (a *App) Assistant() Assistant { return Assistant{a} }

// Search searches documents.
func (s Assistant) Search(ctx context.Context, ws, query string, limit int) (any, error) {
	if limit <= 0 {
		limit = 10
	}
	res, err := s.a.Search(ctx, ws, SearchRequest{Query: query, Limit: limit})
	if err != nil {
		return nil, err
	}
	// An assistant reads text: snippets lose their <mark> tags and entities.
	for i := range res.Hits {
		res.Hits[i].Snippet = plainText(res.Hits[i].Snippet)
	}
	return res, nil
}

// MemoryAdd remembers what text says about user.
func (s Assistant) MemoryAdd(ctx context.Context, ws, user, text, source string) (any, error) {
	return s.a.MemoryAdd(ctx, ws, user, text, source)
}

// MemorySearch finds user's memories.
func (s Assistant) MemorySearch(ctx context.Context, ws, user, query string, limit int, all bool) (any, error) {
	return s.a.MemorySearch(ctx, ws, user, query, limit, all)
}

// MemoryList lists user's memories.
func (s Assistant) MemoryList(ctx context.Context, ws, user string, all bool) (any, error) {
	return s.a.MemoryList(ctx, ws, user, all)
}

// MemoryDelete forgets one of user's memories.
func (s Assistant) MemoryDelete(ctx context.Context, ws, user, id string) (any, error) {
	return s.a.MemoryDelete(ctx, ws, user, id)
}

// Neighbors lists the entities related to name.
func (s Assistant) Neighbors(ctx context.Context, ws, name string, depth int, predicates []string) (any, error) {
	return s.a.Neighbors(ctx, ws, name, depth, predicates)
}

// Context builds a context pack.
func (s Assistant) Context(ctx context.Context, ws, user, question string, budget int) (any, error) {
	return s.a.Context(ctx, ws, user, question, budget)
}

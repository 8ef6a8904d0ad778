package app

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/engram-app/engram/graph"
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

// memoryWritten brings the graph up to date with the changed memories.
func (a *App) memoryWritten(ctx context.Context, k memory.Key, res *memory.Result) *MemoryEvents {
	out := &MemoryEvents{Events: res.Events}
	if out.Events == nil {
		out.Events = []memory.Event{}
	}
	if len(res.Changed) == 0 {
		return out
	}
	if err := a.memoryGraph(ctx, k.Workspace, res.Changed); err != nil {
		out.Degraded = append(out.Degraded, "graph")
		_ = a.store.SetMemoryGraphPending(k.Workspace, true)
	}
	return out
}

// memoryGraph writes the contributions of the given memories: current ones
// replaced, deleted ones removed. When an earlier write left the graph
// behind, every memory of the workspace is derived again first.
func (a *App) memoryGraph(ctx context.Context, ws string, ms []store.Memory) error {
	w, release, err := a.acquireGraph(ws)
	if err != nil {
		return err
	}
	defer release()
	if pending, _ := a.store.MemoryGraphPending(ws); pending {
		if _, err := a.deriveMemoryGraph(ctx, w); err != nil {
			return err
		}
	}
	var cs []graph.Contribution
	var gone []string
	for _, m := range ms {
		if m.State == store.MemoryCurrent {
			cs = append(cs, a.mem.Contribution(m))
		} else {
			gone = append(gone, memory.GraphID(m.ID))
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
		id := memory.GraphID(m.ID)
		h, ok := have[id]
		switch c := a.mem.Contribution(m); {
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
	hits, err := a.mem.Search(ctx, k, q, limit, all)
	if err != nil {
		return nil, err
	}
	if hits == nil {
		hits = []memory.Hit{}
	}
	return &MemorySearchResult{Hits: hits}, nil
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

// ContextPack is the CLI contract of `engram context --json`: what an
// assistant needs to answer a user's question, within a token budget, each
// piece with the ID to cite it by.
type ContextPack struct {
	User      string           `json:"user"`
	Question  string           `json:"question"`
	Budget    int              `json:"budget"`
	Tokens    int              `json:"tokens"`
	Profile   string           `json:"profile"`
	Memories  []ContextMemory  `json:"memories"`
	Entities  []ContextEntity  `json:"entities"`
	Passages  []ContextPassage `json:"passages"`
	Truncated bool             `json:"truncated"`
	Degraded  []string         `json:"degraded,omitempty"`
}

// ContextMemory is a memory in a context pack.
type ContextMemory struct {
	ID        string  `json:"id"`
	Memory    string  `json:"memory"`
	Kind      string  `json:"kind"`
	Score     float64 `json:"score"`
	ValidFrom string  `json:"valid_from"`
}

// ContextEntity is a graph entity related to the user.
type ContextEntity struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Kind      string `json:"kind"`
	Predicate string `json:"predicate"`
}

// ContextPassage is a document passage, cited by document ID.
type ContextPassage struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Source string  `json:"source"`
	Text   string  `json:"text"`
	Score  float64 `json:"score"`
}

// DefaultContextBudget is the token budget of a context pack when none is
// given.
const DefaultContextBudget = 1500

// tokens approximates the tokens of s as its length over four.
func tokens(s string) int { return (len(s) + 3) / 4 }

// Context builds a context pack for user and question within budget
// tokens: the user's profile summary (cached, at most a third of the
// budget), the most relevant current memories, the entities linked to those
// relevant memories in the graph, and the best document passages. A graph or index that
// is down leaves its part out and names it in Degraded.
func (a *App) Context(ctx context.Context, ws, user, question string, budget int) (*ContextPack, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	if budget <= 0 {
		budget = DefaultContextBudget
	}
	pack := &ContextPack{User: k.User, Question: question, Budget: budget,
		Memories: []ContextMemory{}, Entities: []ContextEntity{}, Passages: []ContextPassage{}}
	left := budget
	take := func(n int) bool {
		if n > left {
			pack.Truncated = true
			return false
		}
		left -= n
		return true
	}

	prof, err := a.mem.Profile(ctx, k)
	if err != nil {
		return nil, err
	}
	summary := prof.Summary
	if max := budget / 3 * 4; len(summary) > max {
		cut := strings.LastIndex(summary[:max], ". ")
		if cut <= 0 {
			cut = max - 1
		}
		summary = summary[:cut+1]
		pack.Truncated = true
	}
	if take(tokens(summary)) {
		pack.Profile = summary
	}

	hits, err := a.mem.Search(ctx, k, question, 20, false)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		cm := ContextMemory{ID: h.ID, Memory: h.Text, Kind: h.Kind, Score: h.Score, ValidFrom: h.ValidFrom.Format("2006-01-02")}
		if !take(tokens(cm.Memory) + 8) {
			break
		}
		pack.Memories = append(pack.Memories, cm)
	}

	if ents, err := a.userEntities(ctx, k, hits); err != nil {
		if !errors.Is(err, graph.ErrNotFound) {
			pack.Degraded = append(pack.Degraded, "graph")
		}
	} else {
		for _, e := range ents {
			if !take(tokens(e.Name) + 6) {
				break
			}
			pack.Entities = append(pack.Entities, e)
		}
	}

	if strings.TrimSpace(question) != "" {
		res, err := a.Search(ctx, k.Workspace, SearchRequest{Query: question, Limit: 5})
		if err != nil {
			pack.Degraded = append(pack.Degraded, "search")
		} else {
			for _, h := range res.Hits {
				p := ContextPassage{ID: h.ID, Title: h.Title, Source: h.Source, Text: plainText(h.Snippet), Score: h.Score}
				if !take(tokens(p.Title) + tokens(p.Text) + 8) {
					break
				}
				pack.Passages = append(pack.Passages, p)
			}
		}
	}
	pack.Tokens = budget - left
	return pack, nil
}

// userEntities lists the people, places, emotions and triggers that the
// most relevant memories are linked to in the graph (MENTIONS, and the
// TRIGGERED_BY of each emotion). It walks from the memories' own nodes, not
// from the user's node (a hub with an edge per memory), and keeps only
// nodes keyed under this user, so no other user's entity can appear.
func (a *App) userEntities(ctx context.Context, k memory.Key, hits []memory.Hit) ([]ContextEntity, error) {
	w, release, err := a.acquireGraph(k.Workspace)
	if err != nil {
		return nil, err
	}
	defer release()
	scope := "@" + k.User + "/"
	seen := map[string]bool{}
	var out []ContextEntity
	keep := func(ns []graph.Neighbor) {
		for _, n := range ns {
			_, key, _ := strings.Cut(n.Node.ID, ":")
			if !strings.HasPrefix(key, scope) || seen[n.Node.ID] {
				continue
			}
			seen[n.Node.ID] = true
			out = append(out, ContextEntity{ID: n.Node.ID, Name: n.Node.Name, Kind: string(n.Node.Kind), Predicate: string(n.Predicate)})
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
		for _, e := range a.mem.Contribution(h.Memory).Edges {
			if e.Predicate == graph.TriggeredBy && !seen[e.To] {
				for _, n := range a.mem.Contribution(h.Memory).Nodes {
					if n.ID == e.To {
						seen[n.ID] = true
						out = append(out, ContextEntity{ID: n.ID, Name: n.Name, Kind: string(n.Kind), Predicate: string(graph.TriggeredBy)})
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
	return s.a.Search(ctx, ws, SearchRequest{Query: query, Limit: limit})
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

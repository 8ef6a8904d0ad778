package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/engram-app/engram/derive"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/internal/bounds"
)

// Health of a subsystem.
const (
	StatusOK       = "ok"
	StatusDegraded = "degraded"
	StatusDown     = "down"
)

// Health is one subsystem's state and, when not ok, why and what to do.
type Health struct {
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Stats summarises a workspace. Its JSON form is the CLI contract of
// `engram stats --json`.
type Stats struct {
	Workspace string            `json:"workspace"`
	DataDir   string            `json:"data_dir"`
	Documents int               `json:"documents"`
	Indexed   uint64            `json:"indexed"`
	Entities  int               `json:"entities"`
	Edges     int               `json:"edges"`
	Health    map[string]Health `json:"health"`
}

// Stats counts a workspace's documents, index entries, entities and edges,
// and reports each subsystem's health. A failing graph or index degrades the
// report; it does not fail it.
func (a *App) Stats(ctx context.Context, ws string) (_ *Stats, err error) {
	defer guardDerived(&err)()
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	st := &Stats{Workspace: w.name, DataDir: a.cfg.DataDir, Health: map[string]Health{"store": {Status: StatusOK}}}
	if st.Documents, err = a.store.CountDocuments(w.name); err != nil {
		st.Health["store"] = Health{Status: StatusDown, Detail: err.Error()}
	}
	if st.Indexed, err = w.index.Count(); err != nil {
		st.Health["search"] = Health{Status: StatusDown, Detail: err.Error() + "; run `engram doctor --repair`"}
	} else if int(st.Indexed) != st.Documents {
		st.Health["search"] = Health{Status: StatusDegraded, Detail: fmt.Sprintf("index has %d of %d documents; run `engram doctor --repair`", st.Indexed, st.Documents)}
	} else {
		st.Health["search"] = Health{Status: StatusOK}
	}
	if w.graph() == nil {
		st.Health["graph"] = Health{Status: StatusDegraded, Detail: fmt.Sprintf("graph unavailable (%v); search is text-only; run `engram doctor --repair`", w.graphErr())}
		return st, nil
	}
	gs, err := w.graph().Stats(ctx)
	if err != nil {
		st.Health["graph"] = Health{Status: StatusDegraded, Detail: err.Error() + "; search is text-only"}
		return st, nil
	}
	st.Entities, st.Edges = gs.Nodes, gs.Edges
	st.Health["graph"] = Health{Status: StatusOK}
	return st, nil
}

// ErrGraphDown means the workspace's graph could not be opened.
var ErrGraphDown = errors.New("the graph is unavailable")

// NeighborsResult is the CLI contract of `engram graph neighbors --json`.
type NeighborsResult struct {
	Entity    Entity     `json:"entity"`
	Neighbors []Neighbor `json:"neighbors"`
}

// Entity is a graph node as shown to users.
type Entity struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind"`
	Aliases []string `json:"aliases,omitempty"`
}

// Neighbor is one related entity.
type Neighbor struct {
	Entity
	Predicate string `json:"predicate"`
	Direction string `json:"direction"`
	Count     int    `json:"count"`
	Depth     int    `json:"depth"`
	Via       string `json:"via,omitempty"` // ID of the entity it was reached from
}

// Neighbors lists the entities related to the one a name resolves to (an
// entity's name, an alias, or a note's title), up to depth hops away,
// optionally only along the given predicates.
func (a *App) Neighbors(ctx context.Context, ws, name string, depth int, predicates []string) (_ *NeighborsResult, err error) {
	defer guardDerived(&err)()
	w, release, err := a.acquireGraph(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	depth, err = bounds.Depth().Check(int64(depth))
	if err != nil {
		return nil, err
	}
	q := graph.NeighborQuery{Depth: depth}
	for _, p := range predicates {
		pred, err := graph.ParsePredicate(p)
		if err != nil {
			return nil, err
		}
		q.Predicates = append(q.Predicates, pred)
	}
	node, ns, err := w.graph().Neighbors(ctx, name, q)
	if errors.Is(err, graph.ErrNotFound) {
		return nil, unknownName(ctx, w, name)
	}
	if err != nil {
		return nil, err
	}
	out := &NeighborsResult{Entity: entity(node), Neighbors: make([]Neighbor, 0, len(ns))}
	for _, n := range ns {
		out.Neighbors = append(out.Neighbors, Neighbor{Entity: entity(n.Node), Predicate: string(n.Predicate), Direction: n.Direction, Count: n.Count, Depth: n.Depth, Via: n.Via})
	}
	return out, nil
}

func entity(n graph.Node) Entity {
	return Entity{ID: n.ID, Name: derive.NodeName(n), Kind: string(n.Kind), Aliases: n.Aliases}
}

// PathStep is one hop of a path between two entities.
type PathStep struct {
	From      Entity `json:"from"`
	Predicate string `json:"predicate"`
	To        Entity `json:"to"`
	Direction string `json:"direction"`
}

// Path finds the shortest path between two entities, up to maxDepth hops.
func (a *App) Path(ctx context.Context, ws, from, to string, maxDepth int) (_ []PathStep, err error) {
	defer guardDerived(&err)()
	w, release, err := a.acquireGraph(ws)
	if err != nil {
		return nil, err
	}
	defer release()
	steps, err := w.graph().Path(ctx, from, to, maxDepth)
	if err != nil {
		return nil, err
	}
	out := make([]PathStep, 0, len(steps))
	for _, s := range steps {
		out = append(out, PathStep{From: entity(s.From), Predicate: string(s.Predicate), To: entity(s.To), Direction: s.Direction})
	}
	return out, nil
}

// acquireGraph holds a workspace whose graph is up, or says why it is not.
func (a *App) acquireGraph(ws string) (*workspace, func(), error) {
	w, release, err := a.acquire(ws)
	if err != nil {
		return nil, nil, err
	}
	if err := w.graphDown(); err != nil {
		release()
		return nil, nil, err
	}
	return w, release, nil
}

// graphDown is ErrGraphDown with why, when w's graph is down; nil when it
// is up.
func (w *workspace) graphDown() error {
	if w.graph() != nil {
		return nil
	}
	return fmt.Errorf("%w (%v); run `engram doctor --repair`", ErrGraphDown, w.graphErr())
}

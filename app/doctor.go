package app

import (
	"context"
	"fmt"
	"os"
	"sort"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/graph"
)

// Check is how one derived store (index or graph) compares with the store.
type Check struct {
	Status  string `json:"status"`  // ok, stale, down
	Missing int    `json:"missing"` // in the store, not here
	Stale   int    `json:"stale"`   // here, but from an older version
	Extra   int    `json:"extra"`   // here, but no longer in the store
	Detail  string `json:"detail,omitempty"`
}

// DoctorReport is the CLI contract of `engram doctor --json`.
type DoctorReport struct {
	Workspace string   `json:"workspace"`
	Documents int      `json:"documents"`
	Index     Check    `json:"index"`
	Graph     Check    `json:"graph"`
	Problems  []string `json:"problems"`
	Repaired  bool     `json:"repaired"`
	OK        bool     `json:"ok"`
}

// Doctor checks that the workspace's index and graph agree with the store,
// document by document (ID and content hash). With repair it rebuilds from
// the store whatever is missing or stale and drops what is extra; a derived
// store that cannot be opened at all is moved aside and rebuilt whole.
func (a *App) Doctor(ctx context.Context, ws string, repair bool) (*DoctorReport, error) {
	ws = a.wsName(ws)
	w, release, err := a.acquire(ws)
	if err != nil && repair {
		// The index itself may be unreadable: move it aside and rebuild.
		dir := indexDir(a.workspaceDir(ws))
		if _, statErr := os.Stat(dir); statErr == nil {
			if mvErr := os.Rename(dir, fmt.Sprintf("%s.broken-%d", dir, time.Now().Unix())); mvErr != nil {
				return nil, fmt.Errorf("%w; moving the broken index aside also failed: %v", err, mvErr)
			}
		}
		w, release, err = a.acquire(ws)
	}
	if err != nil {
		return nil, err
	}
	defer release()

	rep := &DoctorReport{Workspace: ws, Problems: []string{}}
	want := map[string]string{}
	err = a.store.ForEachDocument(ws, 1000, func(d document.Document) error {
		want[d.ID] = d.ContentHash
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	rep.Documents = len(want)

	have, err := w.index.Hashes(ctx)
	var idxFix, idxDrop []string
	if err != nil {
		rep.Index = Check{Status: "down", Detail: err.Error()}
	} else {
		rep.Index, idxFix, idxDrop = compare(want, have)
	}

	if w.graph() == nil && repair {
		if err := a.reopenGraph(w); err != nil {
			rep.Graph = Check{Status: "down", Detail: err.Error()}
		}
	}
	var gFix, gDrop []string
	if w.graph() == nil {
		if rep.Graph.Status == "" {
			rep.Graph = Check{Status: "down", Detail: fmt.Sprint(w.graphErr())}
		}
	} else if gHave, err := w.graph().Docs(ctx); err != nil {
		rep.Graph = Check{Status: "down", Detail: err.Error()}
	} else {
		// Memories' contributions are checked by DeriveMemoryGraph below.
		for id := range gHave {
			if isMemoryContribution(id) {
				delete(gHave, id)
			}
		}
		rep.Graph, gFix, gDrop = compare(want, gHave)
		if probs, err := w.graph().Check(ctx); err == nil {
			for _, p := range probs {
				rep.Problems = append(rep.Problems, fmt.Sprint(p))
			}
		}
	}
	describe := func(what string, c Check) {
		if c.Status == "ok" {
			return
		}
		rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %d missing, %d stale, %d extra %s", what, c.Missing, c.Stale, c.Extra, c.Detail))
	}
	describe("index", rep.Index)
	describe("graph", rep.Graph)
	if pending, _ := a.store.MemoryGraphPending(ws); pending {
		rep.Problems = append(rep.Problems, "graph: some memories lack their edges (FEELS, TRIGGERED_BY, people, places)")
	}
	rep.OK = len(rep.Problems) == 0
	if !repair || rep.OK {
		return rep, nil
	}

	if len(idxDrop) > 0 {
		if err := w.index.Delete(ctx, idxDrop); err != nil {
			return rep, fmt.Errorf("repairing the index: %w", err)
		}
	}
	if err := a.reload(ws, idxFix, func(docs []document.Document) error { return w.index.Put(ctx, docs) }); err != nil {
		return rep, fmt.Errorf("repairing the index: %w", err)
	}
	if w.graph() != nil {
		if len(gDrop) > 0 {
			if err := w.graph().Remove(ctx, gDrop); err != nil {
				return rep, fmt.Errorf("repairing the graph: %w", err)
			}
		}
		if err := a.reload(ws, gFix, func(docs []document.Document) error { return a.updateGraph(ctx, w, docs, nil) }); err != nil {
			return rep, fmt.Errorf("repairing the graph: %w", err)
		}
		if _, err := a.deriveMemoryGraph(ctx, w); err != nil {
			return rep, fmt.Errorf("deriving the graph of memories: %w", err)
		}
	}
	rep.Repaired = true
	return rep, nil
}

// compare returns the check of have against want, the IDs to (re)build and
// the IDs to drop.
func compare(want, have map[string]string) (c Check, fix, drop []string) {
	for id, h := range want {
		got, ok := have[id]
		switch {
		case !ok:
			c.Missing++
			fix = append(fix, id)
		case got != h:
			c.Stale++
			fix = append(fix, id)
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			c.Extra++
			drop = append(drop, id)
		}
	}
	c.Status = "ok"
	if len(fix)+len(drop) > 0 {
		c.Status = "stale"
	}
	sort.Strings(fix)
	sort.Strings(drop)
	return c, fix, drop
}

// reload feeds the stored documents with the given IDs to fn in batches.
func (a *App) reload(ws string, ids []string, fn func([]document.Document) error) error {
	const batch = 1000
	for i := 0; i < len(ids); i += batch {
		docs, err := a.store.Documents(ws, ids[i:min(i+batch, len(ids))])
		if err != nil {
			return err
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
	return nil
}

// reopenGraph moves an unreadable graph file aside and opens a new one.
func (a *App) reopenGraph(w *workspace) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if w.graph() != nil {
		return nil
	}
	p := graphPath(w.dir)
	if _, err := os.Stat(p); err == nil {
		if err := os.Rename(p, fmt.Sprintf("%s.broken-%d", p, time.Now().Unix())); err != nil {
			return fmt.Errorf("moving the broken graph aside: %w", err)
		}
	}
	g, err := graph.Open(p, graph.Options{})
	if err != nil {
		return err
	}
	w.gs.Store(&graphState{g: g})
	return nil
}

package app

import (
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store"
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
	// SetAside lists the damaged derived files a repair renamed (never
	// deleted) before building new ones in their place.
	SetAside []string `json:"set_aside,omitempty"`
	Repaired bool     `json:"repaired"`
	OK       bool     `json:"ok"`
}

// ErrNotRepaired means `doctor --repair` ran but a check after it still
// found problems; the report lists them.
var ErrNotRepaired = errors.New("the repair did not fix everything")

// Doctor checks the workspace: every record of the store against its
// checksum, and that the index and graph agree with the store, document by
// document (ID and content hash). With repair it rebuilds from the store
// whatever is missing or stale and drops what is extra; a derived file that
// cannot be opened or read is set aside (renamed, never deleted) and rebuilt
// whole. After a repair it checks again: the report is OK only when that
// check is, and otherwise comes back with ErrNotRepaired. Damaged store
// records cannot be rebuilt from the store: the report names them, and
// `engram doctor --salvage` or re-importing their sources is the way out.
func (a *App) Doctor(ctx context.Context, ws string, repair bool) (rep *DoctorReport, err error) {
	defer guardDerived(&err)()
	ws = a.wsName(ws)
	rep, err = a.doctor(ctx, ws, repair)
	if err != nil || !repair || rep.OK {
		return rep, err
	}
	after, err := a.doctor(ctx, ws, false)
	if err != nil {
		return rep, fmt.Errorf("checking after the repair: %w", err)
	}
	rep.OK = after.OK
	rep.Repaired = after.OK
	if !after.OK {
		for _, p := range after.Problems {
			rep.Problems = append(rep.Problems, "still after the repair: "+p)
		}
		return rep, ErrNotRepaired
	}
	return rep, nil
}

// doctor is one pass of Doctor: check, and with repair, rebuild.
func (a *App) doctor(ctx context.Context, ws string, repair bool) (*DoctorReport, error) {
	rep := &DoctorReport{Workspace: ws, Problems: []string{}}
	damaged, err := a.store.Verify(ws)
	if err != nil {
		return nil, fmt.Errorf("checking the store: %w", err)
	}
	for _, d := range damaged {
		rep.Problems = append(rep.Problems, fmt.Sprintf("store: %s is damaged (%s); re-import its source, restore engram.db from a backup, or run `engram doctor --salvage`", d.Record, d.Reason))
	}
	w, release, err := a.acquire(ws)
	if errors.Is(err, ErrDerivedDamaged) {
		if !repair {
			rep.Index = Check{Status: "down", Detail: err.Error()}
			rep.Graph = Check{Status: "unknown", Detail: "not checked while the index is down"}
			rep.Problems = append(rep.Problems, "index: "+err.Error())
			return rep, nil
		}
		aside, aerr := setAside(indexDir(a.workspaceDir(ws)))
		if aerr != nil {
			return rep, aerr
		}
		rep.setAside(aside)
		w, release, err = a.acquire(ws)
	}
	if err != nil {
		return nil, err
	}
	defer func() { release() }()

	want := map[string]string{}
	err = a.store.ForEachDocument(ws, 1000, func(d document.Document) error {
		want[d.ID] = d.ContentHash
		return nil
	})
	if err != nil && !errors.Is(err, store.ErrCorrupt) {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	rep.Documents = len(want)

	have, err := a.indexHashes(ctx, w)
	if err == nil {
		// A segment whose checksum fails is served as if it were data:
		// the hashes above can agree while a body or a term is wrong.
		var damaged []string
		if damaged, err = a.indexSegments(ctx, w); err == nil && len(damaged) > 0 {
			rep.Problems = append(rep.Problems, damaged...)
			err = fmt.Errorf("%d damaged segment(s)", len(damaged))
		}
	}
	var idxFix, idxDrop []string
	if err != nil {
		rep.Index = Check{Status: "down", Detail: err.Error()}
		if repair {
			// Unreadable: set it aside and start from an empty index.
			w.suspect.Store(true)
			nw, nrelease, aside, rerr := a.reopenIndex(w, release)
			if rerr != nil {
				return rep, rerr
			}
			rep.setAside(aside)
			w, release = nw, nrelease
			have = map[string]string{}
			rep.Index, idxFix, idxDrop = compare(want, have)
			rep.Index.Status = "down"
		}
	} else {
		rep.Index, idxFix, idxDrop = compare(want, have)
	}

	if w.graph() == nil && repair {
		aside, err := a.reopenGraph(w)
		if err != nil {
			rep.Graph = Check{Status: "down", Detail: err.Error()}
		}
		rep.setAside(aside)
	}
	var gFix, gDrop []string
	if w.graph() == nil {
		if rep.Graph.Status == "" {
			rep.Graph = Check{Status: "down", Detail: fmt.Sprint(w.graphErr())}
		}
	} else if gHave, err := a.graphDocs(ctx, w); err != nil {
		rep.Graph = Check{Status: "down", Detail: err.Error()}
		if repair {
			w.suspect.Store(true)
			aside, err := a.resetGraph(w, err)
			if err != nil {
				return rep, err
			}
			rep.setAside(aside)
			_, gFix, gDrop = compare(want, map[string]string{})
		}
	} else {
		// Memories' contributions are checked by DeriveMemoryGraph below.
		for id := range gHave {
			if isMemoryContribution(id) {
				delete(gHave, id)
			}
		}
		rep.Graph, gFix, gDrop = compare(want, gHave)
		probs, err := a.graphCheck(ctx, w)
		if err != nil {
			probs = append(probs, err.Error())
		}
		rep.Problems = append(rep.Problems, probs...)
		if repair && len(probs) > 0 {
			// Edges that disagree with themselves are damage a rebuild of
			// some documents cannot mend: start the graph afresh.
			w.suspect.Store(true)
			aside, err := a.resetGraph(w, errors.New(probs[0]))
			if err != nil {
				return rep, err
			}
			rep.setAside(aside)
			_, gFix, gDrop = compare(want, map[string]string{})
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

	if err := a.repairIndex(ctx, w, idxFix, idxDrop); err != nil {
		// An index that fails its repair is damaged past its reads: set
		// it aside and build a new one from every stored document.
		w.suspect.Store(true)
		nw, nrelease, aside, rerr := a.reopenIndex(w, release)
		if rerr != nil {
			return rep, fmt.Errorf("repairing the index: %w; setting it aside also failed: %v", err, rerr)
		}
		rep.setAside(aside)
		w, release = nw, nrelease
		all := make([]string, 0, len(want))
		for id := range want {
			all = append(all, id)
		}
		sort.Strings(all)
		if err := a.repairIndex(ctx, w, all, nil); err != nil {
			return rep, fmt.Errorf("rebuilding the index: %w", err)
		}
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

// repairIndex drops the extra documents from the index and (re)indexes
// the missing and stale ones from the store, a panic or fault becoming an
// error.
func (a *App) repairIndex(ctx context.Context, w *workspace, fix, drop []string) (err error) {
	defer guardDerived(&err)()
	if len(drop) > 0 {
		if err := w.index.Delete(ctx, drop); err != nil {
			return err
		}
	}
	return a.reload(w.name, fix, func(docs []document.Document) error { return w.index.Put(ctx, docs) })
}

// indexHashes reads the index's document hashes, a panic or fault reading
// it becoming an error.
func (a *App) indexHashes(ctx context.Context, w *workspace) (m map[string]string, err error) {
	defer guardDerived(&err)()
	return w.index.Hashes(ctx)
}

// indexSegments checks the index's segment files against their checksums,
// a panic or fault reading them becoming an error.
func (a *App) indexSegments(ctx context.Context, w *workspace) (out []string, err error) {
	defer guardDerived(&err)()
	return w.index.VerifySegments(ctx)
}

// graphDocs reads the graph's document hashes, a panic or fault reading it
// becoming an error.
func (a *App) graphDocs(ctx context.Context, w *workspace) (m map[string]string, err error) {
	defer guardDerived(&err)()
	return w.graph().Docs(ctx)
}

// graphCheck runs the graph's own consistency check, a panic or fault
// becoming an error.
func (a *App) graphCheck(ctx context.Context, w *workspace) (out []string, err error) {
	defer guardDerived(&err)()
	probs, err := w.graph().Check(ctx)
	for _, p := range probs {
		out = append(out, fmt.Sprint(p))
	}
	return out, err
}

// reopenIndex closes the workspace (which must be held only by the caller,
// through release), sets its index aside and opens it again with an empty
// index. It returns the name the old index was moved to.
func (a *App) reopenIndex(w *workspace, release func()) (*workspace, func(), string, error) {
	release()
	a.mu.Lock()
	busy := w.refs > 0
	if !busy {
		a.recent.Remove(w.name) // retires it through onEvict
		if a.open[w.name] == w {
			a.retire(w)
		}
	}
	a.mu.Unlock()
	a.closePending() // its files are closed before they are set aside
	if busy {
		return nil, nil, "", inUsef("workspace %s is in use; close the other Engram windows or commands and repair again", w.name)
	}
	aside, err := setAside(indexDir(w.dir))
	if err != nil {
		return nil, nil, "", err
	}
	nw, nrelease, err := a.acquire(w.name)
	return nw, nrelease, aside, err
}

// resetGraph closes an unreadable graph and opens a new one in its place,
// the old file set aside; it returns the old file's new name.
func (a *App) resetGraph(w *workspace, why error) (string, error) {
	if g := w.graph(); g != nil {
		_ = g.Close()
	}
	w.gs.Store(&graphState{err: why})
	return a.reopenGraph(w)
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
// Damaged documents are left out (the check names them).
func (a *App) reload(ws string, ids []string, fn func([]document.Document) error) error {
	const batch = 1000
	for i := 0; i < len(ids); i += batch {
		docs, err := a.store.Documents(ws, ids[i:min(i+batch, len(ids))])
		if err != nil && !errors.Is(err, store.ErrCorrupt) {
			return err
		}
		if err := fn(docs); err != nil {
			return err
		}
	}
	return nil
}

// reopenGraph moves an unreadable graph file aside and opens a new one.
// Two repairs of one workspace take turns on w.repair, not on App.mu: the
// file work does not block the container. It returns the old file's new
// name ("" when another repair already replaced it).
func (a *App) reopenGraph(w *workspace) (string, error) {
	w.repair.Lock()
	defer w.repair.Unlock()
	if w.graph() != nil {
		return "", nil
	}
	p := graphPath(w.dir)
	aside, err := setAside(p)
	if err != nil {
		return "", err
	}
	g, err := openGraph(p)
	if err != nil {
		return aside, err
	}
	w.gs.Store(&graphState{g: g})
	return aside, nil
}

// setAside records a derived file a repair renamed.
func (r *DoctorReport) setAside(path string) {
	if path != "" {
		r.SetAside = append(r.SetAside, path)
	}
}

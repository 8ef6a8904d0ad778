package app

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

// workspace is one open knowledge base: its search index and graph, both
// derived from the store. refs counts callers using it; an evicted
// workspace closes when its last caller releases it.
type workspace struct {
	name  string
	dir   string
	index *search.Index
	gs    atomic.Pointer[graphState] // swapped whole by doctor's repair
	// repair serialises doctor's reopening of the graph (reopenGraph).
	repair sync.Mutex

	refs    int  // guarded by App.mu
	evicted bool // guarded by App.mu
	// ready is closed when the open of index and graph (run outside App.mu,
	// by the first caller) has ended; openErr is then why it failed. Other
	// callers of the same name wait on ready: one open in flight per name.
	ready   chan struct{}
	openErr error
	// closed is closed when the workspace's files are closed (outside
	// App.mu): an open of the same name waits for it first.
	closed chan struct{}
	// suspect is set when reading the index or graph failed: close then
	// does not mark them clean, so the next open checks them.
	suspect atomic.Bool
}

// graphState is a workspace's graph, or why it could not be opened.
type graphState struct {
	g   *graph.Graph
	err error
}

// graph is the workspace's graph; nil when it could not be opened (see
// graphErr), and search goes on text-only.
func (w *workspace) graph() *graph.Graph { return w.gs.Load().g }

// graphErr is why the graph could not be opened.
func (w *workspace) graphErr() error { return w.gs.Load().err }

// close closes the graph and the index. When both were open and closed
// without error, it marks them clean, so the next open need not check them
// (see derivedClean).
func (w *workspace) close() error {
	var errs []error
	g := w.graph()
	if g != nil {
		errs = append(errs, g.Close())
	}
	if w.index != nil {
		errs = append(errs, w.index.Close())
	}
	err := errors.Join(errs...)
	if err == nil && g != nil && w.index != nil && !w.suspect.Load() {
		markDerivedClean(w.dir)
	}
	return err
}

func (a *App) workspaceDir(name string) string {
	return filepath.Join(a.cfg.DataDir, "workspaces", name)
}

func indexDir(wsDir string) string  { return filepath.Join(wsDir, "index") }
func graphPath(wsDir string) string { return filepath.Join(wsDir, "graph.db") }

// ErrClosed means the container was closed.
var ErrClosed = errors.New("engram is shutting down")

// acquire opens (or finds) a workspace and holds it open until release is
// called. A workspace in use is never closed under its caller, even when the
// LRU evicts it. App.mu is never held across disk work: the first caller of
// a name opens its index and graph outside it while later callers of that
// name wait for the same open, and callers of other workspaces go on.
func (a *App) acquire(name string) (*workspace, func(), error) {
	if name == "" {
		name = a.cfg.Workspace
	}
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil, nil, ErrClosed
	}
	w, ok := a.open[name]
	if !ok {
		// This caller opens it; a close of the same name still in
		// progress ends first (the graph file's lock is the process's).
		w = &workspace{name: name, dir: a.workspaceDir(name), ready: make(chan struct{}), closed: make(chan struct{})}
		prev := a.closing[name]
		a.open[name] = w
		w.refs++
		a.mu.Unlock()
		if prev != nil {
			<-prev
		}
		err := a.fill(w)
		a.mu.Lock()
		w.openErr = err
		close(w.ready)
		if err != nil {
			w.refs--
			if a.open[name] == w {
				delete(a.open, name)
			}
			close(w.closed)
			a.mu.Unlock()
			return nil, nil, err
		}
	} else {
		w.refs++
		a.mu.Unlock()
		<-w.ready
		a.mu.Lock()
		if w.openErr != nil {
			w.refs--
			a.mu.Unlock()
			return nil, nil, w.openErr
		}
	}
	w.evicted = false
	if _, ok := a.recent.Get(name); !ok {
		a.recent.Add(name, w) // may evict another idle workspace
	}
	a.mu.Unlock()
	a.closePending()
	var once atomic.Bool
	release := func() {
		if !once.CompareAndSwap(false, true) {
			return
		}
		a.unref(w)
	}
	return w, release, nil
}

// unref gives back one hold on w, retiring it when it was the last hold of
// an evicted workspace.
func (a *App) unref(ws ...*workspace) {
	a.mu.Lock()
	for _, w := range ws {
		w.refs--
		if w.refs == 0 && w.evicted && a.open[w.name] == w {
			a.retire(w)
		}
	}
	a.mu.Unlock()
	a.closePending()
}

// releaseMapped has the store and every open workspace give back the pages
// of the files they map (internal/mapped), each holding its maps in place
// meanwhile; a workspace still opening is left for the next time. The
// store and each workspace are released on goroutines of their own, each
// skipped while its last release still runs: a bbolt read transaction
// waits while a writer grows the file, and the others' pages must not pile
// up behind it.
func (a *App) releaseMapped() {
	a.releasing.start("", func() { _, _ = a.store.ReleaseMapped() })
	a.mu.Lock()
	var held []*workspace
	for _, w := range a.open {
		select {
		case <-w.ready:
		default:
			continue
		}
		if w.openErr == nil {
			w.refs++
			held = append(held, w)
		}
	}
	a.mu.Unlock()
	for _, w := range held {
		started := a.releasing.start("workspace\x00"+w.name, func() {
			defer a.unref(w)
			_, _ = w.index.ReleaseMapped()
			if g := w.graph(); g != nil {
				_, _ = g.ReleaseMapped()
			}
		})
		if !started {
			a.unref(w)
		}
	}
}

// releases runs the releases of mapped files (App.releaseMapped), one at a
// time per key.
type releases struct {
	mu      sync.Mutex
	running map[string]bool
	wg      sync.WaitGroup
}

// start runs fn on a goroutine unless the release named key still runs;
// it says whether it started.
func (r *releases) start(key string, fn func()) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.running[key] {
		return false
	}
	if r.running == nil {
		r.running = map[string]bool{}
	}
	r.running[key] = true
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer func() {
			r.mu.Lock()
			delete(r.running, key)
			r.mu.Unlock()
		}()
		fn()
	}()
	return true
}

// wait waits for the releases that run.
func (r *releases) wait() { r.wg.Wait() }

// fill checks that w's workspace exists and opens its index and graph
// into w. It runs outside App.mu; the hook, when set (tests), runs first.
func (a *App) fill(w *workspace) error {
	if a.openHook != nil {
		a.openHook(w.name)
	}
	exists, err := a.store.HasWorkspace(w.name)
	if err != nil {
		return err
	}
	if !exists {
		return fmt.Errorf("%w %q; create it with `engram workspace create %s`", store.ErrNoWorkspace, w.name, w.name)
	}
	opened, err := a.openWorkspace(w.name)
	if err != nil {
		return err
	}
	w.index = opened.index
	w.gs.Store(opened.gs.Load())
	return nil
}

// retire, under App.mu, takes an open workspace out of the open set and
// queues it for closePending to close outside the lock.
func (a *App) retire(w *workspace) {
	delete(a.open, w.name)
	a.closing[w.name] = w.closed
	a.toClose = append(a.toClose, w)
}

// closePending closes the workspaces retire queued, outside App.mu. Call
// it after unlocking wherever the LRU may have evicted (Add, Remove, Purge).
func (a *App) closePending() {
	a.mu.Lock()
	ws := a.toClose
	a.toClose = nil
	a.mu.Unlock()
	for _, w := range ws {
		a.closeRetired(w)
	}
}

// closeRetired closes w's files and then says so to an open of the same
// name that waits.
func (a *App) closeRetired(w *workspace) error {
	err := w.close()
	a.mu.Lock()
	if a.closing[w.name] == w.closed {
		delete(a.closing, w.name)
	}
	a.mu.Unlock()
	close(w.closed)
	return err
}

// onEvict runs under a.mu (inside recent.Add or Remove): an idle workspace
// is retired now (closed by closePending), a busy one when its last caller
// releases it.
func (a *App) onEvict(name string, w *workspace) {
	w.evicted = true
	if w.refs == 0 && a.open[name] == w {
		a.retire(w)
	}
}

// openWorkspace opens the index, then the graph. A graph that fails to open
// leaves the workspace degraded (text-only search), not down; an index that
// fails is a DerivedDamagedError. Files not left by a clean close are
// checked in a child process first (checkDerived), since a damaged one can
// crash the process where no recover reaches.
func (a *App) openWorkspace(name string) (*workspace, error) {
	dir := a.workspaceDir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating workspace directory: %w", err)
	}
	// An index found damaged stays so until its files change (doctor sets
	// it aside): later calls get the same answer without a new check.
	sig := derivedSignature(dir)
	if m, ok := a.damaged.Get(name); ok && maps.Equal(m.sig, sig) {
		return nil, m.err
	}
	var idxErr, graphErr error
	if !derivedClean(dir) {
		// The two checks are independent: run them at once.
		done := make(chan struct{})
		go func() {
			defer close(done)
			graphErr = checkDerived(whatGraph, graphPath(dir))
		}()
		idxErr = checkDerived(whatIndex, indexDir(dir))
		<-done
	}
	if idxErr == nil {
		var idx *search.Index
		if idx, idxErr = openIndex(indexDir(dir)); idxErr == nil {
			return a.openGraphOf(name, dir, idx, graphErr), nil
		}
	}
	a.damaged.Add(name, damageMemo{sig: sig, err: idxErr})
	return nil, idxErr
}

// openGraphOf completes a workspace whose index is open with its graph,
// unless the check found the graph damaged (graphErr).
func (a *App) openGraphOf(name, dir string, idx *search.Index, graphErr error) *workspace {
	w := &workspace{name: name, dir: dir, index: idx}
	var g *graph.Graph
	err := graphErr
	if err == nil {
		g, err = openGraph(graphPath(dir))
	}
	w.gs.Store(&graphState{g: g, err: err})
	return w
}

// damageMemo is a workspace's index found damaged, and the signature of
// its derived files then (derivedSignature).
type damageMemo struct {
	sig map[string][2]int64
	err error
}

// WorkspaceInfo describes a workspace for listings.
type WorkspaceInfo struct {
	Name      string `json:"name"`
	Documents int    `json:"documents"`
	Default   bool   `json:"default"`
	Open      bool   `json:"open"`
}

// Workspaces lists the workspaces with their document counts.
func (a *App) Workspaces() ([]WorkspaceInfo, error) {
	wss, err := a.store.Workspaces()
	if err != nil {
		return nil, err
	}
	out := make([]WorkspaceInfo, 0, len(wss))
	a.mu.Lock()
	openNow := map[string]bool{}
	for n := range a.open {
		openNow[n] = true
	}
	a.mu.Unlock()
	for _, w := range wss {
		n, _ := a.store.CountDocuments(w.Name)
		out = append(out, WorkspaceInfo{Name: w.Name, Documents: n, Default: w.Name == a.cfg.Workspace, Open: openNow[w.Name]})
	}
	return out, nil
}

// CreateWorkspace adds an empty workspace.
func (a *App) CreateWorkspace(name string) error {
	return a.store.CreateWorkspace(name, false)
}

// EnsureWorkspace adds an empty workspace unless it is there.
func (a *App) EnsureWorkspace(name string) error {
	return a.store.CreateWorkspace(name, true)
}

// DeleteWorkspace removes a workspace, its index and its graph. The default
// workspace cannot be deleted; a workspace in use elsewhere in this process
// is refused.
func (a *App) DeleteWorkspace(name string) error {
	if name == DefaultWorkspace {
		return inUsef("the %s workspace is the default and cannot be deleted", DefaultWorkspace)
	}
	a.mu.Lock()
	if w, ok := a.open[name]; ok {
		if w.refs > 0 {
			a.mu.Unlock()
			return inUsef("workspace %s is in use; try again when its work is done", name)
		}
		a.recent.Remove(name) // retires it through onEvict
	}
	a.mu.Unlock()
	a.closePending()
	if err := a.store.DeleteWorkspace(name); err != nil {
		return err
	}
	a.sem.forget(name)
	return os.RemoveAll(a.workspaceDir(name))
}

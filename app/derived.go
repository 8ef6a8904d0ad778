package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

// ErrDerivedDamaged means a workspace's search index or graph is damaged.
// Both are derived from the store: `engram doctor --repair` sets the
// damaged one aside and rebuilds it. DerivedDamagedError wraps it.
var ErrDerivedDamaged = errors.New("derived state is damaged")

// DerivedDamagedError says which derived file is damaged and how.
type DerivedDamagedError struct {
	What   string // "search index" or "graph"
	Path   string
	Detail string
}

func (e *DerivedDamagedError) Error() string {
	what := "index damaged"
	if e.What == whatGraph {
		what = "graph damaged"
	}
	return fmt.Sprintf("the %s %s is damaged (%s): %s, run `engram doctor --repair` to set it aside and rebuild it from the store", e.What, e.Path, e.Detail, what)
}

func (e *DerivedDamagedError) Unwrap() error { return ErrDerivedDamaged }

const (
	whatIndex = "search index"
	whatGraph = "graph"
)

// guardDerived turns a panic or a memory fault while reading derived state
// (Bleve's segments and bbolt's pages are memory-mapped; a truncated file
// faults, a damaged one trips their asserts) into a DerivedDamagedError on
// *err. Use it as `defer guardDerived(&err)()` at the top of a method with
// a named error result.
func guardDerived(err *error) func() {
	old := debug.SetPanicOnFault(true)
	return func() {
		debug.SetPanicOnFault(old)
		if v := recover(); v != nil {
			*err = &DerivedDamagedError{What: "search index or graph", Path: "of this workspace", Detail: fmt.Sprint(v)}
		}
	}
}

// A check of derived files runs in a child process (this binary again,
// with ENGRAM_WORKER=derived-check), because Bleve and bbolt read on
// goroutines of their own (merges, bbolt's page walk) where a damaged file
// panics beyond any recover. It runs when the files are not as the last
// clean close left them (derivedClean).
const (
	envWorker      = "ENGRAM_WORKER"
	derivedWorker  = "derived-check"
	envDerivedKind = "ENGRAM_DERIVED_KIND"
	envDerivedPath = "ENGRAM_DERIVED_PATH"
)

// The check worker's entry, in any binary that links the container.
func init() {
	if os.Getenv(envWorker) == derivedWorker {
		os.Exit(derivedCheckMain(os.Getenv(envDerivedKind), os.Getenv(envDerivedPath), os.Stderr))
	}
}

func derivedCheckMain(kind, path string, errOut io.Writer) int {
	var err error
	switch kind {
	case whatIndex:
		err = checkIndex(path)
	case whatGraph:
		err = checkGraph(path)
	default:
		err = fmt.Errorf("unknown derived state %q", kind)
	}
	if err != nil {
		fmt.Fprintln(errOut, err)
		return 1
	}
	return 0
}

// checkIndex opens the index in dir and reads all of it that a search can
// reach: its bbolt root, the count, every document's stored hash, a broad
// search with facets.
func checkIndex(dir string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if root := filepath.Join(dir, "store", "root.bolt"); fileExists(root) {
		if err := store.CheckBoltFile(root); err != nil {
			return err
		}
	}
	idx, err := search.Open(dir, search.Options{})
	if err != nil {
		return err
	}
	defer idx.Close()
	ctx := context.Background()
	if _, err := idx.Count(); err != nil {
		return err
	}
	if _, err := idx.Hashes(ctx); err != nil {
		return err
	}
	for _, q := range []string{"a*", "e*", "s*"} {
		if _, err := idx.Search(ctx, search.Request{Query: q, Limit: 200, Facets: true}); err != nil {
			return err
		}
	}
	return nil
}

// checkGraph opens the graph file and reads it whole.
func checkGraph(path string) error {
	if !fileExists(path) {
		return nil
	}
	if err := store.CheckBoltFile(path); err != nil {
		return err
	}
	g, err := graph.Open(path, graph.Options{})
	if err != nil {
		return err
	}
	defer g.Close()
	ctx := context.Background()
	if _, err := g.Docs(ctx); err != nil {
		return err
	}
	_, err = g.Check(ctx)
	return err
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// checkDerived runs the check of one derived file in a child and returns a
// DerivedDamagedError when it fails or crashes.
func checkDerived(what, path string) error {
	if !fileExists(path) {
		return nil // to be created; nothing to check
	}
	exe, err := os.Executable()
	if err != nil {
		return nil // no way to check apart; the in-process guards remain
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe)
	cmd.Env = append(os.Environ(), envWorker+"="+derivedWorker, envDerivedKind+"="+what, envDerivedPath+"="+path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		detail := strings.TrimSpace(stderr.String())
		if detail == "" {
			detail = err.Error()
		}
		lines := strings.SplitN(detail, "\n", 3)
		return &DerivedDamagedError{What: what, Path: path, Detail: strings.Join(lines[:min(2, len(lines))], " ")}
	}
	return nil
}

// openIndex opens a workspace's index, a panic or fault becoming an error.
func openIndex(dir string) (idx *search.Index, err error) {
	defer guardDerived(&err)()
	idx, err = search.Open(dir, search.Options{})
	if err != nil {
		return nil, &DerivedDamagedError{What: whatIndex, Path: dir, Detail: err.Error()}
	}
	return idx, nil
}

// openGraph opens a workspace's graph, a panic or fault becoming an error.
func openGraph(path string) (g *graph.Graph, err error) {
	defer guardDerived(&err)()
	return graph.Open(path, graph.Options{})
}

// derivedMarker is the file a clean close of a workspace leaves beside its
// index and graph: their files' sizes and modification times then.
func derivedMarker(wsDir string) string { return filepath.Join(wsDir, "derived.clean") }

// derivedSignature lists the index's files and the graph's file with their
// sizes and modification times.
func derivedSignature(wsDir string) map[string][2]int64 {
	sig := map[string][2]int64{}
	add := func(p string, info fs.FileInfo) {
		rel, _ := filepath.Rel(wsDir, p)
		sig[rel] = [2]int64{info.Size(), info.ModTime().UnixNano()}
	}
	_ = filepath.WalkDir(indexDir(wsDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				add(p, info)
			}
		}
		return nil
	})
	if info, err := os.Stat(graphPath(wsDir)); err == nil {
		add(graphPath(wsDir), info)
	}
	return sig
}

// derivedClean reports whether the workspace's derived files are as its
// last clean close left them, and forgets that: until the next clean close
// they are in use.
func derivedClean(wsDir string) bool {
	raw, err := os.ReadFile(derivedMarker(wsDir))
	_ = os.Remove(derivedMarker(wsDir))
	if err != nil {
		return false
	}
	var was map[string][2]int64
	if json.Unmarshal(raw, &was) != nil {
		return false
	}
	now := derivedSignature(wsDir)
	if len(now) != len(was) {
		return false
	}
	for k, v := range now {
		if was[k] != v {
			return false
		}
	}
	return true
}

// markDerivedClean records the derived files as a clean close left them.
func markDerivedClean(wsDir string) {
	raw, _ := json.Marshal(derivedSignature(wsDir))
	_ = os.WriteFile(derivedMarker(wsDir), raw, 0o600)
}

// setAside renames a damaged derived file or folder to path.broken-TIME, so
// a new one can be built in its place; nothing is deleted. It returns the
// new name ("" when there was nothing at path).
func setAside(path string) (string, error) {
	if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	aside := fmt.Sprintf("%s.broken-%s", path, time.Now().UTC().Format("20060102T150405.000Z"))
	if err := os.Rename(path, aside); err != nil {
		return "", fmt.Errorf("setting the damaged %s aside: %w", filepath.Base(path), err)
	}
	return aside, nil
}

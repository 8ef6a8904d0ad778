package graph

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	cgraph "github.com/cayleygraph/cayley/graph"
	ckv "github.com/cayleygraph/cayley/graph/kv"
	"github.com/engram-app/engram/store/kvbolt"
	"github.com/hidal-go/hidalgo/kv"
	"go.etcd.io/bbolt"
)

// Node is an entity of the graph.
type Node struct {
	ID      string   `json:"id"`   // "<kind>:<key>", e.g. "person:jeff.skilling@enron.com"
	Kind    Kind     `json:"kind"` // may be left empty in a Contribution: the ID's prefix
	Name    string   `json:"name"` // display name: a person's name, a note's title
	Aliases []string `json:"aliases,omitempty"`
}

// Edge is a relation between two nodes, by ID.
type Edge struct {
	From      string    `json:"from"`
	To        string    `json:"to"`
	Predicate Predicate `json:"predicate"`
}

// Contribution is everything one document (or memory) says to the graph.
type Contribution struct {
	DocID string // the document or memory ID
	Hash  string // the content hash it was derived from, kept for doctor
	Nodes []Node
	Edges []Edge
}

// Options configure Open.
type Options struct {
	// Timeout is how long Open waits for another process's lock on the file;
	// zero means kvbolt.DefaultTimeout (one second).
	Timeout time.Duration
}

// Graph is the entity graph, a Cayley quad store in a bbolt file plus side
// buckets for counts, contributions and names. It is safe for concurrent use:
// reads run alongside one write at a time.
type Graph struct {
	db     *kvbolt.DB
	kv     *bindKV
	qs     atomic.Pointer[ckv.QuadStore]
	mu     sync.Mutex // serialises writes and Close
	closed atomic.Bool
	// promised are the writes promised and not yet made (Promise); reads
	// and writes wait for them, or for done, closed by Close.
	promised promises
	done     chan struct{}
}

// Open opens the graph in the bbolt file at path, creating and initialising
// it when missing. It fails after opts.Timeout when another process has the
// file open.
func Open(path string, opts Options) (*Graph, error) {
	db, err := kvbolt.Open(path, &bbolt.Options{Timeout: opts.Timeout})
	if err != nil {
		return nil, fmt.Errorf("opening graph: %w", err)
	}
	g := &Graph{db: db, kv: &bindKV{db: db}, done: make(chan struct{})}
	g.promised.wanted = make(chan struct{}, 1)
	if err := g.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("opening graph %s: %w", path, err)
	}
	return g, nil
}

func (g *Graph) init() error {
	err := g.db.Bolt().Update(func(tx *bbolt.Tx) error {
		for _, name := range sideBuckets() {
			if _, err := tx.CreateBucketIfNotExists([]byte(name)); err != nil {
				return err
			}
		}
		meta := tx.Bucket([]byte(bucketMeta))
		switch v := meta.Get([]byte("version")); {
		case v == nil:
			return meta.Put([]byte("version"), []byte(layoutVersion))
		case string(v) == "1" || string(v) == "2":
			if string(v) == "1" {
				if err := migrateLayout1(tx); err != nil {
					return fmt.Errorf("migrating layout 1 to %s: %w", layoutVersion, err)
				}
			}
			if err := fillEdgesIn(tx); err != nil {
				return fmt.Errorf("migrating layout %s to %s: %w", v, layoutVersion, err)
			}
			return meta.Put([]byte("version"), []byte(layoutVersion))
		case string(v) != layoutVersion:
			return fmt.Errorf("layout version %q, want %q", v, layoutVersion)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if _, err := ckv.New(g.kv, cayleyOptions()); errors.Is(err, cgraph.ErrNotInitialized) {
		if err := ckv.Init(g.kv, cgraph.Options{}); err != nil {
			return fmt.Errorf("initialising cayley: %w", err)
		}
	}
	return g.reloadQuadStore()
}

// cayleyOptions turns off Cayley's in-memory bloom filters: they take
// hundreds of megabytes, and Replace already knows which quads are new.
func cayleyOptions() cgraph.Options {
	return cgraph.Options{ckv.OptNoBloom: true}
}

// reloadQuadStore opens a fresh Cayley quad store over the file. It is called
// at Open and after a failed write, since Cayley caches values by ID and a
// rolled-back transaction may leave that cache wrong.
func (g *Graph) reloadQuadStore() error {
	qs, err := ckv.New(g.kv, cayleyOptions())
	if err != nil {
		return fmt.Errorf("opening cayley: %w", err)
	}
	cqs, ok := qs.(*ckv.QuadStore)
	if !ok {
		return fmt.Errorf("unexpected cayley store %T", qs)
	}
	g.qs.Store(cqs)
	return nil
}

// Close closes the file. It waits for running reads, is safe to call more
// than once, and every later call of another method returns ErrClosed.
func (g *Graph) Close() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed.Swap(true) {
		return nil
	}
	close(g.done) // calls waiting for a promise end with ErrClosed
	if err := g.db.Close(); err != nil {
		return fmt.Errorf("closing graph: %w", err)
	}
	return nil
}

// begin checks that g is open and ctx is live.
func (g *Graph) begin(ctx context.Context) error {
	if g.closed.Load() {
		return ErrClosed
	}
	return ctx.Err()
}

// bindKV is the kv.KV Cayley sees. While a write is bound to a bbolt
// transaction, Cayley's read-write transactions join it, so Cayley's quads
// and the side buckets commit together or not at all.
type bindKV struct {
	db *kvbolt.DB
	mu sync.Mutex
	tx *bbolt.Tx
}

var _ kv.KV = (*bindKV)(nil)

func (b *bindKV) Tx(rw bool) (kv.Tx, error) {
	if rw {
		b.mu.Lock()
		tx := b.tx
		b.mu.Unlock()
		if tx != nil {
			return kvbolt.Borrow(tx), nil
		}
	}
	return b.db.Tx(rw)
}

// Close closes the file; Graph.Close calls it, Cayley does not.
func (b *bindKV) Close() error {
	return b.db.Close()
}

// bind makes Cayley's read-write transactions join tx until unbind is called.
func (b *bindKV) bind(tx *bbolt.Tx) (unbind func()) {
	b.mu.Lock()
	b.tx = tx
	b.mu.Unlock()
	return func() {
		b.mu.Lock()
		b.tx = nil
		b.mu.Unlock()
	}
}

// ReleaseMapped drops from this process's resident set the pages of the
// graph file its map holds; they stay in the page cache (internal/mapped).
func (g *Graph) ReleaseMapped() (int64, error) {
	if g.closed.Load() {
		return 0, nil
	}
	return g.db.ReleaseMapped()
}

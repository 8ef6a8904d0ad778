package graph

import (
	"context"
	"sync"
)

// promises are the writes callers have promised to make (Graph.Promise) and
// not yet settled: write-behind, with every read and write that begins
// after a promise waiting for it. Each open promise is a channel that its
// settle closes.
type promises struct {
	mu   sync.Mutex
	open map[chan struct{}]struct{}
	// wanted gets a token when a read or write begins to wait for open
	// promises (Wanted).
	wanted chan struct{}
}

// writingKey marks a context of a promised write (see Writing).
type writingKey struct{}

// Writing returns ctx marked as the context of a promised write: what the
// write does on it (its reads of the contributions it compares against, its
// writes) does not wait for promises, its own among them.
func Writing(ctx context.Context) context.Context {
	return context.WithValue(ctx, writingKey{}, true)
}

// Promise tells g that the caller will write to it later, on another
// goroutine, and returns the settle function it must call once that write
// has ended, applied or failed; settling twice is harmless. Every read and
// write that begins after Promise returns waits until the promise is
// settled, so a caller may answer before its write is on disk (a memory
// added, its graph to follow) while whoever reads the graph next still sees
// the write, and a later write is never overtaken by it.
func (g *Graph) Promise() (settle func()) {
	ch := make(chan struct{})
	p := &g.promised
	p.mu.Lock()
	if p.open == nil {
		p.open = map[chan struct{}]struct{}{}
	}
	p.open[ch] = struct{}{}
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			delete(p.open, ch)
			p.mu.Unlock()
			close(ch)
		})
	}
}

// Wanted gets a token when a read or write begins to wait for the open
// promises: a promised write that waits to gather more work before it
// starts (the memory graph's, in app) should then start at once.
func (g *Graph) Wanted() <-chan struct{} { return g.promised.wanted }

// beginAfterPromises is begin for a read or write: it then waits until
// every promise open when it began has been settled, unless ctx is a
// promised write's (Writing). The wait ends early with ctx, or with
// ErrClosed when the graph closes.
func (g *Graph) beginAfterPromises(ctx context.Context) error {
	if err := g.begin(ctx); err != nil {
		return err
	}
	if ctx.Value(writingKey{}) != nil {
		return nil
	}
	p := &g.promised
	p.mu.Lock()
	pending := make([]chan struct{}, 0, len(p.open))
	for ch := range p.open { // every one is waited for: the order is moot
		pending = append(pending, ch)
	}
	p.mu.Unlock()
	if len(pending) > 0 {
		select {
		case p.wanted <- struct{}{}:
		default: // a token is there already
		}
	}
	for _, ch := range pending {
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-g.done:
			return ErrClosed
		}
	}
	return nil
}

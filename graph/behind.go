package graph

import (
	"context"
	"sync"
)

// promises are the writes a caller has promised to make (Graph.Promise):
// write-behind, with every read that begins after a promise waiting for it.
// A ticket is a promise's number; open holds those not yet settled.
type promises struct {
	mu   sync.Mutex
	last uint64
	open map[uint64]struct{}
	// settled is closed, and replaced, whenever a promise settles or the
	// graph closes, to wake the reads that wait.
	settled chan struct{}
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
	p := &g.promised
	p.mu.Lock()
	p.last++
	t := p.last
	if p.open == nil {
		p.open = map[uint64]struct{}{}
	}
	p.open[t] = struct{}{}
	p.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			p.mu.Lock()
			delete(p.open, t)
			p.wakeLocked()
			p.mu.Unlock()
		})
	}
}

// wakeLocked wakes the waiting reads.
func (p *promises) wakeLocked() {
	if p.settled != nil {
		close(p.settled)
		p.settled = nil
	}
}

// beginAfterPromises is begin for a read or write: it then waits until
// every promise made before it has been settled, unless ctx is a promised
// write's (Writing).
func (g *Graph) beginAfterPromises(ctx context.Context) error {
	if err := g.begin(ctx); err != nil {
		return err
	}
	if ctx.Value(writingKey{}) != nil {
		return nil
	}
	p := &g.promised
	p.mu.Lock()
	upTo := p.last
	for {
		pending := false
		for t := range p.open {
			if t <= upTo {
				pending = true
				break
			}
		}
		if !pending {
			p.mu.Unlock()
			return nil
		}
		// Close marks the graph closed before it wakes the waiting reads
		// under p.mu, so a read that sees it open here is woken.
		if g.closed.Load() {
			p.mu.Unlock()
			return ErrClosed
		}
		if p.settled == nil {
			p.settled = make(chan struct{})
		}
		wake := p.settled
		p.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
			return ctx.Err()
		}
		p.mu.Lock()
	}
}

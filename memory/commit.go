package memory

import (
	"fmt"
	"sync"

	"github.com/engram-app/engram/store"
)

// A write to a user's memories is decided and applied to the user's index
// under the user's lock, then committed to the store after the lock is
// released: the next write of the same user decides on the index, which
// already holds this one, while this one's commit is on its way. The
// committer writes the changes in the order they were decided, all the
// writes waiting at a time in one store transaction (group commit: one
// fsync for many callers), and each caller waits for its own to be durable
// before it has its answer.
//
// A failed commit must not leave the index ahead of the store: the index
// the write was decided on is marked dead (with the error), so every later
// write decided on it fails as well, before it is written, and the next
// call rebuilds the index from the store. A rebuild (the index evicted from
// the cache, or dead) first waits until none of the user's writes is
// queued or in flight, so it reads them all from the store.
type committer struct {
	st *store.Store

	mu      sync.Mutex
	writing bool            // a leader is writing (or about to)
	queue   []*pendingWrite // decided, not yet taken by a leader
	pending map[Key]int     // writes queued or in flight, by key
	settled *sync.Cond      // broadcast when pending falls for some key
}

// pendingWrite is one decided write on its way to the store.
type pendingWrite struct {
	k       Key
	ix      *userIndex
	changes []store.MemoryChange
	// done gets the caller's turn: to lead the next transaction, or the
	// write's outcome. Buffered: a turn is never waited for by its sender.
	done chan turn
}

type turn struct {
	lead bool
	err  error
}

func newCommitter(st *store.Store) *committer {
	c := &committer{st: st, pending: map[Key]int{}}
	c.settled = sync.NewCond(&c.mu)
	return c
}

// submit queues p; the caller then waits for it with wait. The first
// writer when none is writing leads.
func (c *committer) submit(p *pendingWrite) {
	c.mu.Lock()
	c.queue = append(c.queue, p)
	c.pending[p.k]++
	lead := !c.writing
	c.writing = true
	c.mu.Unlock()
	if lead {
		p.done <- turn{lead: true}
	}
}

// wait returns p's outcome, writing a transaction first when p is handed
// the lead. It takes no user's lock, so a caller may hold one.
func (c *committer) wait(p *pendingWrite) error {
	t := <-p.done
	if t.lead {
		c.write()
		t = <-p.done
	}
	return t.err
}

// write commits everything queued in one transaction, tells each writer
// its outcome and hands the lead to the first writer queued meanwhile, so
// that no caller writes more than the transaction it is in.
func (c *committer) write() {
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()

	errs := c.apply(batch)

	c.mu.Lock()
	for _, p := range batch {
		if c.pending[p.k]--; c.pending[p.k] == 0 {
			delete(c.pending, p.k)
		}
	}
	var next *pendingWrite
	if len(c.queue) > 0 {
		next = c.queue[0]
	} else {
		c.writing = false
	}
	c.settled.Broadcast()
	c.mu.Unlock()
	for i, p := range batch {
		p.done <- turn{err: errs[i]}
	}
	if next != nil {
		next.done <- turn{lead: true}
	}
}

// apply writes the batch in one transaction; when it fails, each write
// alone, in order, so that one bad write fails only itself and the writes
// decided after it on the same index.
func (c *committer) apply(batch []*pendingWrite) []error {
	errs := make([]error, len(batch))
	var live []int
	for i, p := range batch {
		if errs[i] = p.ix.deadErr(); errs[i] == nil {
			live = append(live, i)
		}
	}
	writes := make([]store.MemoryWrite, 0, len(live))
	for _, i := range live {
		p := batch[i]
		writes = append(writes, store.MemoryWrite{Workspace: p.k.Workspace, User: p.k.User, Changes: p.changes})
	}
	if len(writes) == 0 || c.st.ApplyMemoryWrites(writes) == nil {
		return errs
	}
	for _, i := range live {
		p := batch[i]
		if errs[i] = p.ix.deadErr(); errs[i] != nil {
			continue
		}
		if err := c.st.ApplyMemories(p.k.Workspace, p.k.User, p.changes); err != nil {
			errs[i] = fmt.Errorf("saving memories: %w", err)
			p.ix.kill(errs[i])
		}
	}
	return errs
}

// settle waits until none of k's writes is queued or in flight.
func (c *committer) settle(k Key) {
	c.mu.Lock()
	for c.pending[k] > 0 {
		c.settled.Wait()
	}
	c.mu.Unlock()
}

// kill marks the index dead: a write decided on it failed to commit.
func (ix *userIndex) kill(err error) {
	ix.mu.Lock()
	if ix.dead == nil {
		ix.dead = err
	}
	ix.mu.Unlock()
}

// deadErr is why the index is dead (nil while it is not), wrapped for a
// write decided on it.
func (ix *userIndex) deadErr() error {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.dead == nil {
		return nil
	}
	return fmt.Errorf("an earlier write it follows was not saved: %w", ix.dead)
}

// Package changes is the change feed of one Engram process: the writes a
// face did not make itself (a memory added through MCP or the CLI, an
// import that ended) reach every open view as small events, so the view
// reloads what changed instead of waiting for the user to.
//
// A Feed has a version counter, raised by every Publish, and any number of
// subscribers, each with a bounded channel. Publish never blocks: a
// subscriber whose channel is full loses its oldest waiting event to make
// room for the newest, so a slow reader sees a gap in the versions (and
// reloads everything) rather than holding up the writer.
package changes

import (
	"sync"
)

// Kinds of change.
const (
	// Memory: a user's memories changed (add, edit, delete, undo, confirm).
	Memory = "memory"
	// Import: an import job ended (done, failed or cancelled).
	Import = "import"
)

// Buffer bounds are the range of a subscription's channel capacity: values
// outside [MinBuffer, MaxBuffer] are clamped.
const (
	MinBuffer = 1
	MaxBuffer = 1024
)

// Event is one change. Version is the feed's counter after it, from 1 up,
// never repeated within a process.
type Event struct {
	Version   uint64 `json:"version"`
	Kind      string `json:"kind"`
	Workspace string `json:"workspace"`
	// User is whose memories changed (Memory events).
	User string `json:"user,omitempty"`
	// IDs are the memories changed, or the import job's ID.
	IDs []string `json:"ids,omitempty"`
}

type subscriber struct {
	ch chan Event
}

// Feed is a change feed. The zero value is not usable; call New. It is safe
// for concurrent use.
type Feed struct {
	mu      sync.Mutex
	version uint64
	subs    []*subscriber // in subscription order
	closed  bool
}

// New returns an empty feed at version 0.
func New() *Feed { return &Feed{} }

// Version is the number of events published so far.
func (f *Feed) Version() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.version
}

// Publish stamps e with the next version and hands it to every subscriber
// without blocking, then returns it. On a closed feed it only counts.
func (f *Feed) Publish(e Event) Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.version++
	e.Version = f.version
	if f.closed {
		return e
	}
	for _, s := range f.subs {
		deliver(s.ch, e)
	}
	return e
}

// deliver sends e on ch, dropping the oldest waiting event when ch is full.
// Only Publish sends (under the feed's mutex), so after one receive there
// is room, unless the reader took it first, which is room too.
func deliver(ch chan Event, e Event) {
	select {
	case ch <- e:
		return
	default:
	}
	select {
	case <-ch:
	default:
	}
	select {
	case ch <- e:
	default:
	}
}

// Subscribe returns a channel of the events published from now on, with
// room for buffer events (clamped to [MinBuffer, MaxBuffer]), and a function
// that ends the subscription and closes the channel. Calling it twice is
// harmless. Close ends every subscription.
func (f *Feed) Subscribe(buffer int) (<-chan Event, func()) {
	buffer = max(MinBuffer, min(buffer, MaxBuffer))
	s := &subscriber{ch: make(chan Event, buffer)}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		close(s.ch)
		return s.ch, func() {}
	}
	f.subs = append(f.subs, s)
	var once sync.Once
	return s.ch, func() {
		once.Do(func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			for i, x := range f.subs {
				if x == s {
					f.subs = append(f.subs[:i], f.subs[i+1:]...)
					close(s.ch)
					return
				}
			}
		})
	}
}

// Close ends every subscription (their channels close) and refuses new
// ones; publishing afterwards only counts.
func (f *Feed) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.closed = true
	for _, s := range f.subs {
		close(s.ch)
	}
	f.subs = nil
}

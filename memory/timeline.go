package memory

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/engram-app/engram/store"
)

// Events of a review.
const (
	EventConfirm = "CONFIRM"
	EventUndo    = "UNDO"
)

// ErrNotLatest means an undo named an event that later events of the same
// memory build on: those must be undone first.
var ErrNotLatest = errors.New("not the memory's latest event")

// ErrBadEvent means an event ID is not "<memory ID>@<version>".
var ErrBadEvent = errors.New("not an event ID")

// ParseEventID splits "<memory ID>@<version>" (as in Event.EventID).
func ParseEventID(s string) (id string, version int, err error) {
	id, v, ok := strings.Cut(strings.TrimSpace(s), "@")
	n, perr := strconv.Atoi(v)
	if !ok || id == "" || perr != nil || n < 1 {
		return "", 0, fmt.Errorf("%w %q: give the event_id that `engram memory add --json` or `memory history` shows, such as 019afc3a91d2c4e87b15@2", ErrBadEvent, s)
	}
	return id, n, nil
}

// Undo reverts event (an EventID) of one of k's memories: the memory gets
// back exactly the state it had before the event, both clocks included (an
// undone ADD leaves it deleted), as a new version with event UNDO, so the
// undo is in the history too and can itself be undone. Only a memory's
// latest event can be undone (ErrNotLatest otherwise): the UNDO itself (a
// redo), or the latest event no undo has taken back, so undoing a memory's
// events newest first walks it back.
func (s *Service) Undo(ctx context.Context, k Key, event string) (*Result, error) {
	id, v, err := ParseEventID(event)
	if err != nil {
		return nil, err
	}
	return s.review(ctx, k, id, func(m store.Memory, vs []store.MemoryVersion, now time.Time) (store.Memory, store.MemoryVersion, error) {
		if latest := effectiveLatest(vs, id); v != m.Version && v != latest {
			return m, store.MemoryVersion{}, fmt.Errorf("%w: memory %s is at event %s; undo that first", ErrNotLatest, id, EventID(id, latest))
		}
		var at *store.MemoryVersion
		for i := range vs {
			if vs[i].Version == v {
				at = &vs[i]
			}
		}
		if at == nil {
			return m, store.MemoryVersion{}, fmt.Errorf("%w: event %s", ErrNotFound, event)
		}
		var nm store.Memory
		if at.Before != nil {
			nm = *at.Before
		} else {
			// Undoing the ADD: the memory was not there before.
			nm = m
			nm.State = store.MemoryDeleted
			nm.Superseded = ptr(now)
		}
		nm.Version = m.Version + 1
		nm.Updated = now
		nv := versionOf(nm, EventUndo)
		nv.Undoes = event
		nv.Source = "undo"
		nv.Before = &m
		return nm, nv, nil
	})
}

// effectiveLatest is the latest event of a memory that no undo has taken
// back: an event and the UNDO right after it cancel out, so after undoing a
// confirm the move before it can be undone too.
func effectiveLatest(vs []store.MemoryVersion, id string) int {
	i := len(vs) - 1
	for i >= 1 && vs[i].Event == EventUndo && vs[i].Undoes == EventID(id, vs[i-1].Version) {
		i -= 2
	}
	if i < 0 {
		return 0
	}
	return vs[i].Version
}

// Confirm records that the user checked one of k's current memories: a new
// version with event CONFIRM and the memory marked confirmed; nothing else
// changes.
func (s *Service) Confirm(ctx context.Context, k Key, id string) (*Result, error) {
	return s.review(ctx, k, id, func(m store.Memory, _ []store.MemoryVersion, now time.Time) (store.Memory, store.MemoryVersion, error) {
		if m.State != store.MemoryCurrent {
			return m, store.MemoryVersion{}, fmt.Errorf("%w %s for user %s (it was deleted)", ErrNotFound, id, k.User)
		}
		nm := m
		nm.Confirmed = true
		nm.Version = m.Version + 1
		nm.Updated = now
		nm.Importance = min(1, m.Importance+0.1)
		nv := versionOf(nm, EventConfirm)
		nv.Source = "confirm"
		nv.Before = &m
		return nm, nv, nil
	})
}

// review writes the version that change makes of memory id, under k's lock.
// The version that was current is retired in record time only.
func (s *Service) review(ctx context.Context, k Key, id string, change func(store.Memory, []store.MemoryVersion, time.Time) (store.Memory, store.MemoryVersion, error)) (*Result, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	ix, e, ok, err := s.lookupLocked(k, id)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%w %s for user %s; `engram memory list --all` shows their IDs", ErrNotFound, id, k.User)
	}
	vs, err := s.st.MemoryHistory(k.Workspace, k.User, id)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	nm, nv, err := change(e.m, vs, now)
	if err != nil {
		return nil, err
	}
	w := &writeSet{byID: map[string]*store.MemoryChange{}}
	old := s.version(k, w, e.m)
	closeVersion(&old, nil, now)
	w.change(nm, old, nv)
	if err := s.commit(k, ix, w); err != nil {
		return nil, err
	}
	ev := Event{Event: nv.Event, ID: id, EventID: EventID(id, nm.Version), Memory: nm.Text, Previous: e.m.Text, Kind: nm.Kind}
	return &Result{Events: []Event{ev}, Changed: w.memories()}, nil
}

// SearchAsOf answers a query from valid time: it finds k's memories as
// Search does, deleted ones included, and gives each as the version that was
// true on day asOf (its text and clocks), leaving out memories with no such
// version. A version with an unknown start counts from the end of the one
// before it (from always, for the first); one retired in record time without
// a valid-time end (a correction, a forget) was never true and does not
// count.
func (s *Service) SearchAsOf(ctx context.Context, k Key, q string, limit int, asOf time.Time) ([]Hit, error) {
	if limit <= 0 {
		limit = 10
	}
	hits, err := s.Search(ctx, k, q, 200, true)
	if err != nil {
		return nil, err
	}
	var out []Hit
	for _, h := range hits {
		vs, err := s.st.MemoryHistory(k.Workspace, k.User, h.ID)
		if err != nil {
			return nil, err
		}
		v, ok := versionAt(vs, asOf)
		if !ok {
			continue
		}
		h.Text, h.Value, h.Kind = v.Text, v.Value, v.Kind
		h.ValidFrom, h.ValidTo, h.Recorded, h.Superseded = v.ValidFrom, v.ValidTo, v.Recorded, v.Superseded
		h.Version = v.Version
		if h.State != store.MemoryCurrent {
			// It was true then; as an answer it is as good as a current one.
			h.Score *= 2
		}
		out = append(out, h)
		if len(out) == limit {
			break
		}
	}
	return out, nil
}

// versionAt is the version of a memory that was true at t in valid time.
func versionAt(vs []store.MemoryVersion, t time.Time) (store.MemoryVersion, bool) {
	var prevEnd *time.Time
	var found store.MemoryVersion
	ok := false
	for _, v := range vs {
		if v.Event == EventDelete || v.State == store.MemoryDeleted {
			continue
		}
		if v.Superseded != nil && v.ValidTo == nil {
			continue // retired without ever ending: it was a mistake
		}
		start := v.ValidFrom
		if start == nil {
			start = prevEnd
		}
		if (start == nil || !t.Before(*start)) && (v.ValidTo == nil || t.Before(*v.ValidTo)) {
			found, ok = v, true
		}
		if v.ValidTo != nil {
			prevEnd = v.ValidTo
		}
	}
	return found, ok
}

package app

import (
	"context"
	"fmt"
	"time"

	"github.com/engram-app/engram/memory"
)

// MemorySearchAsOf answers a query about user from valid time: each memory
// as the version that was true on day asOf ("where did I live on
// 2026-03-01").
func (a *App) MemorySearchAsOf(ctx context.Context, ws, user, q string, limit int, asOf time.Time) (*MemorySearchResult, error) {
	k := a.memKey(ws, user)
	if err := a.checkWorkspace(k.Workspace); err != nil {
		return nil, err
	}
	hits, err := a.mem.SearchAsOf(ctx, k, q, limit, asOf)
	if err != nil {
		return nil, err
	}
	if hits == nil {
		hits = []memory.Hit{}
	}
	return &MemorySearchResult{Hits: hits}, nil
}

// MemoryUndo reverts one event of user's memories (an event_id from
// `memory add --json` or `memory history`): the memory gets back exactly
// its state before the event, and the undo is itself in the history.
func (a *App) MemoryUndo(ctx context.Context, ws, user, event string) (*MemoryEvents, error) {
	k := a.memKey(ws, user)
	res, err := a.mem.Undo(ctx, k, event)
	if err != nil {
		return nil, err
	}
	return a.memoryWritten(ctx, k, res), nil
}

// MemoryConfirm records that user checked a machine-made memory.
func (a *App) MemoryConfirm(ctx context.Context, ws, user, id string) (*MemoryEvents, error) {
	k := a.memKey(ws, user)
	res, err := a.mem.Confirm(ctx, k, id)
	if err != nil {
		return nil, err
	}
	return a.memoryWritten(ctx, k, res), nil
}

// MemorySearchFiltered is MemorySearch with the UI's filters (see
// MemorySearchOptions); a bad date or kind is an error that says so.
func (a *App) MemorySearchFiltered(ctx context.Context, ws, user, q string, opts MemorySearchOptions) (*MemorySearchResult, error) {
	limit := opts.Limit
	if limit <= 0 {
		limit = 20
	}
	limit = min(limit, 100)
	want := limit
	if opts.Kind != "" {
		if !memory.ValidKind(opts.Kind) {
			return nil, fmt.Errorf("%w: kind %q; use place, relationship, preference, plan, feeling, work or fact", memory.ErrBadFilter, opts.Kind)
		}
		want = 200
	}
	var res *MemorySearchResult
	var err error
	if opts.AsOf != "" {
		day, perr := time.Parse("2006-01-02", opts.AsOf)
		if perr != nil {
			return nil, fmt.Errorf("%w: as-of %q is not a date; give YYYY-MM-DD", memory.ErrBadFilter, opts.AsOf)
		}
		res, err = a.MemorySearchAsOf(ctx, ws, user, q, want, day.Add(12*time.Hour))
	} else {
		res, err = a.MemorySearch(ctx, ws, user, q, want, opts.All)
	}
	if err != nil || opts.Kind == "" {
		return res, err
	}
	kept := res.Hits[:0]
	for _, h := range res.Hits {
		if h.Kind == opts.Kind && len(kept) < limit {
			kept = append(kept, h)
		}
	}
	res.Hits = kept
	return res, nil
}

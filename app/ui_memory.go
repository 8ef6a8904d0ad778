package app

import (
	"context"
	"strings"
)

// MemoryService is the memories API bound to the desktop window (and served
// by package web as /api/memories…). Every method works in workspace ws
// ("" is the default workspace); user "" means the local user. Each returns (T, error).
type MemoryService struct {
	app *App
}

// NewMemoryService binds the container a to the UI's memories view.
func NewMemoryService(a *App) *MemoryService { return &MemoryService{app: a} }

// List returns user's current memories, newest first.
func (s *MemoryService) List(ws, user string) (*MemoryList, error) {
	return s.app.MemoryList(context.Background(), ws, strings.TrimSpace(user), false)
}

// Add remembers what text says about user.
func (s *MemoryService) Add(ws, user, text string) (*MemoryEvents, error) {
	if strings.TrimSpace(text) == "" {
		return nil, invalidf("write something to remember")
	}
	return s.app.MemoryAdd(context.Background(), ws, strings.TrimSpace(user), text, "ui")
}

// Edit replaces the text of memory id with a new version.
func (s *MemoryService) Edit(ws, user, id, text string) (*MemoryEvents, error) {
	if strings.TrimSpace(text) == "" {
		return nil, invalidf("a memory cannot be empty: delete it instead")
	}
	return s.app.MemoryEdit(context.Background(), ws, strings.TrimSpace(user), id, text)
}

// Delete forgets memory id; its history keeps it.
func (s *MemoryService) Delete(ws, user, id string) (*MemoryEvents, error) {
	return s.app.MemoryDelete(context.Background(), ws, strings.TrimSpace(user), id)
}

// History returns every version of memory id.
func (s *MemoryService) History(ws, user, id string) (*MemoryHistory, error) {
	return s.app.MemoryHistory(context.Background(), ws, strings.TrimSpace(user), id)
}

// Confirm marks memory id as checked by the user (a CONFIRM version).
func (s *MemoryService) Confirm(ws, user, id string) (*MemoryEvents, error) {
	return s.app.MemoryConfirm(context.Background(), ws, strings.TrimSpace(user), id)
}

// Undo reverts an event (its event_id, "<memory id>@<version>"): the
// memory returns to its exact state before it; the undo is in the history.
func (s *MemoryService) Undo(ws, user, event string) (*MemoryEvents, error) {
	return s.app.MemoryUndo(context.Background(), ws, strings.TrimSpace(user), event)
}

// MemorySearchOptions are the filters of MemoryService.Search.
type MemorySearchOptions struct {
	// AsOf, a date (YYYY-MM-DD), answers from valid time: each memory as it
	// was true that day. Empty means now.
	AsOf string `json:"as_of,omitempty"`
	// Kind keeps one kind of memory (place, relationship, preference, plan,
	// feeling, work, fact); empty keeps all.
	Kind string `json:"kind,omitempty"`
	// All includes deleted memories (ignored with AsOf).
	All bool `json:"all,omitempty"`
	// Limit is 1 to 100; 0 means 20.
	Limit int `json:"limit,omitempty"`
}

// Search finds user's memories for a query or question, best first, with
// the filters of opts.
func (s *MemoryService) Search(ws, user, query string, opts MemorySearchOptions) (*MemorySearchResult, error) {
	return s.app.MemorySearchFiltered(context.Background(), ws, strings.TrimSpace(user), query, opts)
}

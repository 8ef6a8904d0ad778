package teamclient

import (
	"strings"

	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
)

// Memories sync as items of kind memory, keyed USER/ID, with the memory's
// text as the title and the sentence it came from as the body (the other
// desktop reads it again for the memory's kind, value and entities): the
// memory a desktop adds is
// added under the same ID on the others, an edit is a new version there,
// a deletion deletes it. Two desktops that change the same memory before
// they sync keep their own version each, and both versions stay in the
// replica and show in team status as a conflict until an edit on top of
// both, as for notes.

// StoreMemories streams the current memories of every user of ws, as
// Push wants them.
func StoreMemories(st *store.Store, ws string) func(fn func(Note) error) error {
	return func(fn func(Note) error) error {
		users, err := st.MemoryUsers(ws)
		if err != nil {
			return err
		}
		for _, u := range users {
			ms, err := st.Memories(ws, u)
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.State != store.MemoryCurrent {
					continue
				}
				said := m.Said
				if said == "" {
					said = m.Text
				}
				if err := fn(Note{Kind: syncproto.KindMemory, Key: u + "/" + m.ID, Title: m.Text, Body: said}); err != nil {
					return err
				}
			}
		}
		return nil
	}
}

// SharedMemory is a memory as another desktop made it last, for the local
// memory store to take.
type SharedMemory struct {
	User    string `json:"user"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Said    string `json:"said"` // the sentence it came from
	Deleted bool   `json:"deleted"`
}

// SharedMemories lists, sorted by user and ID, the memories of ws whose one
// current version another desktop made: the local store takes them. A
// memory in conflict is left as this desktop has it (team status shows
// both versions); one this desktop made last needs nothing.
func (c *Client) SharedMemories(ws string) ([]SharedMemory, error) {
	items, err := c.Items(ws)
	if err != nil {
		return nil, err
	}
	var out []SharedMemory
	for _, it := range items {
		if it.Kind != syncproto.KindMemory || len(it.Heads) != 1 || it.Heads[0].Device == c.device {
			continue
		}
		user, id, ok := strings.Cut(it.Key, "/")
		if !ok || user == "" || id == "" {
			continue
		}
		h := it.Heads[0]
		out = append(out, SharedMemory{User: user, ID: id, Text: h.Title, Said: h.Body, Deleted: h.Deleted})
	}
	return out, nil
}

// Join streams the items of each of streams in turn, as one.
func Join(streams ...func(fn func(Note) error) error) func(fn func(Note) error) error {
	return func(fn func(Note) error) error {
		for _, s := range streams {
			if err := s(fn); err != nil {
				return err
			}
		}
		return nil
	}
}

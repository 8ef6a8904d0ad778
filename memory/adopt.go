package memory

import (
	"context"
	"fmt"
	"strings"

	"github.com/engram-app/engram/store"
)

// Adopt makes k's memory id say text, as another desktop has it (the team
// sync), said being the sentence it came from: a memory this desktop lacks
// is added under the same ID, one whose text differs gets a new version
// (the old one kept in the history), one that already says text is left
// alone (EventNone). The extractor reads said again for the memory's kind,
// value and entities, as the other desktop did (the candidate whose text
// is text; one that says nothing it knows is a fact); source says where it
// came from ("team").
func (s *Service) Adopt(ctx context.Context, k Key, id, text, said, source string) (*Result, error) {
	if err := checkKey(k); err != nil {
		return nil, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return nil, ErrEmpty
	}
	if id == "" || len(id) > 64 || strings.ContainsAny(id, "/\x00") {
		return nil, fmt.Errorf("a memory ID is 1 to 64 bytes without / or NUL (%q)", id)
	}
	said = strings.TrimSpace(said)
	if said == "" {
		said = text
	}
	now := s.now().UTC()
	cs, err := s.extract(ctx, said, now)
	if err != nil {
		return nil, err
	}
	mu := s.lock(k)
	mu.Lock()
	defer mu.Unlock()
	ix, e, ok, err := s.lookupLocked(k, id)
	if err != nil {
		return nil, err
	}
	if ok && e.m.State == store.MemoryCurrent && e.m.Text == text {
		return &Result{Events: []Event{{Event: EventNone, ID: id, Memory: text, Kind: e.m.Kind}}}, nil
	}
	nm := store.Memory{User: k.User, Text: text, Said: said, Kind: KindFact, Source: source, Updated: now, Recorded: now, State: store.MemoryCurrent}
	for _, c := range cs {
		if !c.Retract && (c.Text == text || len(cs) == 1) {
			nm = fromCandidate(c, k, source, now)
			nm.Said = said
			if c.Text == text {
				break
			}
		}
	}
	nm.ID, nm.Text = id, text
	w := &writeSet{byID: map[string]*store.MemoryChange{}}
	if !ok {
		nm.Created, nm.Version = now, 1
		w.change(nm, versionOf(nm, EventAdd))
		if err := s.commit(k, ix, w); err != nil {
			return nil, err
		}
		return &Result{Events: []Event{{Event: EventAdd, ID: id, EventID: EventID(id, nm.Version), Memory: text, Kind: nm.Kind}}, Changed: w.memories()}, nil
	}
	m := e.m
	old := s.version(k, w, m)
	closeVersion(&old, nil, now)
	nm.Created, nm.Version = m.Created, m.Version+1
	nv := versionOf(nm, EventUpdate)
	nv.Before = &m
	w.change(nm, old, nv)
	if err := s.commit(k, ix, w); err != nil {
		return nil, err
	}
	return &Result{Events: []Event{{Event: EventUpdate, ID: id, EventID: EventID(id, nm.Version), Memory: text, Previous: m.Text, Kind: nm.Kind}}, Changed: w.memories()}, nil
}

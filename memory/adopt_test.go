package memory

import (
	"context"
	"errors"
	"testing"
)

// TestAdopt: a memory from another desktop is added under its ID with the
// kind and value its sentence gives; the same again changes nothing; a new
// text is a new version with the old one in the history; the candidate
// whose text is the memory's is taken from a sentence of two.
func TestAdopt(t *testing.T) {
	s, _ := newTestService(t, Options{})
	ctx := context.Background()
	k := Key{Workspace: "personal", User: "local"}
	res, err := s.Adopt(ctx, k, "aa11", "Lives in Oslo", "I live in Oslo", "team")
	if err != nil || len(res.Events) != 1 || res.Events[0].Event != EventAdd || res.Events[0].ID != "aa11" {
		t.Fatalf("adopting a new memory: %+v %v", res, err)
	}
	m, err := s.Get(ctx, k, "aa11")
	if err != nil || m.Kind != KindPlace || m.Value != "Oslo" || m.Said != "I live in Oslo" || m.Source != "team" {
		t.Fatalf("the adopted memory: %+v %v", m, err)
	}
	if res, _ := s.Adopt(ctx, k, "aa11", "Lives in Oslo", "I live in Oslo", "team"); res.Events[0].Event != EventNone || len(res.Changed) != 0 {
		t.Fatalf("adopting it again: %+v", res)
	}
	if res, _ := s.Adopt(ctx, k, "aa11", "Lives in Bergen", "I live in Bergen", "team"); res.Events[0].Event != EventUpdate || res.Events[0].Previous != "Lives in Oslo" {
		t.Fatalf("a new version: %+v", res)
	}
	if h, _ := s.History(ctx, k, "aa11"); len(h) < 2 {
		t.Fatalf("the history keeps %d versions", len(h))
	}
	if _, err := s.Adopt(ctx, k, "bb22", "Sister is Anna", "I live in Paris and my sister is Anna", "team"); err != nil {
		t.Fatal(err)
	}
	if m, _ := s.Get(ctx, k, "bb22"); m.Kind != KindRelationship || m.Text != "Sister is Anna" {
		t.Fatalf("the memory of a sentence of two: %+v", m)
	}
	if _, err := s.Adopt(ctx, k, "cc33", " ", "", "team"); !errors.Is(err, ErrEmpty) {
		t.Errorf("an empty memory: %v", err)
	}
	if _, err := s.Adopt(ctx, k, "a/b", "Lives in Oslo", "", "team"); err == nil {
		t.Error("an ID with a slash was adopted")
	}
}

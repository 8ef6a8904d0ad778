package app

import (
	"context"
	"errors"
	"testing"

	"github.com/engram-app/engram/memory"
)

// TestMemoryServiceReview drives the UI's memory methods: filtered and
// as-of search, confirm, and undo.
func TestMemoryServiceReview(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	ui := NewMemoryService(a)
	if _, err := a.MemoryAdd(ctx, "", "maya", "I live in Utrecht. My sister Anna lives in York. I love tea.", ""); err != nil {
		t.Fatal(err)
	}
	up, err := ui.Add("", "maya", "I moved to Aarhus in April.")
	if err != nil || len(up.Events) != 1 || up.Events[0].Event != memory.EventUpdate {
		t.Fatalf("%+v %v", up, err)
	}
	places, err := ui.Search("", "maya", "where", MemorySearchOptions{Kind: memory.KindPlace})
	if err != nil || len(places.Hits) != 1 || places.Hits[0].Kind != memory.KindPlace {
		t.Errorf("place filter: %+v %v", places, err)
	}
	then, err := ui.Search("", "maya", "where did I live", MemorySearchOptions{AsOf: "2026-01-15"})
	if err != nil || len(then.Hits) == 0 || then.Hits[0].Text != "Lives in Utrecht" {
		t.Errorf("as of January: %+v %v", then, err)
	}
	for _, bad := range []MemorySearchOptions{{AsOf: "January"}, {Kind: "planet"}} {
		if _, err := ui.Search("", "maya", "x", bad); !errors.Is(err, memory.ErrBadFilter) {
			t.Errorf("%+v: %v, want ErrBadFilter", bad, err)
		}
	}
	c, err := ui.Confirm("", "maya", up.Events[0].ID)
	if err != nil || c.Events[0].Event != memory.EventConfirm {
		t.Fatalf("confirm: %+v %v", c, err)
	}
	if _, err := ui.Undo("", "maya", up.Events[0].EventID); !errors.Is(err, memory.ErrNotLatest) {
		t.Errorf("undoing the move under its confirm: %v, want ErrNotLatest", err)
	}
	if _, err := ui.Undo("", "maya", c.Events[0].EventID); err != nil {
		t.Fatal(err)
	}
	if _, err := ui.Undo("", "maya", up.Events[0].EventID); err != nil {
		t.Fatal(err)
	}
	now, err := ui.Search("", "maya", "where do I live", MemorySearchOptions{})
	if err != nil || len(now.Hits) == 0 || now.Hits[0].Text != "Lives in Utrecht" {
		t.Errorf("after the undos: %+v %v", now, err)
	}
}

package memory

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/engram-app/engram/store"
)

func memChange(user, id string) []store.MemoryChange {
	return []store.MemoryChange{{Memory: store.Memory{ID: id, User: user, Text: "text of " + id, Version: 1},
		Versions: []store.MemoryVersion{{Version: 1, Text: "text of " + id}}}}
}

// TestCommitFailureFailsWhatFollows queues three writes into one
// transaction, the first for a workspace the store does not have: it fails
// alone, the second (decided on the same index, so after it) fails without
// being written, the third (another user's index) is saved.
func TestCommitFailureFailsWhatFollows(t *testing.T) {
	s, st := newTestService(t, Options{})
	c := s.commits
	ix, other := newUserIndex(s.a, nil), newUserIndex(s.a, nil)
	ps := []*pendingWrite{
		{k: Key{"gone", "maya"}, ix: ix, changes: memChange("maya", "m1")},
		{k: Key{"personal", "maya"}, ix: ix, changes: memChange("maya", "m2")},
		{k: Key{"personal", "theo"}, ix: other, changes: memChange("theo", "t1")},
	}
	for _, p := range ps {
		p.done = make(chan turn, 1)
		c.submit(p)
	}
	var errs [3]error
	var wg sync.WaitGroup
	for i, p := range ps {
		wg.Go(func() { errs[i] = c.wait(p) })
	}
	wg.Wait()
	if !errors.Is(errs[0], store.ErrNoWorkspace) || !errors.Is(errs[1], store.ErrNoWorkspace) || errs[2] != nil {
		t.Fatalf("errors %v", errs)
	}
	if ix.live() || !other.live() {
		t.Errorf("live: failed index %v, other %v", ix.live(), other.live())
	}
	for user, want := range map[string]int{"maya": 0, "theo": 1} {
		if ms, err := st.Memories("personal", user); err != nil || len(ms) != want {
			t.Errorf("%s: %d memories in the store (%v), want %d", user, len(ms), err, want)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) != 0 || c.writing || len(c.queue) != 0 {
		t.Errorf("committer not idle: pending %v writing %v queue %d", c.pending, c.writing, len(c.queue))
	}
}

// TestDeadIndexIsRebuilt: a write whose commit fails leaves the index as
// the store has it: the statement is not remembered, and saying it again
// adds it (not NONE against the unsaved copy).
func TestDeadIndexIsRebuilt(t *testing.T) {
	s, st := newTestService(t, Options{})
	ctx := context.Background()
	k := Key{"personal", "maya"}
	add(t, s, k, "I live in Utrecht.")
	ws := "doomed"
	if err := st.CreateWorkspace(ws, true); err != nil {
		t.Fatal(err)
	}
	kd := Key{ws, "maya"}
	add(t, s, kd, "I live in Oslo.")
	// The workspace goes from under the cached index: the next write fails.
	if err := st.DeleteWorkspace(ws); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, kd, "I play the cello.", "test"); err == nil {
		t.Fatal("a write to a deleted workspace succeeded")
	}
	if err := st.CreateWorkspace(ws, true); err != nil {
		t.Fatal(err)
	}
	if evs := add(t, s, kd, "I play the cello."); events(evs) != "ADD" {
		t.Errorf("after the failed write: %s, want ADD", events(evs))
	}
	// The other workspace's memories are untouched.
	if evs := add(t, s, k, "I live in Utrecht."); events(evs) != "NONE" {
		t.Errorf("personal: %s", events(evs))
	}
}

// TestConcurrentAddsOfOneUser: many writers of the same user at once are
// decided in turn and all saved, as one writer's would be.
func TestConcurrentAddsOfOneUser(t *testing.T) {
	s, st := newTestService(t, Options{})
	k := Key{"personal", "maya"}
	var wg sync.WaitGroup
	errs := make([]error, 40)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = s.Add(context.Background(), k, fmt.Sprintf("My friend Person%c%c plays chess.", 'a'+i/26, 'a'+i%26), "test")
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ms, err := st.Memories("personal", "maya")
	if err != nil {
		t.Fatal(err)
	}
	list, err := s.List(context.Background(), k, false)
	if err != nil {
		t.Fatal(err)
	}
	// The same statements one at a time.
	one, _ := newTestService(t, Options{})
	for i := range errs {
		add(t, one, k, fmt.Sprintf("My friend Person%c%c plays chess.", 'a'+i/26, 'a'+i%26))
	}
	want, err := one.List(context.Background(), k, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != len(list) || len(list) != len(want) || len(want) < 20 {
		t.Errorf("%d memories in the store, %d listed, %d from one writer", len(ms), len(list), len(want))
	}
}

package store_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/store"
)

func TestPendingIsSingleUseAndExpires(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "engram.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	for _, p := range []store.PendingAuth{
		{State: "s1", Provider: "gmail", FlowID: "f1", Created: now, Expires: now.Add(time.Minute)},
		{State: "s2", Provider: "gmail", FlowID: "f2", Created: now, Expires: now.Add(-time.Second)},
		{State: "s3", Provider: "slack", FlowID: "f3", Created: now, Expires: now.Add(time.Minute)},
	} {
		if err := st.PutPending(p); err != nil {
			t.Fatal(err)
		}
	}
	// A check that refuses leaves the state in place.
	refuse := errors.New("wrong provider")
	if _, err := st.TakePending("s3", now, func(store.PendingAuth) error { return refuse }); !errors.Is(err, refuse) {
		t.Fatalf("refused take: %v", err)
	}
	// Eight callers race for s1: exactly one gets it.
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := st.TakePending("s1", now, nil); err == nil {
				mu.Lock()
				won++
				mu.Unlock()
			} else if !errors.Is(err, store.ErrNotFound) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won != 1 {
		t.Fatalf("%d callers took the state, want 1", won)
	}
	if _, err := st.TakePending("s2", now, nil); !errors.Is(err, store.ErrExpired) {
		t.Fatalf("expired: %v", err)
	}
	if _, err := st.TakePending("s2", now, nil); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("an expired state was not removed: %v", err)
	}
	ps, err := st.PendingFor("slack", now)
	if err != nil || len(ps) != 1 || ps[0].State != "s3" {
		t.Fatalf("PendingFor: %+v, %v", ps, err)
	}
}

package app

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
)

// TestSlowOpenBlocksOnlyItsWorkspace: while one workspace's open is held
// up (a hook inside the open, on a real store, index and graph), calls on
// another workspace and on the container go on, and a second caller of the
// held workspace waits for the same open instead of starting its own.
func TestSlowOpenBlocksOnlyItsWorkspace(t *testing.T) {
	a, err := New(Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ctx := context.Background()
	if err := a.CreateWorkspace("slow"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Memo.md": "# Memo\n\nthe pelican budget\n"})
	if _, err := a.Import(ctx, "personal", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}

	entered, hold := make(chan struct{}), make(chan struct{})
	var slowOpens atomic.Int32
	a.openHook = func(name string) {
		if name == "slow" {
			if slowOpens.Add(1) == 1 {
				close(entered)
			}
			<-hold
		}
	}
	var wg sync.WaitGroup
	results := make(chan error, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Search(ctx, "slow", SearchRequest{Query: "pelican"})
			results <- err
		}()
	}
	<-entered
	// The slow open is in flight: the other workspace, the workspace list
	// and the job list answer meanwhile. Were the container's mutex held
	// across the open, these would wait for hold, which is closed only
	// after they return: the test would hang.
	if res, err := a.Search(ctx, "personal", SearchRequest{Query: "pelican"}); err != nil || res.Total != 1 {
		t.Fatalf("search on another workspace during a slow open: %+v %v", res, err)
	}
	wss, err := a.Workspaces()
	if err != nil || len(wss) != 2 {
		t.Fatalf("workspaces during a slow open: %+v %v", wss, err)
	}
	if _, err := a.Jobs("personal"); err != nil {
		t.Fatal(err)
	}
	close(hold)
	wg.Wait()
	close(results)
	for err := range results {
		if err != nil {
			t.Errorf("search on the slow workspace: %v", err)
		}
	}
	if n := slowOpens.Load(); n != 1 {
		t.Errorf("two callers of one workspace opened it %d times, want once", n)
	}
}

// TestEvictedWorkspaceReopens: workspaces evicted and closed outside
// the container's mutex open again for the next callers (a close ends
// before the new open takes the graph file's lock).
func TestEvictedWorkspaceReopens(t *testing.T) {
	a, err := New(Config{DataDir: t.TempDir(), MaxOpenWorkspaces: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ctx := context.Background()
	for _, ws := range []string{"a", "b"} {
		if err := a.CreateWorkspace(ws); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.Search(ctx, []string{"a", "b", "personal"}[i%3], SearchRequest{Query: "x"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

package graph_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/engram-app/engram/graph"
)

// A read that begins after a promise sees the promised write: it waits for
// the promise, however long the write takes to start.
func TestPromiseReadsWait(t *testing.T) {
	g, _ := openGraph(t)
	mustReplace(t, g, note("a", "Alpha", nil))
	settle := g.Promise()
	read := make(chan []string, 1)
	go func() {
		_, ns, err := g.Neighbors(context.Background(), "Alpha", graph.NeighborQuery{})
		if err != nil {
			t.Errorf("neighbors: %v", err)
		}
		read <- summary(ns)
	}()
	// The read must still be waiting: nothing has been written yet.
	select {
	case got := <-read:
		t.Fatalf("the read did not wait for the promise: %v", got)
	case <-time.After(50 * time.Millisecond):
	}
	// The promised write, on a context marked as its own: its reads do
	// not wait for the promise it is.
	w := graph.Writing(context.Background())
	if _, err := g.Resolve(w, "Alpha"); err != nil {
		t.Fatalf("a read of the promised write waited or failed: %v", err)
	}
	if err := g.Replace(w, []graph.Contribution{note("a", "Alpha", nil, "b")}); err != nil {
		t.Fatal(err)
	}
	settle()
	settle() // harmless
	select {
	case got := <-read:
		if len(got) != 1 {
			t.Fatalf("the read after the promise saw %v, want the edge to b", got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the read still waits after the promise was settled")
	}
	// With nothing promised, reads do not wait.
	if got := neighbors(t, g, "Alpha", graph.NeighborQuery{}); len(got) != 1 {
		t.Fatalf("neighbors %v", got)
	}
}

// A read or write waiting for a promise gives up with its context, and with
// the graph's Close.
func TestPromiseWaitEnds(t *testing.T) {
	g, _ := openGraph(t)
	mustReplace(t, g, note("a", "Alpha", nil))
	settle := g.Promise()
	defer settle()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := g.Resolve(ctx, "Alpha"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a cancelled wait returned %v, want context.DeadlineExceeded", err)
	}
	// A write waits as a read does: it must not be overtaken by the
	// promised one.
	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer wcancel()
	if err := g.Replace(wctx, []graph.Contribution{note("c", "Gamma", nil)}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a write after a promise returned %v, want it to wait (context.DeadlineExceeded)", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := g.Resolve(context.Background(), "Alpha")
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, graph.ErrClosed) {
			t.Fatalf("a wait ended by Close returned %v, want ErrClosed", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not end the wait")
	}
}

// A read that begins while a write is promised puts a token in Wanted, so
// a promised write that is gathering work starts at once; with nothing
// promised, reads leave Wanted alone.
func TestWantedTellsAPromisedWriteThatAReadWaits(t *testing.T) {
	g, _ := openGraph(t)
	mustReplace(t, g, note("a", "Alpha", nil))
	neighbors(t, g, "Alpha", graph.NeighborQuery{})
	select {
	case <-g.Wanted():
		t.Fatal("a read with nothing promised put a token in Wanted")
	default:
	}
	settle := g.Promise()
	read := make(chan error, 1)
	go func() {
		_, _, err := g.Neighbors(context.Background(), "Alpha", graph.NeighborQuery{})
		read <- err
	}()
	select {
	case <-g.Wanted():
	case <-time.After(10 * time.Second):
		t.Fatal("a read waiting for a promise put no token in Wanted")
	}
	settle()
	if err := <-read; err != nil {
		t.Fatal(err)
	}
}

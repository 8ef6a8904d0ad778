package changes

import (
	"sync"
	"testing"
)

// A subscriber that never reads must not hold up a publisher: every Publish
// returns, and the subscriber is left with the newest events, in order.
func TestSlowSubscriberNeverBlocksPublisher(t *testing.T) {
	f := New()
	slow, stopSlow := f.Subscribe(2)
	defer stopSlow()
	roomy, stopRoomy := f.Subscribe(MaxBuffer)
	defer stopRoomy()
	const n = 1000
	for i := range n {
		e := f.Publish(Event{Kind: Memory, Workspace: "default", IDs: []string{"m"}})
		if e.Version != uint64(i+1) {
			t.Fatalf("event %d got version %d", i+1, e.Version)
		}
	}
	if v := f.Version(); v != n {
		t.Fatalf("Version() = %d, want %d", v, n)
	}
	if got := len(slow); got != 2 {
		t.Fatalf("the slow subscriber holds %d events, want its buffer of 2", got)
	}
	if a, b := <-slow, <-slow; a.Version != n-1 || b.Version != n {
		t.Fatalf("the slow subscriber kept versions %d and %d, want the newest %d and %d", a.Version, b.Version, n-1, n)
	}
	for i := range n {
		if e := <-roomy; e.Version != uint64(i+1) || e.Kind != Memory {
			t.Fatalf("roomy subscriber's event %d: %+v", i+1, e)
		}
	}
}

// Publishers in many goroutines each get a distinct version, and a reader
// sees versions only going up.
func TestConcurrentPublishersGetDistinctVersions(t *testing.T) {
	f := New()
	ch, stop := f.Subscribe(MaxBuffer)
	const writers, each = 8, 100
	var wg sync.WaitGroup
	got := make([][]uint64, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				got[w] = append(got[w], f.Publish(Event{Kind: Import}).Version)
			}
		}()
	}
	wg.Wait()
	stop()
	seen := map[uint64]bool{}
	for _, vs := range got {
		for _, v := range vs {
			if seen[v] {
				t.Fatalf("version %d given twice", v)
			}
			seen[v] = true
		}
	}
	if len(seen) != writers*each || f.Version() != writers*each {
		t.Fatalf("%d distinct versions, counter %d; want %d", len(seen), f.Version(), writers*each)
	}
	var last uint64
	for e := range ch { // closed by stop
		if e.Version <= last {
			t.Fatalf("version %d after %d", e.Version, last)
		}
		last = e.Version
	}
}

func TestUnsubscribeAndClose(t *testing.T) {
	f := New()
	a, stopA := f.Subscribe(0) // clamped to MinBuffer
	b, _ := f.Subscribe(4)
	stopA()
	stopA() // harmless
	if _, ok := <-a; ok {
		t.Fatal("a's channel is open after its stop")
	}
	f.Publish(Event{Kind: Memory})
	if e := <-b; e.Version != 1 {
		t.Fatalf("b got %+v", e)
	}
	f.Close()
	if _, ok := <-b; ok {
		t.Fatal("b's channel is open after Close")
	}
	c, stopC := f.Subscribe(4)
	if _, ok := <-c; ok {
		t.Fatal("a subscription after Close is open")
	}
	stopC()
	if e := f.Publish(Event{Kind: Memory}); e.Version != 2 {
		t.Fatalf("publish after Close: version %d, want 2", e.Version)
	}
}

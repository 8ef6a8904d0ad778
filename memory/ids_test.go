package memory

import (
	"regexp"
	"sync"
	"testing"
	"time"
)

func TestIDsFollowTheOrderTheyAreMadeIn(t *testing.T) {
	var g idSource
	shape := regexp.MustCompile(`^[0-9a-f]{20}$`)
	at := time.Date(2026, 12, 8, 9, 30, 0, 0, time.UTC)
	cases := []struct {
		name string
		now  time.Time
	}{
		{"first", at},
		{"same millisecond", at},
		{"same millisecond again", at},
		{"a second later", at.Add(time.Second)},
		{"clock set back an hour", at.Add(-time.Hour)},
		{"clock set back before 1970", time.Unix(-5, 0)},
		{"a day later", at.Add(24 * time.Hour)},
	}
	last := ""
	for _, c := range cases {
		id := g.next(c.now, nil)
		if !shape.MatchString(id) {
			t.Fatalf("%s: ID %q is not 20 hex digits", c.name, id)
		}
		if id <= last {
			t.Fatalf("%s: ID %q does not come after %q", c.name, id, last)
		}
		last = id
	}
	// The first 12 digits are the milliseconds it was made at.
	var h idSource
	if id := h.next(time.UnixMilli(0x0123456789ab), nil); id[:12] != "0123456789ab" {
		t.Fatalf("ID %q does not start with its milliseconds 0123456789ab", id)
	}
}

func TestIDsPassOverTakenOnes(t *testing.T) {
	var g idSource
	at := time.Date(2026, 12, 8, 9, 30, 0, 0, time.UTC)
	taken := map[string]bool{}
	var first string
	asked := 0
	id := g.next(at, func(id string) bool {
		asked++
		if first == "" {
			first = id
			taken[id] = true
		}
		return taken[id]
	})
	if id == first || asked != 2 || id <= first {
		t.Fatalf("got %q after taken %q (asked %d times): want the next ID after it", id, first, asked)
	}
}

func TestIDsAreDistinctUnderConcurrency(t *testing.T) {
	var g idSource
	at := time.Date(2026, 12, 8, 9, 30, 0, 0, time.UTC)
	const workers, each = 8, 500
	out := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				out[w] = append(out[w], g.next(at, nil))
			}
		}()
	}
	wg.Wait()
	seen := map[string]bool{}
	for w := range out {
		for i, id := range out[w] {
			if seen[id] {
				t.Fatalf("ID %q given twice", id)
			}
			seen[id] = true
			if i > 0 && id <= out[w][i-1] {
				t.Fatalf("worker %d: %q after %q", w, id, out[w][i-1])
			}
		}
	}
}

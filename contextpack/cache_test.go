package contextpack

import (
	"testing"
	"time"
)

func TestCache(t *testing.T) {
	c, err := NewCache(0)
	if err != nil {
		t.Fatal(err)
	}
	at := Stamp{Memories: 3, Documents: 7}
	c.Add("personal", "maya", "Where do I live?", 100, at, &Pack{Profile: "pack"})
	if p, ok := c.Get("personal", "maya", "  where do  I LIVE ", 100, at); !ok || p.Profile != "pack" {
		t.Fatalf("the normalised question missed: %v %v", p, ok)
	}
	for _, miss := range []struct {
		ws, user string
		budget   int
		stamp    Stamp
	}{
		{"personal", "sam", 100, at},           // another user
		{"work", "maya", 100, at},              // another workspace
		{"personal", "maya", 200, at},          // another budget
		{"personal", "maya", 100, Stamp{3, 8}}, // a document added since
		{"personal", "maya", 100, Stamp{4, 7}}, // a memory written since
	} {
		if p, ok := c.Get(miss.ws, miss.user, "where do I live", miss.budget, miss.stamp); ok {
			t.Errorf("hit %v for %+v", p, miss)
		}
	}
	// The stale stamp dropped it: the first stamp misses now too.
	if _, ok := c.Get("personal", "maya", "where do I live", 100, at); ok {
		t.Error("a pack asked for at another stamp was kept")
	}
	// Packs expire.
	c.Add("personal", "sam", "q", 1, at, &Pack{Profile: "old"})
	c.now = func() time.Time { return time.Now().Add(TTL + time.Second) }
	if _, ok := c.Get("personal", "sam", "q", 1, at); ok {
		t.Error("an expired pack was served")
	}
}

func TestCacheBounded(t *testing.T) {
	c, err := NewCache(2)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		c.Add("w", "u", string(rune('a'+i)), 1, Stamp{}, &Pack{Tokens: i})
	}
	if _, ok := c.Get("w", "u", "a", 1, Stamp{}); ok {
		t.Error("the oldest of 3 packs in a cache of 2 was kept")
	}
	if p, ok := c.Get("w", "u", "c", 1, Stamp{}); !ok || p.Tokens != 2 {
		t.Errorf("the newest pack: %v %v", p, ok)
	}
}

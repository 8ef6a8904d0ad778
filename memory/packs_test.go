package memory

import (
	"context"
	"testing"
	"time"
)

func TestPackCacheVersions(t *testing.T) {
	s, _ := newTestService(t, Options{})
	ctx := context.Background()
	maya, sam := Key{"personal", "maya"}, Key{"personal", "sam"}
	v0, err := s.Version(maya)
	if err != nil {
		t.Fatal(err)
	}
	s.CachePack(maya, "Where do I live?", 100, 7, v0, "pack")
	if p, ok := s.CachedPack(maya, "  where do  I LIVE ", 100, 7, v0); !ok || p != "pack" {
		t.Fatalf("normalised question missed: %v %v", p, ok)
	}
	for _, miss := range []struct {
		k      Key
		budget int
		extra  uint64
	}{{sam, 100, 7}, {Key{"work", "maya"}, 100, 7}, {maya, 200, 7}, {maya, 100, 8}} {
		if _, ok := s.CachedPack(miss.k, "where do I live", miss.budget, miss.extra, v0); ok {
			t.Errorf("hit for %+v", miss)
		}
	}
	if _, err := s.Add(ctx, maya, "I live in Oslo", "t"); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.Version(maya)
	if v1 == v0 {
		t.Fatal("a write did not change the version")
	}
	if _, ok := s.CachedPack(maya, "where do I live", 100, 7, v1); ok {
		t.Error("a pack of the old version was served")
	}
	// A NONE (the same fact again) changes nothing, and versions never
	// repeat, also for an index built again.
	if _, err := s.Add(ctx, maya, "I live in Oslo", "t"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(maya); v != v1 {
		t.Errorf("a NONE changed the version %d -> %d", v1, v)
	}
	s.indexes.Remove(maya)
	if v, _ := s.Version(maya); v <= v1 {
		t.Errorf("rebuilt index has version %d, not after %d", v, v1)
	}
	// Packs expire.
	s.CachePack(sam, "q", 1, 0, 1, "old")
	s.now = func() time.Time { return time.Now().Add(PackTTL + time.Second) }
	if _, ok := s.CachedPack(sam, "q", 1, 0, 1); ok {
		t.Error("an expired pack was served")
	}
}

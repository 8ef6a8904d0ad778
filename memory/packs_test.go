package memory

import (
	"context"
	"testing"
)

func TestVersions(t *testing.T) {
	s, _ := newTestService(t, Options{})
	ctx := context.Background()
	maya, sam := Key{"personal", "maya"}, Key{"personal", "sam"}
	v0, err := s.Version(maya)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, maya, "I live in Oslo", "t"); err != nil {
		t.Fatal(err)
	}
	v1, _ := s.Version(maya)
	if v1 == v0 {
		t.Fatal("a write did not change the version")
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
	// Another user's writes leave maya's version alone.
	vm, _ := s.Version(maya)
	if _, err := s.Add(ctx, sam, "I live in Bergen", "t"); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Version(maya); v != vm {
		t.Errorf("sam's write moved maya's version from %d to %d", vm, v)
	}
}

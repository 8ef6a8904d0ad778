package app

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

// TestBuiltInDictionaryEntriesSwitchOff: removing a built-in entry switches
// it off (searches stop expanding it, the list says so, it survives a
// reopen); restore, or adding it as shipped, switches it on; a user's own
// entry of that term is replaced by the switch.
func TestBuiltInDictionaryEntriesSwitchOff(t *testing.T) {
	dir := t.TempDir()
	a := newTestApp(t, dir)
	src := filepath.Join(t.TempDir(), "notes")
	writeFiles(t, src, map[string]string{
		"boss.md":  "The chief executive officer spoke.",
		"infra.md": "We run kubernetes in production.",
		"pets.md":  "Dogs and cats.",
	})
	if _, err := a.Import(context.Background(), "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	hits := func(q string) int { return len(find(t, a, q)) }
	if hits("ceo") != 1 || hits("k8s") != 1 {
		t.Fatalf("built-ins expand: ceo %d, k8s %d", hits("ceo"), hits("k8s"))
	}
	if err := a.DictRemove("", "acronym", "CEO"); err != nil {
		t.Fatal(err)
	}
	if n := hits("ceo"); n != 0 {
		t.Fatalf("ceo still expands after it was switched off: %d hits", n)
	}
	if hits("k8s") != 1 {
		t.Fatal("switching ceo off switched k8s off too")
	}
	if err := a.DictRemove("", "acronym", "ceo"); err == nil || !errors.Is(err, ErrInvalid) {
		t.Fatalf("switching off twice: %v", err)
	}
	off := func() bool {
		es, err := a.DictList("")
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Term == "ceo" {
				if e.Origin != "default" {
					t.Fatalf("ceo listed as %+v", e)
				}
				return e.Off
			}
		}
		t.Fatal("ceo is not listed")
		return false
	}
	if !off() {
		t.Fatal("the list does not say ceo is off")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	a = newTestApp(t, dir)
	if n := hits("ceo"); n != 0 || !off() {
		t.Fatalf("after a reopen: %d hits, off %v", n, off())
	}
	if err := a.DictRestore("", "acronym", "ceo"); err != nil {
		t.Fatal(err)
	}
	if hits("ceo") != 1 || off() {
		t.Fatal("restore did not switch ceo on")
	}
	// The UI switches on by adding the entry as shipped: the same.
	must(t, a.DictRemove("", "acronym", "ceo"))
	must(t, a.DictAdd("", "acronym", "ceo", []string{"chief executive officer"}))
	if hits("ceo") != 1 || off() {
		t.Fatal("adding ceo as shipped did not switch it on")
	}
	es, _ := a.DictList("")
	for _, e := range es {
		if e.Origin == "user" {
			t.Fatalf("a user entry was left: %+v", e)
		}
	}
	// A user's own entry of a built-in term, removed: the term is off.
	must(t, a.DictAdd("", "synonym", "dogs", []string{"hounds"}))
	must(t, a.DictAdd("", "acronym", "k8s", []string{"kates"}))
	must(t, a.DictRemove("", "acronym", "k8s"))
	if hits("k8s") != 0 {
		t.Fatal("k8s expands after its user entry was removed")
	}
	must(t, a.DictRemove("", "synonym", "dogs"))
	if err := a.DictRemove("", "synonym", "dogs"); err == nil {
		t.Fatal("removing a user entry twice did not fail")
	}
	if err := a.DictRestore("", "synonym", "dogs"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("restoring what is not built in: %v", err)
	}
}

package app

import (
	"encoding/json"
	"strings"
	"testing"
)

func newDesktopApp(t testing.TB) (*App, string) {
	t.Helper()
	dir := t.TempDir()
	a, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return a, dir
}

func TestSearchServiceInfo(t *testing.T) {
	a, dir := newDesktopApp(t)
	info, err := NewSearchService(a).Info("")
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if info.DataDir != dir {
		t.Errorf("DataDir = %q, want %q", info.DataDir, dir)
	}
	if info.Workspace != a.DefaultWorkspace() {
		t.Errorf("Workspace = %q, want %q", info.Workspace, a.DefaultWorkspace())
	}
	if info.Version == "" {
		t.Error("Version is empty, want a module version or \"dev\"")
	}
}

// The frontend reads hits and facets as lists and maps: on an empty store
// they must reach it as [] and {}, never null, whatever paging it asks for.
func TestSearchServiceEmptyResultIsNotNull(t *testing.T) {
	a, _ := newDesktopApp(t)
	s := NewSearchService(a)
	cases := []struct {
		name          string
		limit, offset int
	}{
		{"defaults", 0, 0},
		{"negative paging", -5, -10},
		{"huge limit", 1 << 30, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Search("", "anything", c.limit, c.offset)
			if err != nil {
				t.Fatalf("Search: %v", err)
			}
			b, err := json.Marshal(res)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), "null") {
				t.Errorf("result JSON has a null: %s", b)
			}
		})
	}
}

func TestSearchServiceShutdownStopsSearches(t *testing.T) {
	a, _ := newDesktopApp(t)
	s := NewSearchService(a)
	DesktopStartup(t.Context(), s)
	if _, err := s.Search("", "anything", 0, 0); err != nil {
		t.Fatalf("Search before shutdown: %v", err)
	}
	fs, err := s.Facets("", "anything")
	if err != nil || fs == nil {
		t.Fatalf("Facets before shutdown: %v, %v (want a non-nil map)", fs, err)
	}
	DesktopShutdown(s)
	if _, err := s.Search("", "anything", 0, 0); err == nil {
		t.Error("Search after DesktopShutdown succeeded, want an error")
	}
	if _, err := s.Facets("", "anything"); err == nil {
		t.Error("Facets after DesktopShutdown succeeded, want an error")
	}
}

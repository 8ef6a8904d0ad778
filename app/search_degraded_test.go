package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/search"
)

// TestSearchOnAMissingIndex removes the index under a populated store: a
// search says the index is damaged and how to repair it, never "0
// results"; a search that matches nothing on a whole index is no error.
func TestSearchOnAMissingIndex(t *testing.T) {
	data, notes := t.TempDir(), t.TempDir()
	writeFiles(t, notes, map[string]string{"a.md": "# Alpha\nriver notes", "b.md": "# Beta\nmountain notes"})
	a, err := New(Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := a.Import(ctx, "", []string{notes}, nil); err != nil {
		t.Fatal(err)
	}
	if res, err := a.Search(ctx, "", SearchRequest{Query: "nothingmatches"}); err != nil || res.Total != 0 {
		t.Fatalf("a search without matches: %+v, %v", res, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(data, "workspaces")); err != nil {
		t.Fatal(err)
	}

	a = newTestApp(t, data)
	_, err = a.Search(ctx, "", SearchRequest{Query: "river"})
	if !errors.Is(err, search.ErrIndexCorrupt) || !strings.Contains(err.Error(), "doctor --repair") || !strings.Contains(err.Error(), "0 of the workspace's 2") {
		t.Fatalf("search on a missing index: %v", err)
	}
}

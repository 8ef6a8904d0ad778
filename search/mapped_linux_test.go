//go:build linux

package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/internal/mapped"
)

// TestReleaseMappedKeepsResults: the pages of the index segments that
// searching mapped leave this process's resident set, and the same
// searches find the same documents.
func TestReleaseMappedKeepsResults(t *testing.T) {
	ix, dir := openTest(t, Options{BatchSize: 5000}) // one batch: one segment, nothing to merge
	var docs []document.Document
	for i := range 3000 {
		docs = append(docs, document.Document{
			ID: fmt.Sprintf("doc-%04d", i), Source: "notes", Title: fmt.Sprintf("note %d", i),
			Body: fmt.Sprintf("word%d word%d word%d common text about topic%d", i, i*7%3000, i*13%3000, i%50),
		})
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	waitSettled(t, ix, dir)
	queries := []string{"common", "topic7", "word42", "text about"}
	run := func() [][]string {
		var out [][]string
		for _, q := range queries {
			ix.cache.Purge() // each run reads the segments again
			out = append(out, ids(search(t, ix, Request{Query: q, Limit: 50})))
		}
		return out
	}
	want := run()
	segs, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(segs) == 0 {
		t.Fatalf("no segments in %s: %v", dir, err)
	}
	before, err := mapped.Resident(segs...)
	if err != nil || before == 0 {
		t.Fatalf("resident after searching: %d bytes, %v", before, err)
	}
	if _, err := ix.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after, _ := mapped.Resident(segs...); after > before/4 {
		t.Errorf("resident after ReleaseMapped: %d bytes, %d before", after, before)
	}
	if got := run(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("after ReleaseMapped the searches found %v, before %v", got, want)
	}
	ix.Close()
	if n, err := ix.ReleaseMapped(); n != 0 || err != nil {
		t.Errorf("ReleaseMapped of a closed index: %d, %v", n, err)
	}
}

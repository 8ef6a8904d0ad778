package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/engram-app/engram/document"
)

// TestMergesKeepSegmentsUnderTheCap: however many batches are merged, no
// segment of the index holds more than Options.MaxSegmentDocs documents.
func TestMergesKeepSegmentsUnderTheCap(t *testing.T) {
	const capDocs, total = 1000, 6000
	ix, dir := openTest(t, Options{BatchSize: 250, MaxSegmentDocs: capDocs})
	var docs []document.Document
	for i := range total {
		docs = append(docs, document.Document{ID: fmt.Sprintf("doc-%05d", i), Source: "notes", Title: "note", Body: fmt.Sprintf("word%d text", i)})
	}
	for i := 0; i < total; i += 500 {
		if err := ix.Put(context.Background(), docs[i:i+500]); err != nil {
			t.Fatal(err)
		}
	}
	waitSettled(t, ix, dir)
	segs, done := snapshotSegments(t, ix)
	defer done()
	var sum uint64
	for _, ss := range segs {
		n := ss.Segment().Count()
		sum += n
		if n > capDocs {
			t.Errorf("a segment holds %d documents, over the cap of %d", n, capDocs)
		}
	}
	if sum != total {
		t.Errorf("the segments hold %d documents, want %d", sum, total)
	}
	if res := search(t, ix, Request{Query: "text", Limit: 1}); res.Total != total {
		t.Errorf("text matches %d documents, want %d", res.Total, total)
	}
}

// waitSettled waits until Bleve has persisted and merged what it was given:
// the index's snapshot is made of files, and of every segment file in dir.
func waitSettled(t *testing.T, ix *Index, dir string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !settled(t, ix, dir) {
		if time.Now().After(deadline) {
			t.Fatal("the index did not settle on its segment files within 60 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func settled(t *testing.T, ix *Index, dir string) bool {
	segs, done := snapshotSegments(t, ix)
	defer done()
	var paths []string
	for _, ss := range segs {
		p, ok := ss.Segment().(interface{ Path() string })
		if !ok || p.Path() == "" {
			return false
		}
		paths = append(paths, p.Path())
	}
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(paths)
	return slices.Equal(paths, files)
}

// snapshotSegments is the segments of the index's current snapshot, held
// until done is called.
func snapshotSegments(t *testing.T, ix *Index) (segs []*scorch.SegmentSnapshot, done func()) {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	return r.(*scorch.IndexSnapshot).Segments(), func() { r.Close() }
}

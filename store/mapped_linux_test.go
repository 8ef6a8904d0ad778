//go:build linux

package store

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/internal/mapped"
)

// TestReleaseMappedKeepsData: the pages of the store's file that reading
// it mapped leave this process's resident set, and the data reads the same.
func TestReleaseMappedKeepsData(t *testing.T) {
	s := openTest(t)
	// Bodies that do not compress, so the file is some megabytes.
	rng := rand.New(rand.NewPCG(1, 2))
	var docs []document.Document
	for i := range 2000 {
		var b strings.Builder
		for range 300 {
			fmt.Fprintf(&b, "%x ", rng.Uint32())
		}
		docs = append(docs, document.Document{ID: fmt.Sprintf("%05d", i), Title: "t", Body: b.String()})
	}
	if err := s.Apply("personal", Write{Put: docs}); err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	read := func() int {
		got, err := s.Documents("personal", ids)
		if err != nil {
			t.Fatal(err)
		}
		for i, d := range got {
			if d.Body != docs[i].Body {
				t.Fatalf("document %s reads %.20q, want %.20q", d.ID, d.Body, docs[i].Body)
			}
		}
		return len(got)
	}
	read()
	before, err := mapped.Resident(s.path)
	if err != nil || before < 1<<20 {
		t.Fatalf("resident after reading every document: %d bytes, %v; want over 1 MB", before, err)
	}
	if _, err := s.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after, _ := mapped.Resident(s.path); after > before/4 {
		t.Errorf("resident after ReleaseMapped: %d bytes, %d before", after, before)
	}
	if n := read(); n != len(docs) {
		t.Errorf("read %d documents after ReleaseMapped, want %d", n, len(docs))
	}
	s.Close()
	if _, err := s.ReleaseMapped(); err == nil {
		t.Error("ReleaseMapped of a closed store: no error")
	}
}

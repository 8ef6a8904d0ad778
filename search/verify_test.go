package search_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/search"
)

// TestVerifySegmentsNamesADamagedSegment: a sound index has no damaged
// segment; one flipped bit, a zeroed block or a cut-off tail in a segment
// file is named, by file, while Bleve itself would serve it as data.
func TestVerifySegmentsNamesADamagedSegment(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "index")
	ix, err := search.Open(dir, search.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []document.Document
	for i := range 300 {
		docs = append(docs, document.Document{ID: fmt.Sprint(i), Source: document.SourceMarkdown, Title: fmt.Sprintf("note %d", i), Body: strings.Repeat(fmt.Sprintf("garden word%d ", i), 40)})
	}
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	if err := ix.Close(); err != nil { // persists every segment
		t.Fatal(err)
	}
	segs, _ := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if len(segs) == 0 {
		t.Fatal("no segment files were written")
	}
	pristine := map[string][]byte{}
	for _, s := range segs {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		pristine[s] = b
	}
	damage := map[string]func([]byte) []byte{
		"sound":      func(b []byte) []byte { return b },
		"bit flip":   func(b []byte) []byte { b[len(b)/3] ^= 0x10; return b },
		"zero block": func(b []byte) []byte { clear(b[len(b)/4 : len(b)/4+min(4096, len(b)/2)]); return b },
		"truncated":  func(b []byte) []byte { return b[:len(b)-100] },
	}
	for _, name := range []string{"sound", "bit flip", "zero block", "truncated"} {
		t.Run(name, func(t *testing.T) {
			target := segs[0]
			for s, b := range pristine {
				out := append([]byte(nil), b...)
				if s == target {
					out = damage[name](out)
				}
				if err := os.WriteFile(s, out, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			ix, err := search.Open(dir, search.Options{})
			if err != nil {
				if name == "sound" {
					t.Fatal(err)
				}
				t.Logf("refused to open: %v", err)
				return // damage already reported at open
			}
			defer ix.Close()
			probs, err := ix.VerifySegments(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if name == "sound" {
				if len(probs) != 0 {
					t.Fatalf("a sound index reported %v", probs)
				}
				return
			}
			if len(probs) != 1 || !strings.Contains(probs[0], filepath.Base(target)) || !strings.Contains(probs[0], "doctor --repair") {
				t.Fatalf("damage %s in %s reported as %v", name, filepath.Base(target), probs)
			}
		})
	}
}

package markdown

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/ingest"
)

// FuzzMarkdown checks that no note makes the parser panic or hang, and that
// what it returns keeps the documented shape.
func FuzzMarkdown(f *testing.F) {
	f.Add([]byte("---\ntags: [a]\n---\n# H\n[[A#b|c]] #t `x`"))
	p := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		var err error
		var n int
		go func() {
			defer close(done)
			docs, e := p.Parse(context.Background(), ingest.File{Path: "/vault/fuzz.md", Data: data}, ingest.DefaultLimits())
			err, n = e, len(docs)
			for _, d := range docs {
				for _, tag := range d.Tags {
					if tag == "" || strings.HasPrefix(tag, "#") || tag != strings.ToLower(tag) {
						t.Errorf("bad tag %q", tag)
					}
				}
				for _, l := range d.Links {
					if l.Target == "" {
						t.Errorf("link without target: %+v", l)
					}
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse did not return within 10s for %q", data)
		}
		if err == nil && n != 1 {
			t.Fatalf("Parse returned %d documents and no error", n)
		}
	})
}

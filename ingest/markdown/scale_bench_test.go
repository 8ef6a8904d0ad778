package markdown

import (
	"context"
	"strings"
	"testing"

	"github.com/engram-app/engram/ingest"
)

// BenchmarkHostileShapes measures inputs that make a careless Markdown
// parser quadratic: 100,000 list markers and 100,000 wikilinks.
func BenchmarkHostileShapes(b *testing.B) {
	for _, bc := range []struct{ name, data string }{
		{"list markers", strings.Repeat("- ", 100_000)},
		{"wikilinks", strings.Repeat("[[Note]] ", 100_000)},
		{"wikilinks on lines", strings.Repeat("[[Note a|b]]\n", 100_000)},
		{"nested quotes", strings.Repeat("> ", 100_000)},
		{"open brackets", strings.Repeat("[[", 100_000)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			p := New()
			for b.Loop() {
				if _, err := p.Parse(context.Background(), ingest.File{Path: "/v/n.md", Data: []byte(bc.data)}, ingest.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

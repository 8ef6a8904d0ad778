package slack_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/slack"
)

// FuzzSlackDay checks that no day file makes the parser panic or hang, that
// it fails only with ErrBadInput or ErrSkipped (a day of channel events
// only), and that every document it returns has an ID, a title, a date and
// UTF-8 text. Seeds are in testdata/fuzz/FuzzSlackDay and the fixture's days.
func FuzzSlackDay(f *testing.F) {
	days, _ := filepath.Glob("testdata/export/*/*.json")
	for _, d := range days {
		if data, err := os.ReadFile(d); err == nil {
			f.Add(data)
		}
	}
	root, err := filepath.Abs("testdata/export")
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(root, "general", "2024-01-01.json")
	p := slack.New()
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			docs, err := p.Parse(context.Background(), ingest.File{Path: path, Data: data}, lim)
			if err != nil {
				if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
					t.Errorf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
				}
				if len(docs) != 0 {
					t.Errorf("%d documents with an error", len(docs))
				}
				return
			}
			if len(docs) == 0 {
				t.Error("no documents and no error")
			}
			seen := map[string]bool{}
			for _, d := range docs {
				if d.ID == "" || seen[d.ID] {
					t.Errorf("empty or repeated ID %q", d.ID)
				}
				seen[d.ID] = true
				if d.Title == "" || d.Body == "" || d.Date.IsZero() || d.Source != slack.Kind {
					t.Errorf("incomplete document %+v", d)
				}
				for _, s := range append([]string{d.Title, d.Body, d.From, d.InReplyTo}, d.To...) {
					if !utf8.ValidString(s) {
						t.Errorf("invalid UTF-8 in %q", s)
					}
				}
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("Parse did not return within 10s for %q", data)
		}
	})
}

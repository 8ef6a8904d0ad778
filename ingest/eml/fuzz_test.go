package eml

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/ingest"
)

// FuzzEML checks that no input makes the parser panic or hang, that it
// fails only with ErrBadInput, and that the text it returns is UTF-8.
func FuzzEML(f *testing.F) {
	f.Add([]byte("From: a@example.com\nSubject: hi\n\nbody"))
	p := New()
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			docs, err := p.Parse(context.Background(), ingest.File{Path: "/fuzz.eml", Data: data}, lim)
			if err != nil {
				if !errors.Is(err, ingest.ErrBadInput) {
					t.Errorf("error %v does not wrap ErrBadInput", err)
				}
				return
			}
			if len(docs) != 1 {
				t.Errorf("got %d documents", len(docs))
				return
			}
			d := docs[0]
			if d.Title == "" {
				t.Error("empty title")
			}
			for _, s := range append([]string{d.Title, d.Body, d.From}, d.To...) {
				if !utf8.ValidString(s) {
					t.Errorf("invalid UTF-8 in %q", s)
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

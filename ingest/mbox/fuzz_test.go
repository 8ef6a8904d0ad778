package mbox

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/ingest"
)

// FuzzMbox checks that no input makes the parser panic or hang, that it
// fails only with ErrBadInput, and that every document it returns belongs
// to the file, has its own ID and position, and holds UTF-8 text. Seeds are
// in testdata/fuzz/FuzzMbox.
func FuzzMbox(f *testing.F) {
	f.Add([]byte("From a@b Mon Jan  1 00:00:00 2024\nFrom: a@b\nSubject: hi\n\nbody\n>From x\n"))
	p := &Parser{msg: New().(*Parser).msg, maxMessages: 50}
	lim := ingest.Limits{MaxFileBytes: 1 << 20, MaxDepth: 8}
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			docs, err := p.Parse(context.Background(), ingest.File{Path: testPath, Data: data}, lim)
			if err != nil {
				if !errors.Is(err, ingest.ErrBadInput) {
					t.Errorf("error %v does not wrap ErrBadInput", err)
				}
				return
			}
			if len(docs) == 0 {
				t.Error("no documents and no error")
			}
			if most := bytes.Count(data, []byte("From ")) + 1; len(docs) > most || len(docs) > p.maxMessages {
				t.Errorf("%d documents from %d separators at most", len(docs), most)
			}
			ids := map[string]bool{}
			last := -1
			for _, d := range docs {
				if d.Path != testPath || d.ID == "" || ids[d.ID] || d.Title == "" {
					t.Errorf("document path %q id %q (seen %v) title %q", d.Path, d.ID, ids[d.ID], d.Title)
				}
				ids[d.ID] = true
				i, err := strconv.Atoi(d.Meta[MetaIndex])
				if err != nil || i <= last {
					t.Errorf("mbox_index %q after %d", d.Meta[MetaIndex], last)
				}
				last = i
				for _, s := range append([]string{d.Title, d.Body, d.From}, d.To...) {
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

package pdf

import (
	"context"
	"errors"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/ingest"
)

// FuzzPDF fuzzes what the parent reads from a worker: any output, from a
// worker that is damaged, killed half-way or not a worker at all, must give
// a document or an error wrapping ErrBadInput or ErrSkipped, never a panic.
// The extraction itself is not fuzzed in-process: on hostile input it may
// loop forever or exhaust memory, which is why it runs in a worker.
func FuzzPDF(f *testing.F) {
	f.Add([]byte(`{"title":"T","pages":1,"text":"Hello","date":"2024-03-05T10:15:00+01:00"}`))
	f.Add([]byte(`{"error":"the PDF is damaged"}`))
	f.Add([]byte(`{"pages":2,"text":"   "}`))
	f.Add([]byte(`{"text":"a","truncated":true,"author":"\u00e9"}{"text":"b"}`))
	f.Add([]byte(`{"text":"\xff\xfe"`))
	f.Fuzz(func(t *testing.T, out []byte) {
		res, err := decodeResult(out)
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) {
				t.Fatalf("decodeResult error %v does not wrap ErrBadInput", err)
			}
			return
		}
		d, err := res.document("/fuzz.pdf")
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
			}
			if !utf8.ValidString(err.Error()) {
				t.Fatalf("invalid UTF-8 in error %q", err)
			}
			return
		}
		if d.Title == "" || d.Body == "" {
			t.Fatalf("empty title %q or body %q", d.Title, d.Body)
		}
		for _, s := range []string{d.Title, d.Body, d.Meta["author"], d.Meta["subject"], d.Meta["keywords"]} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
	})
}

// FuzzParseDate checks that no PDF date string makes parseDate panic.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"D:20240305101500+01'00'", "D:2024", "D:20240305101500-0", "D:1999+"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		parseDate(s)
	})
}

// FuzzPDFFile runs whole files through a worker, as an import does: any
// input must end, within the time limit, in a document or an error wrapping
// ErrBadInput or ErrSkipped. It is slow (a process per input); run it with
// -fuzz for minutes, not seconds.
func FuzzPDFFile(f *testing.F) {
	f.Add(textPDF("1.4", "/Title (T)", "BT /F1 12 Tf 72 720 Td (Hello Engram PDF) Tj ET"))
	f.Add(textPDF("1.7", "", "BT /F1 12 Tf 72 720 Td [(a) -300 (b)] TJ 0 -14 Td (c) ' ET", "q 1 0 0 1 0 0 cm Q"))
	f.Add(encryptedPDF())
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	parser := New(Options{Exe: testExe(f), Timeout: 5 * time.Second, MaxMemory: 256 << 20})
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := parser.Parse(context.Background(), ingest.File{Path: "/fuzz.pdf", Data: data}, ingest.DefaultLimits())
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
			}
			return
		}
		if len(docs) != 1 || !utf8.ValidString(docs[0].Body) || !utf8.ValidString(docs[0].Title) {
			t.Fatalf("bad documents %+v", docs)
		}
	})
}

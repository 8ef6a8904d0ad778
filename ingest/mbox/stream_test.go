package mbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
)

// writeMbox writes n messages; every seventh has no Message-ID.
func writeMbox(tb testing.TB, path string, n int) {
	tb.Helper()
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "From sender%d@example.org Mon Jan  1 10:%02d:00 2001\n", i, i%60)
		fmt.Fprintf(&b, "From: Sender %d <sender%d@example.org>\nTo: list@example.org\nSubject: Message %d\n", i, i, i)
		if i%7 != 0 {
			fmt.Fprintf(&b, "Message-ID: <m%d@example.org>\n", i)
		}
		fmt.Fprintf(&b, "Date: Mon, 1 Jan 2001 10:%02d:00 +0000\n\nBody of message %d.\n>From the archive\n\n", i%60, i)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

func newPipeline() *ingest.Pipeline {
	reg := ingest.NewRegistry()
	reg.Register(Kind, Extensions(), New())
	return ingest.NewPipeline(reg)
}

func TestStreamResumesInsideTheFile(t *testing.T) {
	const n = 1500
	path := filepath.Join(t.TempDir(), "big.mbox")
	writeMbox(t, path, n)
	sink := ingesttest.NewMemSink()
	sink.FailAt = 3 // the third commit fails, as a crash would stop it
	p := newPipeline()
	// The file is larger than the file size limit: it is streamed, and the
	// limit bounds each message instead.
	opts := ingest.Options{Paths: []string{path}, BatchSize: 100, Workers: 1, Limits: ingest.Limits{MaxFileBytes: 32 << 10, MaxDepth: 8}}
	if _, err := p.Run(context.Background(), sink, opts); !errors.Is(err, ingesttest.ErrFull) {
		t.Fatalf("first run: %v, want the commit failure", err)
	}
	info, _ := os.Stat(path)
	cp := sink.Files[path]
	if cp.Offset <= 0 || cp.Offset >= info.Size() || cp.Hash != "" || !cp.Streamed || cp.Docs != len(sink.Docs) || len(sink.Lists[path]) != cp.Docs || len(sink.Docs) == 0 || len(sink.Docs) >= n {
		t.Fatalf("checkpoint %d of %d bytes, %d listed, %d docs: want a checkpoint inside the file", cp.Offset, info.Size(), cp.Docs, len(sink.Docs))
	}
	before := sink.Puts

	sink.FailAt = 0
	prog, err := p.Run(context.Background(), sink, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(sink.Docs) != n || prog.Imported != n-before {
		t.Errorf("after resuming: %d documents (imported %d), want %d, the first %d not read again", len(sink.Docs), prog.Imported, n, before)
	}
	if sink.Puts != n {
		t.Errorf("%d documents put for %d messages: some were read twice", sink.Puts, n)
	}
	for i := range n {
		want := fmt.Sprintf("Message %d", i)
		found := false
		for _, d := range sink.Docs {
			if d.Title == want {
				found = true
				break
			}
		}
		if !found {
			t.Fatalf("%s missing after the resume", want)
		}
	}
	if f := sink.Files[path]; f.Offset != 0 || f.Hash == "" || f.Docs != n || f.Gen != cp.Gen {
		t.Errorf("final file state %+v", f)
	}
	// Unchanged: nothing is read again.
	if prog, err := p.Run(context.Background(), sink, opts); err != nil || prog.Skipped != 1 || sink.Puts != n {
		t.Errorf("third run: %+v, %v, puts %d", prog, err, sink.Puts)
	}
}

func TestStreamCutsAreReported(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cut.mbox")
	long := strings.Repeat("x", 300<<10) // one line longer than the message limit
	data := "From a@example.org Mon Jan  1 10:00:00 2001\nFrom: a@example.org\nSubject: Huge\nMessage-ID: <huge@example.org>\n\nstart " + long + "\n" +
		"From b@example.org Mon Jan  1 11:00:00 2001\nFrom: b@example.org\nSubject: Small\nMessage-ID: <small@example.org>\n\nsmall body\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	sink := ingesttest.NewMemSink()
	prog, err := newPipeline().Run(context.Background(), sink, ingest.Options{Paths: []string{path}, Limits: ingest.Limits{MaxFileBytes: 64 << 10, MaxDepth: 8}})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Imported != 2 || len(prog.Errors) != 1 || prog.Errors[0].Failed || !strings.Contains(prog.Errors[0].Error, "larger than 64.0 KB") {
		t.Fatalf("progress %+v: want both messages, and the cut listed on the file", prog)
	}
	for _, d := range sink.Docs {
		if d.Title == "Huge" && (len(d.Body) > 64<<10 || !strings.HasPrefix(d.Body, "start")) {
			t.Errorf("cut message body is %d bytes", len(d.Body))
		}
	}
}

func TestStreamMessageLimitIsReported(t *testing.T) {
	path := filepath.Join(t.TempDir(), "many.mbox")
	writeMbox(t, path, 12)
	sink := ingesttest.NewMemSink()
	lim := ingest.DefaultLimits()
	lim.MaxMessages = 10 // import.max_messages
	prog, err := newPipeline().Run(context.Background(), sink, ingest.Options{Paths: []string{path}, Limits: lim})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Imported != 10 || len(prog.Errors) != 1 || !strings.Contains(prog.Errors[0].Error, "more than 10 messages") {
		t.Fatalf("progress %+v: want 10 messages and the limit listed", prog)
	}
}

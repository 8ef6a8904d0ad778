package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
)

// stagedSink is a MemSink in two stages: Stage logs the batch, finish
// applies it after a pause (long enough for the next Stage to run beside
// it when the pipeline lets it), logging both, and can fail.
type stagedSink struct {
	*ingesttest.MemSink
	mu       sync.Mutex
	log      []string
	staged   int
	failAt   int // the finish that fails; 0 never
	inFinish int // finishes running now
	overlap  int // Stage calls made while a finish ran
}

var errDerive = errors.New("index full")

func (s *stagedSink) note(f string, a ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = append(s.log, fmt.Sprintf(f, a...))
}

func (s *stagedSink) Stage(ctx context.Context, b ingest.Batch) (func() error, error) {
	s.mu.Lock()
	s.staged++
	n := s.staged
	if s.inFinish > 0 {
		s.overlap++
	}
	s.mu.Unlock()
	s.note("stage %d", n)
	return func() error {
		s.mu.Lock()
		s.inFinish++
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inFinish--
			s.mu.Unlock()
		}()
		time.Sleep(20 * time.Millisecond)
		if n == s.failAt {
			return errDerive
		}
		s.note("finish %d", n)
		return s.MemSink.Commit(ctx, b)
	}, nil
}

// TestStagedCommitsFinishInOrder: batches are finished in the order they
// were staged, new files overlap the finish before them, every document
// lands once, and the counts are those finished.
func TestStagedCommitsFinishInOrder(t *testing.T) {
	files := map[string]string{}
	for i := range 12 {
		files[fmt.Sprintf("n%02d.txt", i)] = fmt.Sprintf("note %d", i)
	}
	dir, p := setup(t, files)
	s := &stagedSink{MemSink: ingesttest.NewMemSink()}
	prog, err := p.Run(context.Background(), s, ingest.Options{Paths: []string{dir}, BatchSize: 2, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Imported != 12 || len(s.Docs) != 12 || s.Puts != 12 {
		t.Fatalf("progress %+v, %d docs, %d puts", prog, len(s.Docs), s.Puts)
	}
	var finishes []string
	for _, l := range s.log {
		if l[:6] == "finish" {
			finishes = append(finishes, l)
		}
	}
	for i, f := range finishes {
		if want := fmt.Sprintf("finish %d", i+1); f != want {
			t.Fatalf("finishes out of order: %v", finishes)
		}
	}
	if s.overlap == 0 {
		t.Fatalf("no batch was stored while the one before it finished: %v", s.log)
	}

	// Touch every file: a re-import of changed files never overlaps.
	for name := range files {
		files[name] += " changed"
	}
	for name, body := range files {
		writeFile(t, dir, name, body)
	}
	s.overlap, s.log = 0, nil
	prog, err = p.Run(context.Background(), s, ingest.Options{Paths: []string{dir}, BatchSize: 2, Workers: 1})
	if err != nil || prog.Updated != 12 {
		t.Fatalf("re-import: %+v, %v", prog, err)
	}
	if s.overlap != 0 {
		t.Fatalf("%d batches of changed files were stored while another finished: %v", s.overlap, s.log)
	}
}

// TestStagedFinishErrorStopsTheRun: a failing finish ends the run with its
// error, nothing after it is finished, and the count holds only what was.
func TestStagedFinishErrorStopsTheRun(t *testing.T) {
	files := map[string]string{}
	for i := range 10 {
		files[fmt.Sprintf("n%02d.txt", i)] = fmt.Sprintf("note %d", i)
	}
	dir, p := setup(t, files)
	s := &stagedSink{MemSink: ingesttest.NewMemSink(), failAt: 2}
	prog, err := p.Run(context.Background(), s, ingest.Options{Paths: []string{dir}, BatchSize: 2, Workers: 1})
	if !errors.Is(err, errDerive) {
		t.Fatalf("err %v, want the finish's", err)
	}
	if prog.Imported != 2 || len(s.Docs) != 2 || len(s.Files) != 2 {
		t.Fatalf("progress %+v, %d docs, %d files: only the first batch finished", prog, len(s.Docs), len(s.Files))
	}
	for _, l := range s.log {
		if l == "finish 3" || l == "finish 4" {
			t.Fatalf("a batch after the failure finished: %v", s.log)
		}
	}
}

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	// A later mtime, so the change is seen whatever the clock's grain.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, name), later, later); err != nil {
		t.Fatal(err)
	}
}

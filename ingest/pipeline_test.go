package ingest_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
)

// lines is a parser that makes one document per file, titled by its first line.
func lines() ingest.Parser {
	return ingest.ParserFunc(func(_ context.Context, f ingest.File, _ ingest.Limits) ([]document.Document, error) {
		data, err := ingest.CheckText(f.Data)
		if err != nil {
			return nil, err
		}
		if strings.HasPrefix(string(data), "PANIC") {
			panic("hostile file")
		}
		title, _, _ := strings.Cut(string(data), "\n")
		return []document.Document{{Title: title, Body: string(data)}}, nil
	})
}

func setup(t *testing.T, files map[string]string) (string, *ingest.Pipeline) {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := ingest.NewRegistry()
	reg.Register("lines", []string{".txt"}, lines())
	return dir, ingest.NewPipeline(reg)
}

func TestPipelineCountsAndReasons(t *testing.T) {
	dir, p := setup(t, map[string]string{
		"a.txt":               "alpha\nbody",
		"sub/b.txt":           "beta",
		".hidden/c.txt":       "hidden",
		"skipme/d.txt":        "excluded",
		"empty.txt":           "",
		"bin.txt":             "\x00\x00\x00",
		"crash.txt":           "PANIC now",
		"picture.png":         "\x89PNG",
		"notes/.obsidian.txt": "dot file",
	})
	sink := ingesttest.NewMemSink()
	prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}, Excludes: []string{"skipme"}, BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Imported != 2 || prog.Failed != 2 || prog.Skipped != 2 || len(sink.Docs) != 2 {
		t.Fatalf("progress %+v, docs %d", prog, len(sink.Docs))
	}
	reasons := map[string]string{}
	for _, e := range prog.Errors {
		reasons[filepath.Base(e.Path)] = e.Error
	}
	if len(reasons) != 3 || !strings.Contains(reasons["empty.txt"], "empty") || !strings.Contains(reasons["bin.txt"], "binary") || !strings.Contains(reasons["crash.txt"], "crashed") {
		t.Fatalf("reasons %v (the .png is skipped quietly)", reasons)
	}
}

func TestPipelineStopsOnSinkErrorAndKeepsEarlierBatches(t *testing.T) {
	files := map[string]string{}
	for _, n := range []string{"1", "2", "3", "4", "5", "6"} {
		files[n+".txt"] = "doc " + n
	}
	dir, p := setup(t, files)
	sink := ingesttest.NewMemSink()
	sink.FailAt = 3
	_, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}, BatchSize: 1, Workers: 1})
	if !errors.Is(err, ingesttest.ErrFull) {
		t.Fatalf("got %v, want the sink's error", err)
	}
	if len(sink.Files) != 2 {
		t.Fatalf("%d files recorded, want the 2 committed before the failure", len(sink.Files))
	}
}

func TestPipelineCancelKeepsWhatWasRead(t *testing.T) {
	files := map[string]string{}
	for i := range 200 {
		files[filepath.Join("d", strings.Repeat("x", i%7+1)+string(rune('a'+i%26))+".txt")] = "doc"
	}
	dir, p := setup(t, files)
	ctx, cancel := context.WithCancel(context.Background())
	sink := ingesttest.NewMemSink()
	n := 0
	_, err := p.Run(ctx, sink, ingest.Options{Paths: []string{dir}, BatchSize: 5, Progress: func(ingest.Progress) {
		if n++; n == 10 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	// Everything recorded is stored: the checkpoint never runs ahead.
	for path, f := range sink.Files {
		for _, id := range f.DocIDs {
			if _, ok := sink.Docs[id]; !ok {
				t.Fatalf("%s recorded without its document", path)
			}
		}
	}
	// Running again finishes the job without repeating what was done.
	prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}})
	if err != nil || prog.Imported+prog.Skipped != prog.Done || len(sink.Files) != prog.Done {
		t.Fatalf("resume: %+v, %v, %d files", prog, err, len(sink.Files))
	}
}

func TestPipelineRemovesVanishedFiles(t *testing.T) {
	dir, p := setup(t, map[string]string{"keep.txt": "k", "gone.txt": "g"})
	sink := ingesttest.NewMemSink()
	if _, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}}); err != nil {
		t.Fatal(err)
	}
	os.Remove(filepath.Join(dir, "gone.txt"))
	prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}})
	if err != nil || prog.Removed != 1 || len(sink.Docs) != 1 {
		t.Fatalf("%+v, %v, docs %d", prog, err, len(sink.Docs))
	}
	// Importing one file of a folder never removes its siblings.
	prog, err = p.Run(context.Background(), sink, ingest.Options{Paths: []string{filepath.Join(dir, "keep.txt")}})
	if err != nil || prog.Removed != 0 {
		t.Fatalf("single file: %+v, %v", prog, err)
	}
}

func TestRegistryPanicsOnDuplicate(t *testing.T) {
	reg := ingest.NewRegistry()
	reg.Register("a", []string{".x"}, lines())
	defer func() {
		if recover() == nil {
			t.Fatal("no panic on a duplicate extension")
		}
	}()
	reg.Register("b", []string{".X"}, lines())
}

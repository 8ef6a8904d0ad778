package slack_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/slack"
)

// memSink is an in-memory ingest.Sink: what the app's store would hold.
type memSink struct {
	mu    sync.Mutex
	files map[string]ingest.FileState
	docs  map[string]document.Document
}

func newMemSink() *memSink {
	return &memSink{files: map[string]ingest.FileState{}, docs: map[string]document.Document{}}
}

func (m *memSink) Known(path string) (ingest.FileState, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.files[path]
	return f, ok, nil
}

func (m *memSink) KnownUnder(root string) ([]ingest.FileState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ingest.FileState
	for p, f := range m.files {
		if strings.HasPrefix(p, root) {
			out = append(out, f)
		}
	}
	return out, nil
}

func (m *memSink) Commit(_ context.Context, b ingest.Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, d := range b.Docs {
		m.docs[d.ID] = d
	}
	for _, f := range b.Files {
		m.files[f.Path] = f
	}
	for _, f := range b.Removed {
		for _, id := range f.DocIDs {
			delete(m.docs, id)
		}
		delete(m.files, f.Path)
	}
	return nil
}

// run imports paths the way the app does: a registry with the Slack parser
// registered, the real pipeline, and a sink.
func run(t testing.TB, sink *memSink, lim ingest.Limits, paths ...string) ingest.Progress {
	t.Helper()
	reg := ingest.NewRegistry()
	slack.Register(reg)
	prog, err := ingest.NewPipeline(reg).Run(context.Background(), sink, ingest.Options{Paths: paths, Limits: lim})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return prog
}

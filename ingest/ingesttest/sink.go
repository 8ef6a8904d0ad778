// Package ingesttest holds test helpers for the import pipeline: an
// in-memory Sink that keeps what the app's store would hold.
package ingesttest

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// ErrFull is the error MemSink returns from its FailAt-th Commit.
var ErrFull = errors.New("disk full")

// MemSink is an in-memory ingest.Sink. Read Docs and Files once the
// pipeline has returned; Commit is safe for the pipeline's concurrent use.
type MemSink struct {
	mu      sync.Mutex
	Files   map[string]ingest.FileState
	Docs    map[string]document.Document
	Commits int // Commit calls so far
	Puts    int // documents put so far, counting each put of the same one
	FailAt  int // the Commit call that fails with ErrFull; 0 never
}

// NewMemSink returns an empty sink.
func NewMemSink() *MemSink {
	return &MemSink{Files: map[string]ingest.FileState{}, Docs: map[string]document.Document{}}
}

// Known returns the state recorded for path.
func (m *MemSink) Known(path string) (ingest.FileState, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, ok := m.Files[path]
	return f, ok, nil
}

// KnownUnder lists the recorded files below root.
func (m *MemSink) KnownUnder(root string) ([]ingest.FileState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ingest.FileState
	for p, f := range m.Files {
		if strings.HasPrefix(p, root) {
			out = append(out, f)
		}
	}
	return out, nil
}

// Commit applies a batch, or fails with ErrFull on the FailAt-th call.
func (m *MemSink) Commit(_ context.Context, b ingest.Batch) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Commits++
	if m.Commits == m.FailAt {
		return ErrFull
	}
	for _, d := range b.Docs {
		m.Docs[d.ID] = d
	}
	m.Puts += len(b.Docs)
	for _, f := range b.Files {
		m.Files[f.Path] = f
	}
	for _, f := range b.Removed {
		delete(m.Files, f.Path)
		for _, id := range f.DocIDs {
			delete(m.Docs, id)
		}
	}
	return nil
}

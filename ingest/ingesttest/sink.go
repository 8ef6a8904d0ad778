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
	// Lists holds the document list of each streamed file, as the store's
	// filedocs bucket does: document ID to the generation that listed it.
	Lists map[string]map[string]uint32
}

// NewMemSink returns an empty sink.
func NewMemSink() *MemSink {
	return &MemSink{Files: map[string]ingest.FileState{}, Docs: map[string]document.Document{}, Lists: map[string]map[string]uint32{}}
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
		if f.Streamed {
			l := m.Lists[f.Path]
			if l == nil {
				l = map[string]uint32{}
				m.Lists[f.Path] = l
			}
			for _, id := range f.DocIDs {
				l[id] = f.Gen
			}
			if f.Offset == 0 {
				for id, g := range l {
					if g != f.Gen {
						delete(l, id)
						delete(m.Docs, id)
					}
				}
			}
			f.Docs, f.DocIDs = len(l), nil
		}
		m.Files[f.Path] = f
	}
	for _, f := range b.Removed {
		delete(m.Files, f.Path)
		for _, id := range f.DocIDs {
			delete(m.Docs, id)
		}
		for id := range m.Lists[f.Path] {
			delete(m.Docs, id)
		}
		delete(m.Lists, f.Path)
	}
	return nil
}

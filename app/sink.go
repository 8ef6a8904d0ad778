package app

import (
	"context"
	"errors"
	"fmt"
	"github.com/engram-app/engram/derive"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/store"
)

// sink writes what the import pipeline read into one workspace: the store
// first (the system of record), then the index and the graph derived from it.
type sink struct {
	a *App
	w *workspace
}

func (s sink) Known(path string) (ingest.FileState, bool, error) {
	rec, ok, err := s.a.store.File(s.w.name, path)
	return fileState(rec), ok, err
}

func (s sink) KnownUnder(root string) ([]ingest.FileState, error) {
	recs, err := s.a.store.FilesUnder(s.w.name, root)
	out := make([]ingest.FileState, len(recs))
	for i, r := range recs {
		out[i] = fileState(r)
	}
	return out, err
}

func fileState(r store.FileRecord) ingest.FileState {
	return ingest.FileState{Path: r.Path, DocIDs: r.DocIDs, Hash: r.Hash, ModTime: r.ModTime, Size: r.Size, Offset: r.Offset, Count: r.Count, Streamed: r.Streamed, Gen: r.Gen, Docs: r.Docs}
}

// Commit writes a batch in three steps: the documents into the store, then
// the index and the graph (at the same time), then the file records. The
// file records are the checkpoint: a file counts as imported only once all
// three hold it, so an import killed at any point re-reads exactly the files
// whose documents may not have reached every place, and writes them again
// in place (same IDs) — nothing lost, nothing twice.
func (s sink) Commit(ctx context.Context, b ingest.Batch) error {
	finish, err := s.Stage(ctx, b)
	if err != nil {
		return err
	}
	return finish()
}

// Stage is the first half of Commit (ingest.StagedSink): the documents go
// into the store; the returned finish writes the index and the graph, then
// the checkpoint. The pipeline stores the next batch while one finishes.
func (s sink) Stage(ctx context.Context, b ingest.Batch) (finish func() error, err error) {
	var files store.Write
	for _, f := range b.Files {
		files.Files = append(files.Files, store.FileRecord{Path: f.Path, DocIDs: f.DocIDs, Hash: f.Hash, ModTime: f.ModTime, Size: f.Size, Offset: f.Offset, Count: f.Count, Streamed: f.Streamed, Gen: f.Gen, Docs: f.Docs})
	}
	for _, f := range b.Removed {
		files.DeleteFiles = append(files.DeleteFiles, f.Path)
	}
	// Documents go when no file holds them any more: those of a deleted
	// file and those a changed file no longer yields, unless a copy
	// elsewhere (the same message in another folder) still holds them.
	orphans, err := s.a.store.Orphans(s.w.name, files.Files, files.DeleteFiles)
	if err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	docs, err := s.mergeCopies(b.Docs)
	if err != nil {
		return nil, err
	}
	w := store.Write{Put: docs, Delete: orphans}
	if err := s.a.store.Apply(s.w.name, w); err != nil {
		return nil, fmt.Errorf("saving to the store: %w", err)
	}
	if err := s.a.store.AddReplies(s.w.name, store.ReplyParents(docs)); err != nil {
		return nil, fmt.Errorf("saving to the store: %w", err)
	}
	if err := s.a.store.AddNotePaths(s.w.name, docs); err != nil {
		return nil, fmt.Errorf("saving to the store: %w", err)
	}
	return func() error {
		if err := s.derive(ctx, docs, w.Delete); err != nil {
			return err
		}
		if err := s.a.queueEmbedding(s.w.name, b.Docs, w.Delete); err != nil {
			return err
		}
		if err := s.a.store.Apply(s.w.name, files); err != nil {
			return fmt.Errorf("saving the import checkpoint: %w", err)
		}
		return nil
	}, nil
}

// derive writes the index and the graph, which are both derived from what
// was just stored and independent of each other, at the same time.
func (s sink) derive(ctx context.Context, docs []document.Document, deleted []string) error {
	var idxErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := s.w.index.Put(ctx, docs); err != nil {
			idxErr = fmt.Errorf("indexing: %w; run `engram doctor --repair`", err)
			return
		}
		if len(deleted) > 0 {
			if err := s.w.index.Delete(ctx, deleted); err != nil {
				idxErr = fmt.Errorf("removing from the index: %w; run `engram doctor --repair`", err)
			}
		}
	}()
	graphErr := s.a.updateGraph(ctx, s.w, docs, deleted)
	<-done
	return errors.Join(idxErr, graphErr)
}

// updateGraph derives the graph contributions of docs, re-derives the notes
// whose links now resolve, and removes the contributions of deleted docs.
// Without a graph (degraded) it does nothing: doctor rebuilds it later.
func (a *App) updateGraph(ctx context.Context, w *workspace, docs []document.Document, deleted []string) error {
	if w.graph() == nil {
		return nil
	}
	if len(deleted) > 0 {
		if err := w.graph().Remove(ctx, deleted); err != nil {
			return fmt.Errorf("updating the graph: %w", err)
		}
	}
	if len(docs) == 0 {
		return nil
	}
	// Notes that were waiting for one of these names can now link.
	var names []string
	for i := range docs {
		names = append(names, store.DocNames(&docs[i])...)
	}
	waiting, err := a.store.TakeDangling(w.name, names)
	if err != nil {
		return err
	}
	inBatch := make(map[string]bool, len(docs))
	for i := range docs {
		inBatch[docs[i].ID] = true
	}
	var again []string
	for _, srcs := range waiting {
		for _, id := range srcs {
			if !inBatch[id] {
				again = append(again, id)
				inBatch[id] = true
			}
		}
	}
	all := docs
	if len(again) > 0 {
		more, err := a.store.Documents(w.name, again)
		if err != nil {
			return err
		}
		all = append(append([]document.Document(nil), docs...), more...)
	}
	d, err := derive.Documents(a.store, w.name, all)
	if err != nil {
		return err
	}
	if err := a.store.AddDangling(w.name, d.Dangling); err != nil {
		return err
	}
	if err := w.graph().Replace(ctx, d.Contribs); err != nil {
		return fmt.Errorf("updating the graph: %w", err)
	}
	return nil
}

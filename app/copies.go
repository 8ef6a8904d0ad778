package app

import (
	"fmt"

	"github.com/engram-app/engram/document"
)

// mergeCopies folds together the copies of a message that a batch holds
// (the same Message-ID, so the same document ID, read from several files)
// and merges each with the stored document of its ID when that was read
// from another file (document.MergeCopy), so the message stays findable by
// the words and dates of every copy, not only of the last one imported. A
// document re-read from the file it was stored from replaces it.
func (s sink) mergeCopies(docs []document.Document) ([]document.Document, error) {
	at := make(map[string]int, len(docs))
	out := make([]document.Document, 0, len(docs))
	var ids []string
	for i := range docs {
		d := docs[i]
		if d.MessageID == "" {
			out = append(out, d)
			continue
		}
		if j, ok := at[d.ID]; ok {
			out[j].MergeCopy(&d)
			continue
		}
		at[d.ID] = len(out)
		out = append(out, d)
		ids = append(ids, d.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	stored, err := s.a.store.Documents(s.w.name, ids)
	if err != nil {
		return nil, fmt.Errorf("reading the store: %w", err)
	}
	for i := range stored {
		old := &stored[i]
		j := at[old.ID]
		if old.Path == out[j].Path {
			continue
		}
		old.MergeCopy(&out[j])
		out[j] = *old
	}
	return out, nil
}

package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

// bNotePaths is the workspace bucket that lists the notes of each file
// name, for links resolved as Obsidian resolves them (created on first use).
var bNotePaths = []byte("notepaths")

// NotePath is a note found by its file name: its document ID and path.
type NotePath struct {
	ID   string
	Path string
}

// AddNotePaths records the file name of each Markdown note of docs, so
// NotesNamed can list every note a bare [[Name]] may mean. Entries of notes
// removed since are left for readers to skip (their document is gone).
func (s *Store) AddNotePaths(ws string, docs []document.Document) error {
	var notes []document.Document
	for _, d := range docs {
		if d.Source == document.SourceMarkdown && d.Path != "" {
			notes = append(notes, d)
		}
	}
	if len(notes) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucketOnUse(tx, ws, bNotePaths)
		if err != nil {
			return err
		}
		for _, d := range notes {
			name := document.NormalizeName(baseName(d.Path))
			if name == "" {
				continue
			}
			if err := b.Put([]byte(name+"\x00"+d.Path), []byte(d.ID)); err != nil {
				return err
			}
		}
		return nil
	})
}

// NotesNamed lists, for each normalised file name, the notes recorded with
// it (see AddNotePaths), in path order, at most limit per name.
func (s *Store) NotesNamed(ws string, names []string, limit int) (map[string][]NotePath, error) {
	out := map[string][]NotePath{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := bucketOnUse(tx, ws, bNotePaths)
		if err != nil || b == nil {
			return err
		}
		c := b.Cursor()
		for _, n := range names {
			if _, done := out[n]; done || n == "" {
				continue
			}
			prefix := []byte(n + "\x00")
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(out[n]) < limit; k, v = c.Next() {
				out[n] = append(out[n], NotePath{ID: string(v), Path: string(k[len(prefix):])})
			}
		}
		return nil
	})
	return out, err
}

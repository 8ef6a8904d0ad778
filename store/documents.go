package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/store/boltmap"
)

// FileRecord is what the store remembers of an imported file, so that a
// re-import can skip it when it did not change.
type FileRecord struct {
	Path    string    `json:"path"`
	DocIDs  []string  `json:"doc_ids"`
	Hash    string    `json:"hash"`
	ModTime time.Time `json:"mod_time"`
	Size    int64     `json:"size"`
	// A checkpoint inside a file being streamed (an mbox): the byte offset
	// where reading resumes and how many messages came before it. Zero
	// once the whole file is imported.
	Offset int64 `json:"offset,omitempty"`
	Count  int   `json:"count,omitempty"`
	// Streamed says the record lists its documents in the filedocs bucket
	// rather than in DocIDs, so that a file of any number of messages (an
	// mbox) has a record of bounded size: in a Write, DocIDs are then the
	// documents to add to the file's list (a chunk), never all of them.
	// Gen is the import of the file that listed a document: the record of
	// a whole file (Offset 0) drops the documents of other generations.
	// Docs is how many documents the list holds.
	Streamed bool   `json:"streamed,omitempty"`
	Gen      uint32 `json:"gen,omitempty"`
	Docs     int    `json:"docs,omitempty"`
}

// bFileDocs lists the documents of streamed file records: key path NUL id,
// value the generation (4 bytes, big-endian) that listed it. It is made
// when first needed, so older stores need no migration.
var bFileDocs = []byte("filedocs")

func fileDocKey(path, id string) []byte { return []byte(path + "\x00" + id) }

// fileDocsOf returns the filedocs bucket of ws, made when create is set;
// nil when there is none yet.
func fileDocsOf(tx *bolt.Tx, ws string, create bool) (*bolt.Bucket, error) {
	root := tx.Bucket(wsBucketName(ws))
	if root == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, ws)
	}
	if b := root.Bucket(bFileDocs); b != nil || !create {
		return b, nil
	}
	return root.CreateBucket(bFileDocs)
}

// forFileDocs calls fn with each document listed for path in fd (a nil
// bucket lists none) and the generation that listed it.
func forFileDocs(fd *bolt.Bucket, path string, fn func(id string, gen uint32) error) error {
	if fd == nil {
		return nil
	}
	prefix := []byte(path + "\x00")
	c := fd.Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var gen uint32
		if len(v) == 4 {
			gen = binary.BigEndian.Uint32(v)
		}
		if err := fn(string(k[len(prefix):]), gen); err != nil {
			return err
		}
	}
	return nil
}

// FileDocIDs returns the documents the record of path lists, in ID order:
// its DocIDs, or its filedocs list when it is streamed. It is for checks
// and tests; an import never needs the whole list.
func (s *Store) FileDocIDs(ws, path string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		files, err := wsBucket(tx, ws, bFiles)
		if err != nil {
			return err
		}
		var rec FileRecord
		if raw := files.Get([]byte(path)); raw == nil || openValue(raw, &rec) != nil {
			return nil
		}
		if !rec.Streamed {
			out = append(out, rec.DocIDs...)
			return nil
		}
		fd, err := fileDocsOf(tx, ws, false)
		if err != nil {
			return err
		}
		return forFileDocs(fd, path, func(id string, _ uint32) error {
			out = append(out, id)
			return nil
		})
	})
	return out, err
}

// Write is one batch of changes to a workspace's documents, applied in a
// single transaction: documents put (inserted or replaced), documents
// deleted, and the file records that say where they came from.
type Write struct {
	Put         []document.Document
	Files       []FileRecord
	Delete      []string // document IDs
	DeleteFiles []string // source paths no longer present
}

// Apply writes the batch in one transaction. Putting a document also
// indexes its title and aliases as names (for link resolution), dropping
// the names its previous version had.
func (s *Store) Apply(ws string, w Write) error {
	return s.update(func(tx *bolt.Tx) error {
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		names, _ := wsBucket(tx, ws, bNames)
		files, _ := wsBucket(tx, ws, bFiles)
		authors, _ := wsBucket(tx, ws, bAuthors)
		for _, id := range w.Delete {
			if err := dropDoc(docs, names, id); err != nil {
				return err
			}
			if err := authors.Delete([]byte(id)); err != nil {
				return err
			}
		}
		docFiles, _ := wsBucket(tx, ws, bDocFiles)
		for _, p := range w.DeleteFiles {
			if err := unlinkFile(tx, ws, files, docFiles, p); err != nil {
				return err
			}
			if err := files.Delete([]byte(p)); err != nil {
				return err
			}
		}
		for i := range w.Put {
			d := &w.Put[i]
			if err := dropDoc(docs, names, d.ID); err != nil {
				return err
			}
			raw, err := encodeDoc(d)
			if err != nil {
				return fmt.Errorf("encoding document %s: %w", d.ID, err)
			}
			if err := docs.put(d.ID, raw); err != nil {
				return err
			}
			if d.MessageID != "" && d.From != "" {
				if err := authors.Put([]byte(d.ID), []byte(d.From)); err != nil {
					return err
				}
			}
			for _, n := range docNames(d) {
				// The first document to claim a name keeps it, so links
				// stay stable when a later note reuses a title.
				if names.Get([]byte(n)) == nil {
					if err := names.Put([]byte(n), []byte(d.ID)); err != nil {
						return err
					}
				}
			}
		}
		var fileDocs *bolt.Bucket
		for _, f := range w.Files {
			if f.Streamed {
				if fileDocs == nil {
					if fileDocs, err = fileDocsOf(tx, ws, true); err != nil {
						return err
					}
				}
				if err := putStreamed(files, docFiles, fileDocs, f); err != nil {
					return err
				}
				continue
			}
			if err := unlinkFile(tx, ws, files, docFiles, f.Path); err != nil {
				return err
			}
			raw, _ := sealValue(f)
			if err := files.Put([]byte(f.Path), raw); err != nil {
				return err
			}
			for _, id := range f.DocIDs {
				if err := docFiles.Put(docFileKey(id, f.Path), nil); err != nil {
					return err
				}
			}
		}
		if err := markGapsDirty(tx, ws, w); err != nil {
			return err
		}
		if len(w.Put)+len(w.Delete)+len(w.Files)+len(w.DeleteFiles) >= boltmap.LargeWrite {
			// An import's batches would otherwise leave the whole file
			// mapped into the process (see boltmap).
			boltmap.Release(tx)
		}
		return nil
	})
}

// docFileKey is the docfiles key saying that the file at path holds the
// document id.
func docFileKey(id, path string) []byte { return []byte(id + "\x00" + path) }

// unlinkFile drops the docfiles entries of the file's current record (and,
// for a streamed one, its filedocs list).
func unlinkFile(tx *bolt.Tx, ws string, files, docFiles *bolt.Bucket, path string) error {
	raw := files.Get([]byte(path))
	if raw == nil {
		return nil
	}
	var old FileRecord
	if err := openValue(raw, &old); err != nil {
		// A damaged record names no documents to unlink; Verify reports
		// it, and the record is about to be replaced or removed.
		return nil
	}
	for _, id := range old.DocIDs {
		if err := docFiles.Delete(docFileKey(id, path)); err != nil {
			return err
		}
	}
	fd, err := fileDocsOf(tx, ws, false)
	if err != nil || fd == nil {
		return err
	}
	var keys [][]byte
	if err := forFileDocs(fd, path, func(id string, _ uint32) error {
		keys = append(keys, fileDocKey(path, id))
		return docFiles.Delete(docFileKey(id, path))
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := fd.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// putStreamed writes the record of a streamed file: its DocIDs join the
// file's list under its generation; the record of the whole file (Offset
// 0) drops the documents that other generations listed (Orphans chose
// which of them go). A record that listed its documents inline (written
// before records were streamed) has them moved to the list first.
func putStreamed(files, docFiles, fd *bolt.Bucket, f FileRecord) error {
	var old FileRecord
	if raw := files.Get([]byte(f.Path)); raw != nil && openValue(raw, &old) == nil {
		if !old.Streamed {
			old.Docs = 0
			for _, id := range old.DocIDs {
				if err := putFileDoc(fd, f.Path, id, old.Gen, &old.Docs); err != nil {
					return err
				}
			}
		}
		if old.Gen != f.Gen {
			old.Docs = 0 // counted again as the new generation lists them
		}
	}
	f.Docs = old.Docs
	for _, id := range f.DocIDs {
		if err := putFileDoc(fd, f.Path, id, f.Gen, &f.Docs); err != nil {
			return err
		}
		if err := docFiles.Put(docFileKey(id, f.Path), nil); err != nil {
			return err
		}
	}
	if f.Offset == 0 {
		var stale []string
		if err := forFileDocs(fd, f.Path, func(id string, gen uint32) error {
			if gen != f.Gen {
				stale = append(stale, id)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range stale {
			if err := fd.Delete(fileDocKey(f.Path, id)); err != nil {
				return err
			}
			if err := docFiles.Delete(docFileKey(id, f.Path)); err != nil {
				return err
			}
		}
	}
	f.DocIDs = nil
	raw, _ := sealValue(f)
	return files.Put([]byte(f.Path), raw)
}

// putFileDoc lists id for path under gen, counting it in n when the
// generation did not list it yet.
func putFileDoc(fd *bolt.Bucket, path, id string, gen uint32, n *int) error {
	k := fileDocKey(path, id)
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], gen)
	if cur := fd.Get(k); bytes.Equal(cur, v[:]) {
		return nil
	}
	*n++
	return fd.Put(k, v[:])
}

// Orphans returns the documents that no file would hold once the given
// file records replace the current ones and the removed paths are gone: the
// documents a changed file no longer yields and those of a deleted file,
// except where another file (a copy of the same message elsewhere) still
// holds them.
func (s *Store) Orphans(ws string, changed []FileRecord, removed []string) ([]string, error) {
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		files, err := wsBucket(tx, ws, bFiles)
		if err != nil {
			return err
		}
		docFiles, _ := wsBucket(tx, ws, bDocFiles)
		fd, err := fileDocsOf(tx, ws, false)
		if err != nil {
			return err
		}
		leaving := map[string]bool{} // paths whose current record goes
		kept := map[string]bool{}    // documents the new records hold
		gens := map[string]uint32{}  // streamed paths read whole: their generation
		for _, p := range removed {
			leaving[p] = true
		}
		for _, f := range changed {
			for _, id := range f.DocIDs {
				kept[id] = true
			}
			if f.Streamed && f.Offset != 0 {
				// A checkpoint inside a streamed file only adds to its
				// list: what it no longer holds is known at its end.
				continue
			}
			leaving[f.Path] = true
			if f.Streamed {
				gens[f.Path] = f.Gen
			}
		}
		seen := map[string]bool{}
		consider := func(id string) {
			if kept[id] || seen[id] {
				return
			}
			seen[id] = true
			if !heldElsewhere(docFiles, id, leaving) {
				out = append(out, id)
			}
		}
		for p := range leaving {
			raw := files.Get([]byte(p))
			if raw == nil {
				continue
			}
			var old FileRecord
			if err := openValue(raw, &old); err != nil {
				continue // damaged: its documents are unknown (Verify reports it)
			}
			gen, streamedNow := gens[p]
			for _, id := range old.DocIDs {
				if !streamedNow || old.Gen != gen {
					consider(id)
				}
			}
			if err := forFileDocs(fd, p, func(id string, g uint32) error {
				if !streamedNow || g != gen {
					consider(id)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		sort.Strings(out)
		return nil
	})
	return out, err
}

// heldElsewhere reports whether a file other than the leaving ones holds id.
func heldElsewhere(docFiles *bolt.Bucket, id string, leaving map[string]bool) bool {
	prefix := []byte(id + "\x00")
	c := docFiles.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		if !leaving[string(k[len(prefix):])] {
			return true
		}
	}
	return false
}

// docNames are the normalised names a document is found by as a link
// target: its title, its file's base name and its aliases.
func docNames(d *document.Document) []string {
	if d.Source == document.SourceEmail || d.Source == document.SourceSlack {
		return nil // messages are not link targets; 100,000 subjects would only fill the bucket
	}
	var out []string
	add := func(s string) {
		if n := document.NormalizeName(s); n != "" {
			out = append(out, n)
		}
	}
	add(d.Title)
	if d.Source == document.SourceMarkdown {
		add(baseName(d.Path))
	}
	for _, a := range d.Aliases {
		add(a)
	}
	return out
}

func baseName(p string) string {
	i := len(p) - 1
	for i >= 0 && p[i] != '/' && p[i] != '\\' {
		i--
	}
	b := p[i+1:]
	if j := lastDot(b); j > 0 {
		b = b[:j]
	}
	return b
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

func dropDoc(docs docTable, names *bolt.Bucket, id string) error {
	raw := docs.get(id)
	if raw == nil {
		return nil
	}
	var old document.Document
	if err := decodeDoc(raw, &old); err == nil {
		for _, n := range docNames(&old) {
			if bytes.Equal(names.Get([]byte(n)), []byte(id)) {
				if err := names.Delete([]byte(n)); err != nil {
					return err
				}
			}
		}
	}
	return docs.del(id)
}

// Document returns one document, or ErrNotFound.
func (s *Store) Document(ws, id string) (document.Document, error) {
	var d document.Document
	err := s.view(func(tx *bolt.Tx) error {
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		raw := docs.get(id)
		if raw == nil {
			return fmt.Errorf("document %s: %w", id, ErrNotFound)
		}
		return readDoc(ws, id, raw, &d)
	})
	return d, err
}

// readDoc decodes the stored value of document id and checks that it is
// that document: a damaged value, or a docids entry damaged into pointing
// at another document, is a CorruptError naming the record.
func readDoc(ws, id string, raw []byte, d *document.Document) error {
	what := fmt.Sprintf("document %s of workspace %s", id, ws)
	if err := decodeDoc(raw, d); err != nil {
		return corruptAt(what, err)
	}
	if d.ID != id {
		return &CorruptError{Record: what, Reason: "its index entry points at another record"}
	}
	return nil
}

// Documents returns the documents with the given IDs that exist, in order.
// Damaged ones are left out and listed in a *DamagedError returned with the
// others.
func (s *Store) Documents(ws string, ids []string) ([]document.Document, error) {
	out := make([]document.Document, 0, len(ids))
	var damaged DamagedError
	err := s.view(func(tx *bolt.Tx) error {
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		for _, id := range ids {
			raw := docs.get(id)
			if raw == nil {
				continue
			}
			var d document.Document
			if err := readDoc(ws, id, raw, &d); err != nil {
				var ce *CorruptError
				if errors.As(err, &ce) {
					damaged.Records = append(damaged.Records, ce)
					continue
				}
				return err
			}
			out = append(out, d)
		}
		return nil
	})
	if err == nil && len(damaged.Records) > 0 {
		err = &damaged
	}
	return out, err
}

// ForEachDocument calls fn for every document of the workspace, in the order
// they were first stored,
// reading pageSize documents per short read transaction so that writers are
// never held up. fn runs outside any transaction; returning an error stops.
// A damaged document is skipped, and the walk ends with a *DamagedError
// listing every one it skipped.
func (s *Store) ForEachDocument(ws string, pageSize int, fn func(document.Document) error) error {
	if pageSize <= 0 {
		pageSize = 500
	}
	var after []byte
	var damaged DamagedError
	for {
		read := 0
		page := make([]document.Document, 0, pageSize)
		err := s.view(func(tx *bolt.Tx) error {
			docs, err := docTableOf(tx, ws)
			if err != nil {
				return err
			}
			c := docs.seq.Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && read < pageSize; k, v = c.Next() {
				read++
				after = append(after[:0], k...)
				var d document.Document
				if err := decodeDoc(v, &d); err != nil {
					damaged.Records = append(damaged.Records, corruptAt(docRecordName(ws, k), err).(*CorruptError))
					continue
				}
				page = append(page, d)
			}
			// A walk over every document (doctor's rebuild) would
			// otherwise leave the whole file mapped (see boltmap).
			boltmap.Release(tx)
			return nil
		})
		if err != nil {
			return err
		}
		for _, d := range page {
			if err := fn(d); err != nil {
				return err
			}
		}
		if read < pageSize {
			if len(damaged.Records) > 0 {
				return &damaged
			}
			return nil
		}
	}
}

// docRecordName names a docseq record by its sequence number.
func docRecordName(ws string, seq []byte) string {
	n := uint64(0)
	if len(seq) == 8 {
		n = binary.BigEndian.Uint64(seq)
	}
	return fmt.Sprintf("document record #%d of workspace %s", n, ws)
}

// CountDocuments returns how many documents the workspace holds.
func (s *Store) CountDocuments(ws string) (int, error) {
	var n int
	err := s.view(func(tx *bolt.Tx) error {
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		n = docs.count()
		return nil
	})
	return n, err
}

// File returns the record of an imported file; ok is false when the path
// was never imported.
func (s *Store) File(ws, path string) (rec FileRecord, ok bool, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		files, err := wsBucket(tx, ws, bFiles)
		if err != nil {
			return err
		}
		raw := files.Get([]byte(path))
		if raw == nil {
			return nil
		}
		// A damaged record reads as never imported: the file is read
		// again and its record written anew.
		ok = openValue(raw, &rec) == nil
		return nil
	})
	return rec, ok, err
}

// FilesUnder returns the records of imported files whose path starts with
// prefix (a directory path ending in a separator, or a file path).
func (s *Store) FilesUnder(ws, prefix string) ([]FileRecord, error) {
	var out []FileRecord
	err := s.view(func(tx *bolt.Tx) error {
		files, err := wsBucket(tx, ws, bFiles)
		if err != nil {
			return err
		}
		c := files.Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			var r FileRecord
			if err := openValue(v, &r); err != nil {
				continue // damaged: reads as never imported (see File)
			}
			out = append(out, r)
			// Every import ends with this scan of its files: keep it
			// from leaving them all mapped (see boltmap).
			if len(out)%boltmap.Every == 0 {
				boltmap.Release(tx)
			}
		}
		return nil
	})
	return out, err
}

// ResolveNames maps normalised names (document.NormalizeName) to the IDs of
// the documents that carry them; names nobody carries are absent.
func (s *Store) ResolveNames(ws string, names []string) (map[string]string, error) {
	out := make(map[string]string, len(names))
	err := s.view(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bNames)
		if err != nil {
			return err
		}
		for _, n := range names {
			if v := b.Get([]byte(n)); v != nil {
				out[n] = string(v)
			}
		}
		return nil
	})
	return out, err
}

// AddDangling records that document src links to target, a normalised name
// no document carries yet.
func (s *Store) AddDangling(ws string, links map[string][]string) error {
	if len(links) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bDangling)
		if err != nil {
			return err
		}
		// In key order: bbolt splits a node only at commit, so keys put in
		// random order into one transaction shift an ever larger node on
		// every put (100,000 links in one note took minutes); in order,
		// each put appends.
		targets := make([]string, 0, len(links))
		for t := range links {
			targets = append(targets, t)
		}
		sort.Strings(targets)
		for _, target := range targets {
			srcs := links[target]
			var have []string
			if raw := b.Get([]byte(target)); raw != nil {
				_ = json.Unmarshal(raw, &have)
			}
			have = appendUnique(have, srcs...)
			raw, _ := json.Marshal(have)
			if err := b.Put([]byte(target), raw); err != nil {
				return err
			}
		}
		return nil
	})
}

// TakeDangling returns, and forgets, the documents waiting for each of the
// given names to exist.
func (s *Store) TakeDangling(ws string, names []string) (map[string][]string, error) {
	out := map[string][]string{}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bDangling)
		if err != nil {
			return err
		}
		for _, n := range names {
			raw := b.Get([]byte(n))
			if raw == nil {
				continue
			}
			var srcs []string
			_ = json.Unmarshal(raw, &srcs)
			out[n] = srcs
			if err := b.Delete([]byte(n)); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

func appendUnique(have []string, add ...string) []string {
	seen := make(map[string]bool, len(have))
	for _, h := range have {
		seen[h] = true
	}
	for _, a := range add {
		if !seen[a] {
			seen[a] = true
			have = append(have, a)
		}
	}
	return have
}

// DocNames exposes the names a document is found by, for callers that
// resolve links (the same rule Apply uses).
func DocNames(d *document.Document) []string { return docNames(d) }

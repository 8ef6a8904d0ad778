package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

// SalvageReport says what Salvage copied and what it had to leave behind.
type SalvageReport struct {
	Copied  int      `json:"copied"`  // records copied into the new store
	Skipped []string `json:"skipped"` // damaged records and unreadable parts, named
	// Forgotten counts the import records dropped because a document they
	// held was lost, so that importing the same source again reads those
	// files anew.
	Forgotten int    `json:"forgotten_files"`
	Damaged   string `json:"damaged"` // where the damaged file was moved
}

// Salvage copies every readable record of the damaged store at path into a
// new store, then moves the damaged file aside (to path.damaged-TIME, never
// deleted) and puts the new one in its place. Records whose checksum fails,
// and parts of the file bbolt cannot read, are left out and named in the
// report; the import records of files whose documents were lost are dropped,
// so the next import of their source reads them again. The store must not be
// open anywhere (ErrLocked).
func Salvage(path string) (*SalvageReport, error) {
	src, err := openBolt(path, Options{ReadOnly: true, LockTimeout: time.Second})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, lockedError(path)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the damaged store %s: %w", path, err)
	}
	in := &Store{db: src, path: path, readOnly: true}
	stamp := time.Now().UTC().Format("20060102T150405Z")
	newPath := path + ".salvage-" + stamp
	dst, err := bolt.Open(newPath, 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("creating the new store: %w", err)
	}
	out := &Store{db: dst, path: newPath}
	rep := &SalvageReport{Skipped: []string{}}
	var names [][]byte
	if err := in.view(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			names = append(names, append([]byte(nil), name...))
			return nil
		})
	}); err != nil {
		rep.Skipped = append(rep.Skipped, "the list of buckets, in part: "+err.Error())
	}
	for _, name := range names {
		copyTop(in, out, name, rep)
	}
	if err := out.update(func(tx *bolt.Tx) error { return tidySalvaged(tx, rep) }); err != nil {
		rep.Skipped = append(rep.Skipped, "tidying the new store: "+err.Error())
	}
	src.Close()
	if err := dst.Close(); err != nil {
		return nil, err
	}
	rep.Damaged = path + ".damaged-" + stamp
	if err := os.Rename(path, rep.Damaged); err != nil {
		return nil, fmt.Errorf("moving the damaged store aside: %w", err)
	}
	if err := os.Rename(newPath, path); err != nil {
		return nil, fmt.Errorf("putting the salvaged store in place (it is %s): %w", newPath, err)
	}
	_ = os.Remove(cleanMarker(path))
	return rep, nil
}

// copyTop copies one top-level bucket, in its own read transaction, so a
// part that panics loses only itself.
func copyTop(in, out *Store, name []byte, rep *SalvageReport) {
	err := in.view(func(stx *bolt.Tx) error {
		b := stx.Bucket(name)
		if b == nil {
			return nil
		}
		return out.update(func(dtx *bolt.Tx) error {
			nb, err := dtx.CreateBucketIfNotExists(name)
			if err != nil {
				return err
			}
			copyBucket(b, nb, string(name), rep)
			return nil
		})
	})
	if err != nil {
		rep.Skipped = append(rep.Skipped, fmt.Sprintf("bucket %s, in part: %v", name, err))
	}
}

// copyBucket copies b into nb, checking sealed values, recursing into
// nested buckets. A panic reading b (a damaged page) ends the copy of b and
// is noted.
func copyBucket(b, nb *bolt.Bucket, where string, rep *SalvageReport) {
	defer func() {
		if v := recover(); v != nil {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("the rest of %s (unreadable: %v)", where, v))
		}
	}()
	_ = nb.SetSequence(b.Sequence())
	leaf := where[bytes.LastIndexByte([]byte(where), '/')+1:]
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if v == nil {
			child := b.Bucket(k)
			if child == nil {
				continue
			}
			nc, err := nb.CreateBucketIfNotExists(k)
			if err != nil {
				rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s/%s: %v", where, k, err))
				continue
			}
			copyBucket(child, nc, where+"/"+string(k), rep)
			continue
		}
		if reason := damagedValue(leaf, v); reason != "" {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s record %x (%s)", where, k, reason))
			continue
		}
		if err := nb.Put(append([]byte(nil), k...), append([]byte(nil), v...)); err != nil {
			rep.Skipped = append(rep.Skipped, fmt.Sprintf("%s record %x: %v", where, k, err))
			continue
		}
		rep.Copied++
	}
}

// damagedValue says why a value of the named bucket is damaged, or "".
func damagedValue(bucket string, v []byte) string {
	var err error
	switch bucket {
	case string(bDocSeq):
		var d document.Document
		err = decodeDoc(v, &d)
	case string(bMemories), string(bMemVersion), string(bFiles), string(bJobs), string(bDict):
		err = openValue(v, new(map[string]any))
	case string(bucketSettings):
		err = openValue(v, new(string))
	default:
		return ""
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

// tidySalvaged makes each workspace's tables agree after a salvage: an
// index entry whose record was lost goes, a record without its entry gets
// it back from its own ID, and a file record that held a lost document
// goes (with its docfiles entries) so the file is imported again.
func tidySalvaged(tx *bolt.Tx, rep *SalvageReport) error {
	wss := tx.Bucket(bucketWorkspaces)
	if wss == nil {
		return nil
	}
	return wss.ForEach(func(name, _ []byte) error {
		ws := string(name)
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return nil // the workspace's buckets were lost; nothing to tidy
		}
		held := map[string]bool{}
		var fix [][2][]byte // id, seq
		if err := docs.seq.ForEach(func(k, v []byte) error {
			var d document.Document
			if decodeDoc(v, &d) == nil && d.ID != "" {
				held[d.ID] = true
				if !bytes.Equal(docs.ids.Get([]byte(d.ID)), k) {
					fix = append(fix, [2][]byte{[]byte(d.ID), append([]byte(nil), k...)})
				}
			}
			return nil
		}); err != nil {
			return err
		}
		var drop [][]byte
		if err := docs.ids.ForEach(func(id, _ []byte) error {
			if !held[string(id)] {
				drop = append(drop, append([]byte(nil), id...))
			}
			return nil
		}); err != nil {
			return err
		}
		for _, id := range drop {
			if err := docs.ids.Delete(id); err != nil {
				return err
			}
		}
		for _, f := range fix {
			if err := docs.ids.Put(f[0], f[1]); err != nil {
				return err
			}
		}
		files, err := wsBucket(tx, ws, bFiles)
		if err != nil {
			return nil
		}
		docFiles, _ := wsBucket(tx, ws, bDocFiles)
		var forget []string
		if err := files.ForEach(func(k, v []byte) error {
			var r FileRecord
			if openValue(v, &r) != nil {
				forget = append(forget, string(k))
				return nil
			}
			for _, id := range r.DocIDs {
				if !held[id] {
					forget = append(forget, string(k))
					return nil
				}
			}
			if r.Streamed {
				fd, _ := fileDocsOf(tx, ws, false)
				errLost := errors.New("lost")
				if forFileDocs(fd, r.Path, func(id string, _ uint32) error {
					if !held[id] {
						return errLost
					}
					return nil
				}) != nil {
					forget = append(forget, string(k))
				}
			}
			return nil
		}); err != nil {
			return err
		}
		for _, p := range forget {
			if docFiles != nil {
				_ = unlinkFile(tx, ws, files, docFiles, p)
			}
			if err := files.Delete([]byte(p)); err != nil {
				return err
			}
			rep.Forgotten++
		}
		return nil
	})
}

package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// docTable is a workspace's documents in two buckets: "docseq" holds each
// document under an increasing sequence number, so an import appends to the
// end of the B+tree (full pages, few pages touched) instead of writing all
// over it as random IDs would, and "docids" maps a document ID to its
// sequence number. Replacing a document keeps its number.
type docTable struct {
	seq, ids *bolt.Bucket
}

var (
	bDocSeq  = []byte("docseq")
	bDocIDs  = []byte("docids")
	bAuthors = []byte("authors")
)

func docTableOf(tx *bolt.Tx, ws string) (docTable, error) {
	seq, err := wsBucket(tx, ws, bDocSeq)
	if err != nil {
		return docTable{}, err
	}
	ids, err := wsBucket(tx, ws, bDocIDs)
	if err != nil {
		return docTable{}, err
	}
	return docTable{seq: seq, ids: ids}, nil
}

// get returns the stored value of a document, or nil.
func (t docTable) get(id string) []byte {
	k := t.ids.Get([]byte(id))
	if k == nil {
		return nil
	}
	return t.seq.Get(k)
}

// put stores a document's value under its number, a new one for a new
// document. Must run in a writable transaction.
func (t docTable) put(id string, v []byte) error {
	k := t.ids.Get([]byte(id))
	if k == nil {
		n, err := t.seq.NextSequence()
		if err != nil {
			return err
		}
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], n)
		k = buf[:]
		if err := t.ids.Put([]byte(id), k); err != nil {
			return err
		}
		// Appends at the end: fill pages instead of splitting them in half.
		t.seq.FillPercent = 0.95
	} else {
		k = append([]byte(nil), k...)
	}
	return t.seq.Put(k, v)
}

// del removes a document; a missing one is no error.
func (t docTable) del(id string) error {
	k := t.ids.Get([]byte(id))
	if k == nil {
		return nil
	}
	k = append([]byte(nil), k...)
	if err := t.ids.Delete([]byte(id)); err != nil {
		return err
	}
	return t.seq.Delete(k)
}

// count is how many documents there are.
func (t docTable) count() int { return t.ids.Stats().KeyN }

// migrateDocTable moves a workspace's documents from the schema-3 "docs"
// bucket (keyed by ID) into the doc table.
func migrateDocTable(tx *bolt.Tx) error {
	return tx.Bucket(bucketWorkspaces).ForEach(func(name, _ []byte) error {
		root := tx.Bucket(wsBucketName(string(name)))
		if root == nil {
			return nil
		}
		for _, b := range [][]byte{bDocSeq, bDocIDs, bAuthors} {
			if _, err := root.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		old := root.Bucket([]byte("docs"))
		if old == nil {
			return nil
		}
		t := docTable{seq: root.Bucket(bDocSeq), ids: root.Bucket(bDocIDs)}
		err := old.ForEach(func(k, v []byte) error {
			return t.put(string(k), append([]byte(nil), v...))
		})
		if err != nil {
			return fmt.Errorf("moving the documents of workspace %s: %w", name, err)
		}
		return root.DeleteBucket([]byte("docs"))
	})
}

// Authors returns the sender of each of the given messages that the store
// holds, by document ID, from the authors bucket: a few bytes a message, so
// looking up the authors of replied-to messages reads little.
func (s *Store) Authors(ws string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	err := s.view(func(tx *bolt.Tx) error {
		b, err := wsBucket(tx, ws, bAuthors)
		if err != nil {
			return err
		}
		for _, id := range ids {
			if v := b.Get([]byte(id)); v != nil {
				out[id] = string(v)
			}
		}
		return nil
	})
	return out, err
}

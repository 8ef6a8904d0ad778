package store

import (
	"bytes"
	"encoding/binary"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/store/boltmap"
)

// The knowledge-gap analysis (package gaps) keeps its state in a nested
// bucket "gaps" of each workspace, itself holding one bucket per table
// (GapTables). The store journals which documents changed (the "dirty"
// table) in the same transaction that writes them, so the analysis only
// ever reads what is new, changed or gone, and resumes after a crash.
var bGapsRoot = []byte("gaps")

// Gap tables, the sub-buckets of a workspace's "gaps" bucket. Their keys and
// values are documented in doc.go.
const (
	GapDirty     = "dirty"     // document ID -> uint64 BE change number
	GapDocs      = "docs"      // document ID -> JSON facts of the analysed document
	GapConv      = "conv"      // "<conversation>\x00<document ID>" -> empty
	GapContrib   = "contrib"   // "<aggregate key>\x00<document ID>" -> JSON contribution
	GapPending   = "pending"   // owner key ("c:<conversation>" or "a:<aggregate key>") -> empty
	GapRecords   = "records"   // gap ID -> JSON gap record
	GapOwners    = "owners"    // "<owner key>\x00<gap ID>" -> empty
	GapByDoc     = "bydoc"     // "<document ID>\x00<gap ID>" -> empty
	GapDismissed = "dismissed" // gap ID -> RFC 3339 time of the dismissal
	GapAliases   = "aliases"   // "<kind>\x00<normalised alias>" -> JSON alias record
	GapMeta      = "meta"      // "seeded" -> "1" once every stored document was journaled
)

// GapTables lists the gap tables.
func GapTables() []string {
	return []string{GapDirty, GapDocs, GapConv, GapContrib, GapPending, GapRecords, GapOwners, GapByDoc, GapDismissed, GapAliases, GapMeta}
}

// GapTx is a transaction over one workspace's gap tables. It is valid only
// inside the GapsView or GapsUpdate call that gave it; the byte slices it
// returns are copies and stay valid after.
type GapTx struct {
	root *bolt.Bucket // nil in a read of a workspace never analysed
}

func (t *GapTx) bucket(table string) *bolt.Bucket {
	if t.root == nil {
		return nil
	}
	return t.root.Bucket([]byte(table))
}

// Get returns a copy of the value under key, or nil.
func (t *GapTx) Get(table, key string) []byte {
	b := t.bucket(table)
	if b == nil {
		return nil
	}
	v := b.Get([]byte(key))
	if v == nil {
		return nil
	}
	return append([]byte{}, v...)
}

// Put writes key; it fails in a read-only transaction.
func (t *GapTx) Put(table, key string, v []byte) error {
	b := t.bucket(table)
	if b == nil {
		return bolt.ErrTxNotWritable
	}
	if v == nil {
		v = []byte{}
	}
	return b.Put([]byte(key), v)
}

// Delete removes key; a missing key is no error.
func (t *GapTx) Delete(table, key string) error {
	b := t.bucket(table)
	if b == nil {
		return nil
	}
	return b.Delete([]byte(key))
}

// Scan calls fn for the keys that start with prefix, in key order, at most
// limit of them (limit <= 0: all); fn returning false stops. fn must not
// write to the same table.
func (t *GapTx) Scan(table, prefix string, limit int, fn func(key string, v []byte) bool) {
	b := t.bucket(table)
	if b == nil {
		return
	}
	p := []byte(prefix)
	c := b.Cursor()
	n := 0
	for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
		if !fn(string(k), append([]byte{}, v...)) {
			return
		}
		n++
		if limit > 0 && n >= limit {
			return
		}
	}
}

// Count returns how many keys a table holds.
func (t *GapTx) Count(table string) int {
	b := t.bucket(table)
	if b == nil {
		return 0
	}
	return b.Stats().KeyN
}

// GapsView runs fn in a read transaction over a workspace's gap tables. A
// workspace never analysed reads as empty tables.
func (s *Store) GapsView(ws string, fn func(*GapTx) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		root := tx.Bucket(wsBucketName(ws))
		if root == nil {
			return ErrNoWorkspace
		}
		return fn(&GapTx{root: root.Bucket(bGapsRoot)})
	})
}

// GapsUpdate runs fn in a write transaction over a workspace's gap tables,
// creating them on first use. Each one is a step of an analysis over many
// records, so it drops the pages it mapped (see boltmap).
func (s *Store) GapsUpdate(ws string, fn func(*GapTx) error) error {
	return s.update(func(tx *bolt.Tx) error {
		root, err := gapsRoot(tx, ws)
		if err != nil {
			return err
		}
		if err := fn(&GapTx{root: root}); err != nil {
			return err
		}
		boltmap.Release(tx)
		return nil
	})
}

func gapsRoot(tx *bolt.Tx, ws string) (*bolt.Bucket, error) {
	wsRoot := tx.Bucket(wsBucketName(ws))
	if wsRoot == nil {
		return nil, ErrNoWorkspace
	}
	root, err := wsRoot.CreateBucketIfNotExists(bGapsRoot)
	if err != nil {
		return nil, err
	}
	for _, name := range GapTables() {
		if _, err := root.CreateBucketIfNotExists([]byte(name)); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// SeedGapsDirty journals every stored document as changed, once per
// workspace (the first analysis of documents imported before the journal
// existed). It reads only the docids keys.
func (s *Store) SeedGapsDirty(ws string) (seeded bool, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		root, err := gapsRoot(tx, ws)
		if err != nil {
			return err
		}
		meta := root.Bucket([]byte(GapMeta))
		if meta.Get([]byte("seeded")) != nil {
			return nil
		}
		seeded = true
		ids, err := wsBucket(tx, ws, bDocIDs)
		if err != nil {
			return err
		}
		dirty := root.Bucket([]byte(GapDirty))
		if err := ids.ForEach(func(k, _ []byte) error { return putDirty(dirty, k) }); err != nil {
			return err
		}
		boltmap.Release(tx)
		return meta.Put([]byte("seeded"), []byte("1"))
	})
	return seeded, err
}

// putDirty journals a document as changed under a new change number, so an
// analysis that read an older version leaves the journal entry in place.
func putDirty(dirty *bolt.Bucket, id []byte) error {
	n, err := dirty.NextSequence()
	if err != nil {
		return err
	}
	var buf [8]byte
	binary.BigEndian.PutUint64(buf[:], n)
	return dirty.Put(id, buf[:])
}

// markGapsDirty journals the documents a Write puts or deletes, in its
// transaction. Before the first analysis of the workspace (no "seeded"
// mark) there is nothing to journal: seeding will take every document.
func markGapsDirty(tx *bolt.Tx, ws string, w Write) error {
	wsRoot := tx.Bucket(wsBucketName(ws))
	if wsRoot == nil || len(w.Put)+len(w.Delete) == 0 {
		return nil
	}
	root := wsRoot.Bucket(bGapsRoot)
	if root == nil {
		return nil
	}
	dirty := root.Bucket([]byte(GapDirty))
	if dirty == nil {
		return nil
	}
	for _, id := range w.Delete {
		if err := putDirty(dirty, []byte(id)); err != nil {
			return err
		}
	}
	for i := range w.Put {
		if err := putDirty(dirty, []byte(w.Put[i].ID)); err != nil {
			return err
		}
	}
	return nil
}

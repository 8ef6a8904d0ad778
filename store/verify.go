package store

import (
	"encoding/binary"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

// Verify checks every document and memory record of workspace ws: that each
// value's checksum matches and it decodes, and that the document table's
// two buckets (docids and docseq) agree. It returns the damaged records,
// none when all is well, each named by ID where the index still knows it.
// The error is for a walk that could not run at all (a FileDamagedError
// when bbolt fails on the file's pages).
func (s *Store) Verify(ws string) ([]*CorruptError, error) {
	var out []*CorruptError
	bad := func(record, reason string) { out = append(out, &CorruptError{Record: record, Reason: reason}) }
	err := s.view(func(tx *bolt.Tx) error {
		docs, err := docTableOf(tx, ws)
		if err != nil {
			return err
		}
		idOf := map[string]string{} // docseq key -> document ID, from docids
		if err := docs.ids.ForEach(func(id, seq []byte) error {
			if len(seq) != 8 {
				bad(fmt.Sprintf("document %s of workspace %s", id, ws), "its index entry is not a record number")
				return nil
			}
			if prev, dup := idOf[string(seq)]; dup {
				bad(fmt.Sprintf("document %s of workspace %s", id, ws), "its index entry points at the record of "+prev)
				return nil
			}
			idOf[string(seq)] = string(id)
			return nil
		}); err != nil {
			return err
		}
		seen := make(map[string]bool, len(idOf))
		if err := docs.seq.ForEach(func(k, v []byte) error {
			name := docRecordName(ws, k)
			id, indexed := idOf[string(k)]
			if indexed {
				seen[string(k)] = true
				name = fmt.Sprintf("document %s (record #%d) of workspace %s", id, binary.BigEndian.Uint64(k), ws)
			}
			var d document.Document
			switch err := decodeDoc(v, &d); {
			case err != nil:
				bad(name, corruptAt(name, err).(*CorruptError).Reason)
			case !indexed:
				bad(name, "no index entry points at it")
			case d.ID != id:
				bad(name, fmt.Sprintf("it holds document %s", d.ID))
			}
			return nil
		}); err != nil {
			return err
		}
		for seq, id := range idOf {
			if !seen[seq] {
				bad(fmt.Sprintf("document %s of workspace %s", id, ws), "its record is missing")
			}
		}
		root := tx.Bucket(wsBucketName(ws))
		for _, bn := range sealedBuckets {
			b := root.Bucket(bn)
			if b == nil {
				continue
			}
			if err := b.ForEach(func(k, v []byte) error {
				var any map[string]any
				if err := openValue(v, &any); err != nil {
					name := fmt.Sprintf("%s record %q of workspace %s", bn, k, ws)
					bad(name, corruptAt(name, err).(*CorruptError).Reason)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketSettings).ForEach(func(k, v []byte) error {
			var value string
			if err := openValue(v, &value); err != nil {
				name := fmt.Sprintf("setting %q", k)
				bad(name, corruptAt(name, err).(*CorruptError).Reason)
			}
			return nil
		})
	})
	return out, err
}

// sealedBuckets are a workspace's buckets of sealed JSON values.
var sealedBuckets = [][]byte{bMemories, bMemVersion, bFiles, bJobs, bDict}

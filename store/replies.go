package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// bReplies is the workspace bucket that lists the replies of each message
// (created on first use, so no migration is needed).
var bReplies = []byte("replies")

// bucketOnUse returns a workspace bucket that is created on first use: in
// a writable transaction it creates it, in a read-only one it is nil until
// then.
func bucketOnUse(tx *bolt.Tx, ws string, name []byte) (*bolt.Bucket, error) {
	root := tx.Bucket(wsBucketName(ws))
	if root == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, ws)
	}
	if !tx.Writable() {
		return root.Bucket(name), nil
	}
	return root.CreateBucketIfNotExists(name)
}

func replyKey(parent, child string) []byte { return []byte(parent + "\x00" + child) }

// AddReplies records that each child document replies to (names in
// In-Reply-To or References) each of its parent document IDs, so a thread
// can be walked down from its first message. Recording a pair twice is a
// no-op. An entry whose child is later removed is ignored by readers.
func (s *Store) AddReplies(ws string, parents map[string][]string) error {
	if len(parents) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := bucketOnUse(tx, ws, bReplies)
		if err != nil {
			return err
		}
		for child, ps := range parents {
			for _, p := range ps {
				if p == "" || p == child {
					continue
				}
				if err := b.Put(replyKey(p, child), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Replies returns the IDs of the documents recorded as replying to each of
// the given documents, by parent ID, at most limit in all.
func (s *Store) Replies(ws string, ids []string, limit int) (map[string][]string, error) {
	out := map[string][]string{}
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := bucketOnUse(tx, ws, bReplies)
		if err != nil || b == nil {
			return err
		}
		n := 0
		c := b.Cursor()
		for _, id := range ids {
			prefix := []byte(id + "\x00")
			for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && n < limit; k, _ = c.Next() {
				out[id] = append(out[id], string(k[len(prefix):]))
				n++
			}
		}
		return nil
	})
	return out, err
}

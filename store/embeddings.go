package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/store/boltmap"
)

// The embedding buckets of a workspace (see doc.go). They are created on
// the first write, so workspaces made before them need no migration; a
// read finds nothing until then.
var (
	bEmbVec   = []byte("emb_vec")
	bEmbDoc   = []byte("emb_doc")
	bEmbQueue = []byte("emb_queue")
	bEmbMeta  = []byte("emb_meta")
	keyModel  = []byte("model")
)

// QueuedDoc is a document waiting for the embedding worker. Tag is new each
// time the document is queued.
type QueuedDoc struct {
	ID  string
	Tag uint64
}

// DocVectors records the chunks of a document under a model, by the hashes
// of their texts; no Hashes means the document has none any more.
type DocVectors struct {
	ID     string
	Hashes []string
}

func embKey(model, rest string) []byte { return []byte(model + "\x00" + rest) }

// embBucket returns a workspace's embedding bucket, creating it in a
// writable transaction; in a read-only one it may be nil.
func embBucket(tx *bolt.Tx, ws string, name []byte) (*bolt.Bucket, error) {
	root := tx.Bucket(wsBucketName(ws))
	if root == nil {
		return nil, fmt.Errorf("%w: %s", ErrNoWorkspace, ws)
	}
	if !tx.Writable() {
		return root.Bucket(name), nil
	}
	return root.CreateBucketIfNotExists(name)
}

// QueueEmbeddings queues documents for the embedding worker: changed ones
// to embed, deleted ones to drop. Queuing one already queued gives it a new
// tag.
func (s *Store) QueueEmbeddings(ws string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return s.update(func(tx *bolt.Tx) error {
		q, err := embBucket(tx, ws, bEmbQueue)
		if err != nil {
			return err
		}
		return queue(q, ids)
	})
}

func queue(q *bolt.Bucket, ids []string) error {
	for _, id := range ids {
		n, err := q.NextSequence()
		if err != nil {
			return err
		}
		var tag [8]byte
		binary.BigEndian.PutUint64(tag[:], n)
		if err := q.Put([]byte(id), tag[:]); err != nil {
			return err
		}
	}
	return nil
}

// SetEmbedModel records the model the workspace's vectors are for; when it
// differs from the one recorded it queues every document (re-embedding in
// the background) and reports how many it queued.
func (s *Store) SetEmbedModel(ws, model string) (queued int, err error) {
	err = s.update(func(tx *bolt.Tx) error {
		meta, err := embBucket(tx, ws, bEmbMeta)
		if err != nil {
			return err
		}
		if string(meta.Get(keyModel)) == model {
			return nil
		}
		q, err := embBucket(tx, ws, bEmbQueue)
		if err != nil {
			return err
		}
		ids, err := wsBucket(tx, ws, bDocIDs)
		if err != nil {
			return err
		}
		var all []string
		if err := ids.ForEach(func(k, _ []byte) error {
			all = append(all, string(k))
			return nil
		}); err != nil {
			return err
		}
		if err := queue(q, all); err != nil {
			return err
		}
		queued = len(all)
		return meta.Put(keyModel, []byte(model))
	})
	return queued, err
}

// EmbedModel is the model recorded by SetEmbedModel, "" before.
func (s *Store) EmbedModel(ws string) (string, error) {
	var m string
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := embBucket(tx, ws, bEmbMeta)
		if b != nil {
			m = string(b.Get(keyModel))
		}
		return err
	})
	return m, err
}

// EmbedQueue returns up to n queued documents, in ID order.
func (s *Store) EmbedQueue(ws string, n int) ([]QueuedDoc, error) {
	var out []QueuedDoc
	err := s.db.View(func(tx *bolt.Tx) error {
		q, err := embBucket(tx, ws, bEmbQueue)
		if q == nil {
			return err
		}
		c := q.Cursor()
		for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
			if len(v) == 8 {
				out = append(out, QueuedDoc{ID: string(k), Tag: binary.BigEndian.Uint64(v)})
			}
		}
		return nil
	})
	return out, err
}

// EmbedPending counts the queued documents.
func (s *Store) EmbedPending(ws string) (int, error) {
	var n int
	err := s.db.View(func(tx *bolt.Tx) error {
		q, err := embBucket(tx, ws, bEmbQueue)
		if q != nil {
			n = q.Stats().KeyN
		}
		return err
	})
	return n, err
}

// EmbedDone records docs' chunks under model (dropping the record of a
// document with none) and dequeues done, except the documents queued again
// since (their tag changed), in one transaction.
func (s *Store) EmbedDone(ws, model string, docs []DocVectors, done []QueuedDoc) error {
	return s.update(func(tx *bolt.Tx) error {
		rec, err := embBucket(tx, ws, bEmbDoc)
		if err != nil {
			return err
		}
		q, err := embBucket(tx, ws, bEmbQueue)
		if err != nil {
			return err
		}
		for _, d := range docs {
			k := embKey(model, d.ID)
			if len(d.Hashes) == 0 {
				if err := rec.Delete(k); err != nil {
					return err
				}
				continue
			}
			raw, _ := json.Marshal(d.Hashes)
			if err := rec.Put(k, raw); err != nil {
				return err
			}
		}
		for _, d := range done {
			v := q.Get([]byte(d.ID))
			if len(v) == 8 && binary.BigEndian.Uint64(v) == d.Tag {
				if err := q.Delete([]byte(d.ID)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// Vectors returns the cached vector of each hash under model, nil for a
// miss.
func (s *Store) Vectors(ws, model string, hashes []string) ([][]float32, error) {
	out := make([][]float32, len(hashes))
	err := s.db.View(func(tx *bolt.Tx) error {
		b, err := embBucket(tx, ws, bEmbVec)
		if b == nil {
			return err
		}
		for i, h := range hashes {
			if v := b.Get(embKey(model, h)); v != nil {
				out[i] = decodeVector(v)
			}
		}
		return nil
	})
	return out, err
}

// PutVectors caches vectors under model and their texts' hashes.
func (s *Store) PutVectors(ws, model string, hashes []string, vecs [][]float32) error {
	if len(hashes) != len(vecs) {
		return fmt.Errorf("%d hashes for %d vectors", len(hashes), len(vecs))
	}
	return s.update(func(tx *bolt.Tx) error {
		b, err := embBucket(tx, ws, bEmbVec)
		if err != nil {
			return err
		}
		for i, h := range hashes {
			if err := b.Put(embKey(model, h), encodeVector(vecs[i])); err != nil {
				return err
			}
		}
		return nil
	})
}

// ForEachEmbedded calls fn with every document that has chunks under
// model and their vectors in chunk order (a chunk whose vector is missing
// from the cache ends the list there), reading a page of documents per
// short read transaction. fn runs outside any transaction.
func (s *Store) ForEachEmbedded(ws, model string, fn func(id string, vecs [][]float32) error) error {
	type item struct {
		id   string
		vecs [][]float32
	}
	prefix := embKey(model, "")
	after := prefix
	for {
		var page []item
		err := s.db.View(func(tx *bolt.Tx) error {
			rec, err := embBucket(tx, ws, bEmbDoc)
			if rec == nil {
				return err
			}
			vecs, _ := embBucket(tx, ws, bEmbVec)
			c := rec.Cursor()
			k, v := c.Seek(after)
			if k != nil && bytes.Equal(k, after) {
				k, v = c.Next()
			}
			for ; k != nil && bytes.HasPrefix(k, prefix) && len(page) < 500; k, v = c.Next() {
				var hashes []string
				if err := json.Unmarshal(v, &hashes); err != nil {
					return fmt.Errorf("decoding the chunks of %q: %w", k[len(prefix):], err)
				}
				it := item{id: string(k[len(prefix):])}
				for _, h := range hashes {
					raw := vecs.Get(embKey(model, h))
					if raw == nil {
						break
					}
					it.vecs = append(it.vecs, decodeVector(raw))
				}
				page = append(page, it)
				after = append([]byte(nil), k...)
			}
			boltmap.Release(tx)
			return nil
		})
		if err != nil {
			return err
		}
		for _, it := range page {
			if err := fn(it.id, it.vecs); err != nil {
				return err
			}
		}
		if len(page) < 500 {
			return nil
		}
	}
}

// EmbeddedHashes returns the chunk hashes recorded for a document under
// model, nil when none are.
func (s *Store) EmbeddedHashes(ws, model, id string) ([]string, error) {
	var out []string
	err := s.db.View(func(tx *bolt.Tx) error {
		rec, err := embBucket(tx, ws, bEmbDoc)
		if rec == nil {
			return err
		}
		if v := rec.Get(embKey(model, id)); v != nil {
			return json.Unmarshal(v, &out)
		}
		return nil
	})
	return out, err
}

// encodeVector is little-endian IEEE 754 float32s, 4 bytes a dimension.
func encodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func decodeVector(b []byte) []float32 {
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v
}

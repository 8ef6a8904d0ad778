// Package kvbolt implements hidalgo's hierarchical key-value interface
// (github.com/hidal-go/hidalgo/kv) over go.etcd.io/bbolt, so that Cayley's
// key-value quad store can keep its data in a bbolt file.
//
// It is modelled on hidalgo's kv/bbolt package, which links the archived
// coreos/bbolt; this one uses go.etcd.io/bbolt and is safe under -race.
//
// A hierarchical kv.Key maps to nested bbolt buckets exactly as in hidalgo: a
// key {a, b, c} is the value c in bucket b inside the top-level bucket a, and a
// one-part key {a} is a value in the root bucket. Callers that keep their own
// data in the same file (see DB.Bolt) must use top-level bucket names the kv
// user never touches.
package kvbolt

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/engram-app/engram/store/boltmap"
	"github.com/hidal-go/hidalgo/kv"
	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// DefaultTimeout is how long Open waits for the file lock held by another
// process before it gives up. It is used when the options give no Timeout, so
// that a second process fails fast instead of hanging.
const DefaultTimeout = time.Second

var _ kv.KV = (*DB)(nil)

// DB is a kv.KV over a bbolt database. It is safe for concurrent use: any
// number of read transactions run alongside one read-write transaction, as
// bbolt allows.
type DB struct {
	db *bbolt.DB
}

// Open opens (creating it when missing) the bbolt file at path with mode 0600.
// A nil opts or a zero opts.Timeout uses DefaultTimeout for the file lock, so
// Open returns an error wrapping bbolt's timeout error when another process
// holds the file.
func Open(path string, opts *bbolt.Options) (*DB, error) {
	var o bbolt.Options
	if opts != nil {
		o = *opts
	}
	if o.Timeout == 0 {
		o.Timeout = DefaultTimeout
	}
	db, err := bbolt.Open(path, 0o600, &o)
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	return New(db), nil
}

// OpenPath opens path with default options; it has the signature of
// kv.OpenPathFunc.
func OpenPath(path string) (kv.KV, error) {
	return Open(path, nil)
}

// New wraps an open bbolt database. Close closes it.
func New(db *bbolt.DB) *DB {
	return &DB{db: db}
}

// Bolt returns the underlying bbolt database, for callers that keep their own
// buckets in the same file.
func (db *DB) Bolt() *bbolt.DB {
	return db.db
}

// Close closes the database. It is safe to call more than once.
func (db *DB) Close() error {
	return db.db.Close()
}

// Tx begins a transaction; rw selects a read-write one. Every transaction must
// be ended with Commit or Close.
func (db *DB) Tx(rw bool) (kv.Tx, error) {
	tx, err := db.db.Begin(rw)
	if err != nil {
		return nil, err
	}
	return &Tx{tx: tx, owned: true}, nil
}

// Borrow returns a kv.Tx that works inside tx, a bbolt transaction the caller
// owns: its Commit and Close do nothing, and the caller commits or rolls back
// tx. It lets a kv user's writes join a bbolt transaction that also writes the
// caller's own buckets, so both commit or neither does.
func Borrow(tx *bbolt.Tx) kv.Tx {
	return &Tx{tx: tx}
}

// Tx is a kv.Tx over a bbolt transaction.
type Tx struct {
	tx    *bbolt.Tx
	owned bool // false for a borrowed transaction
}

// Bolt returns the underlying bbolt transaction.
func (tx *Tx) Bolt() *bbolt.Tx {
	return tx.tx
}

// root returns the root bucket, which bbolt exposes only through a cursor.
func (tx *Tx) root() *bbolt.Bucket {
	return tx.tx.Cursor().Bucket()
}

// bucket walks key down the nested buckets and returns the deepest bucket that
// holds the rest of the key, or nil when a bucket on the way is missing.
func (tx *Tx) bucket(key kv.Key) (*bbolt.Bucket, kv.Key) {
	if len(key) <= 1 {
		return tx.root(), key
	}
	b := tx.tx.Bucket(key[0])
	key = key[1:]
	for b != nil && len(key) > 1 {
		b = b.Bucket(key[0])
		key = key[1:]
	}
	return b, key
}

// Get returns the value at key, or kv.ErrNotFound. The value is valid only
// until the transaction ends.
func (tx *Tx) Get(ctx context.Context, key kv.Key) (kv.Value, error) {
	b, k := tx.bucket(key)
	if b == nil || len(k) != 1 {
		return nil, kv.ErrNotFound
	}
	v := b.Get(k[0])
	if v == nil {
		return nil, kv.ErrNotFound
	}
	return v, nil
}

// GetBatch returns the values at keys, nil for a missing one.
func (tx *Tx) GetBatch(ctx context.Context, keys []kv.Key) ([]kv.Value, error) {
	vals := make([]kv.Value, len(keys))
	for i, k := range keys {
		if b, k := tx.bucket(k); b != nil && len(k) == 1 {
			vals[i] = b.Get(k[0])
		}
	}
	return vals, nil
}

// Commit commits an owned transaction; on a borrowed one it does nothing.
func (tx *Tx) Commit(ctx context.Context) error {
	if !tx.owned {
		return nil
	}
	return tx.tx.Commit()
}

// Close rolls back an owned transaction that was not committed; it does
// nothing on a committed or borrowed one.
func (tx *Tx) Close() error {
	if !tx.owned {
		return nil
	}
	if err := tx.tx.Rollback(); err != nil && !errors.Is(err, bolterrors.ErrTxClosed) {
		return err
	}
	return nil
}

// Put writes v at k, creating the buckets on the way. A key whose last part
// and value are both empty only creates the buckets.
func (tx *Tx) Put(k kv.Key, v kv.Value) error {
	if !tx.tx.Writable() {
		return kv.ErrReadOnly
	}
	if len(k) == 0 {
		return bolterrors.ErrKeyRequired
	}
	var (
		b   *bbolt.Bucket
		err error
	)
	if len(k) == 1 {
		b = tx.root()
	} else {
		b, err = tx.tx.CreateBucketIfNotExists(k[0])
		k = k[1:]
	}
	for err == nil && b != nil && len(k) > 1 {
		b, err = b.CreateBucketIfNotExists(k[0])
		k = k[1:]
	}
	if err != nil {
		return err
	} else if len(k[0]) == 0 && len(v) == 0 {
		return nil // bucket creation only
	}
	return b.Put(k[0], v)
}

// Del removes the value at k; a missing key is not an error.
func (tx *Tx) Del(k kv.Key) error {
	if !tx.tx.Writable() {
		return kv.ErrReadOnly
	}
	b, k := tx.bucket(k)
	if b == nil || len(k) != 1 {
		return nil
	}
	return b.Delete(k[0])
}

// Scan iterates, in key order, over every value whose key starts with pref;
// the last part of pref is a byte prefix of the key part at that level.
func (tx *Tx) Scan(pref kv.Key) kv.Iterator {
	b, p := tx.bucket(pref)
	if b == nil || len(p) > 1 {
		// a bucket named in the prefix does not exist
		return &Iterator{}
	}
	return &Iterator{
		b:    []*bbolt.Bucket{b},
		pref: p,
		root: pref[:len(pref)-len(p)].Clone(), // appended to while descending
	}
}

// Iterator walks the nested buckets under a prefix depth first.
type Iterator struct {
	root kv.Key // the buckets above the current key
	pref kv.Key // the prefix, relative to the first bucket
	b    []*bbolt.Bucket
	c    []*bbolt.Cursor
	k, v []byte
}

// Next advances to the next value and reports whether there is one.
func (it *Iterator) Next(ctx context.Context) bool {
	for len(it.b) > 0 {
		i := len(it.b) - 1
		if len(it.c) < len(it.b) {
			c := it.b[i].Cursor()
			it.c = append(it.c, c)
			if i >= len(it.pref) {
				it.k, it.v = c.First()
			} else {
				it.k, it.v = c.Seek(it.pref[i])
			}
		} else {
			it.k, it.v = it.c[i].Next()
		}
		if it.k != nil && (i >= len(it.pref) || bytes.HasPrefix(it.k, it.pref[i])) {
			if it.v == nil {
				if nb := it.b[i].Bucket(it.k); nb != nil {
					it.b = append(it.b, nb)
					it.root = append(it.root, it.k)
					continue
				}
			}
			return true
		}
		// this bucket is done, or past the prefix: go back up
		it.c = it.c[:len(it.c)-1]
		it.b = it.b[:len(it.b)-1]
		if len(it.b) > 0 && len(it.root) > 0 {
			it.root = it.root[:len(it.root)-1]
		}
	}
	return false
}

// Key returns a copy of the current key.
func (it *Iterator) Key() kv.Key {
	if len(it.b) == 0 {
		return nil
	}
	k := it.root.Clone()
	return append(k, append([]byte(nil), it.k...))
}

// Val returns the current value, valid until Next or Close.
func (it *Iterator) Val() kv.Value {
	return it.v
}

// Err always returns nil: bbolt cursors do not fail.
func (it *Iterator) Err() error {
	return nil
}

// Close releases the iterator.
func (it *Iterator) Close() error {
	*it = Iterator{}
	return nil
}

// ReleaseMapped drops from this process's resident set the pages of the
// file that its map holds (store/boltmap.ReleaseDB).
func (db *DB) ReleaseMapped() (int64, error) { return boltmap.ReleaseDB(db.db) }

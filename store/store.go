package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/store/boltmap"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the version of the key layout this build writes.
const SchemaVersion = 6

var (
	bucketMeta       = []byte("meta")
	bucketSettings   = []byte("settings")
	bucketWorkspaces = []byte("workspaces")
	keySchema        = []byte("schema_version")
)

// Options tune Open.
type Options struct {
	// LockTimeout is how long Open waits for another process to release the
	// file before it returns ErrLocked. Zero means one second.
	LockTimeout time.Duration
	// ReadOnly opens the file for reading only.
	ReadOnly bool
	// NoCheck skips the consistency check Open runs (in a child process,
	// see CheckFile) on a file that was not closed cleanly.
	NoCheck bool
}

// Store is the bbolt-backed system of record. It is safe for concurrent use.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	// writes counts the write transactions ended (Generation).
	writes atomic.Uint64
}

// Generation changes after every write transaction has ended, committed
// or not: a value read from the store after Generation returned g is at
// least as new as every write that ended before, so a cache keyed by g
// never answers for a value written since (a write ending later moves
// every later reader to a new g).
func (s *Store) Generation() uint64 { return s.writes.Load() }

// Open opens (creating if needed) the store file at path and runs any
// pending migrations once. When another process holds the file it returns an
// error wrapping ErrLocked within opts.LockTimeout.
func Open(path string, opts Options) (*Store, error) {
	if opts.LockTimeout <= 0 {
		opts.LockTimeout = time.Second
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	if !opts.ReadOnly {
		// bbolt's Open walks every page and panics, out of any recover's
		// reach, on a damaged one: a file not closed cleanly is checked
		// in a child first.
		if needsCheck(path) && !opts.NoCheck {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			_, err := CheckFile(ctx, path)
			cancel()
			if err != nil {
				return nil, err
			}
		}
		if err := os.Remove(cleanMarker(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("opening store %s: %w", path, err)
		}
	}
	db, err := openBolt(path, opts)
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, lockedError(path)
	}
	if errors.Is(err, bolterrors.ErrInvalid) || errors.Is(err, bolterrors.ErrChecksum) || errors.Is(err, bolterrors.ErrVersionMismatch) {
		return nil, &FileDamagedError{Path: path, Detail: err.Error()}
	}
	if err != nil {
		return nil, fmt.Errorf("opening store %s: %w", path, err)
	}
	// Concurrent memory writes share one commit (ApplyMemories uses Batch);
	// a lone writer waits at most this long.
	db.MaxBatchDelay = time.Millisecond
	s := &Store{db: db, path: path, readOnly: opts.ReadOnly}
	if !opts.ReadOnly {
		if err := s.migrate(); err != nil {
			db.Close()
			return nil, err
		}
	}
	return s, nil
}

// openBolt opens the bbolt file, turning a panic on a damaged page into a
// FileDamagedError.
func openBolt(path string, opts Options) (db *bolt.DB, err error) {
	defer func() {
		if v := recover(); v != nil {
			db, err = nil, &FileDamagedError{Path: path, Detail: fmt.Sprint(v)}
		}
	}()
	// The freelist is written with every commit (bbolt's default): without
	// it (NoFreelistSync), every open walked the whole file to rebuild it,
	// 160 ms of a 270 ms start-up at 100,000 messages and growing with the
	// store, while an import was no faster with it off.
	return bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      opts.LockTimeout,
		ReadOnly:     opts.ReadOnly,
		FreelistType: bolt.FreelistMapType,
	})
}

// lockedError says that another process holds the store at path.
func lockedError(path string) error {
	return fmt.Errorf("%w on %s: another Engram process holds its store; close it, or use --data for another directory", ErrLocked, filepath.Dir(path))
}

// Path is the store file's path.
func (s *Store) Path() string { return s.path }

// Close closes the file. It waits for open transactions to finish, then
// marks the file as closed cleanly, so the next Open need not check it.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return err
	}
	if s.readOnly {
		return nil
	}
	return markClean(s.path)
}

// migrations[i] upgrades a store from version i to i+1. They run once, at
// Open, in one transaction with the version bump.
func migrations() []func(tx *bolt.Tx) error {
	return []func(tx *bolt.Tx) error{
		// 0 -> 1: the initial layout.
		func(tx *bolt.Tx) error {
			for _, b := range [][]byte{bucketMeta, bucketSettings, bucketWorkspaces} {
				if _, err := tx.CreateBucketIfNotExists(b); err != nil {
					return err
				}
			}
			return nil
		},
		// 1 -> 2: docfiles, which files hold each document, filled from the
		// file records of every workspace.
		func(tx *bolt.Tx) error {
			return tx.Bucket(bucketWorkspaces).ForEach(func(name, _ []byte) error {
				root := tx.Bucket(wsBucketName(string(name)))
				if root == nil {
					return nil
				}
				df, err := root.CreateBucketIfNotExists(bDocFiles)
				if err != nil {
					return err
				}
				return root.Bucket(bFiles).ForEach(func(k, v []byte) error {
					var r FileRecord
					if err := openLegacyValue(v, &r); err != nil {
						return err
					}
					for _, id := range r.DocIDs {
						if err := df.Put(docFileKey(id, r.Path), nil); err != nil {
							return err
						}
					}
					return nil
				})
			})
		},
		// 2 -> 3: memories and their history (store/memories.go).
		migrateMemories,
		// 3 -> 4: documents under sequence numbers (store/doctable.go).
		migrateDocTable,
		// 4 -> 5: the two clocks of every memory version (store/memories.go).
		migrateMemoryClocks,
		// 5 -> 6: a checksum on every document and memory (store/encoding.go).
		migrateChecksums,
	}
}

func (s *Store) migrate() error {
	return s.update(func(tx *bolt.Tx) error {
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		var v uint64
		if b := meta.Get(keySchema); len(b) == 8 {
			v = binary.BigEndian.Uint64(b)
		}
		if v > SchemaVersion {
			return fmt.Errorf("%w (schema %d, this build knows %d); upgrade Engram", ErrNewerSchema, v, SchemaVersion)
		}
		for i, m := range migrations()[v:] {
			if err := m(tx); err != nil {
				return fmt.Errorf("migrating store to schema %d: %w", int(v)+i+1, err)
			}
		}
		var buf [8]byte
		binary.BigEndian.PutUint64(buf[:], SchemaVersion)
		return meta.Put(keySchema, buf[:])
	})
}

// SchemaVersionOnDisk reports the schema version recorded in the file.
func (s *Store) SchemaVersionOnDisk() (int, error) {
	var v uint64
	err := s.view(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketMeta); b != nil {
			if raw := b.Get(keySchema); len(raw) == 8 {
				v = binary.BigEndian.Uint64(raw)
			}
		}
		return nil
	})
	return int(v), err
}

// ReleaseMapped drops from this process's resident set the pages of the
// store file its map holds; they stay in the page cache (internal/mapped).
func (s *Store) ReleaseMapped() (int64, error) { return boltmap.ReleaseDB(s.db) }

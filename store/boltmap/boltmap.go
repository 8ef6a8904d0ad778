// Package boltmap keeps a bbolt file's memory map from growing into the
// process's resident memory.
//
// bbolt reads its file through a read-only shared mmap. Every page read that
// way stays mapped into the process until bbolt remaps the file, and on
// Linux each fault also maps the neighbouring pages already in the page
// cache (fault-around, 64 KiB by default). An import that writes a few
// random keys per document therefore ends up with the whole file resident:
// 230 MB of a 260 MB store at 100,000 emails, although no more than a few
// megabytes are in use at any moment.
//
// Release drops those mappings. The pages stay in the kernel's page cache,
// so the next read is a minor fault that maps the same page again, never
// disk I/O, and since the map is read-only and shared (bbolt writes with
// pwrite) its content is always the file's: nothing is lost. This is what a
// store that reads with pread (Xapian, SQLite without mmap) gets for free.
package boltmap

import (
	"github.com/engram-app/engram/internal/mapped"
	"go.etcd.io/bbolt"
)

// LargeWrite is how many records a write holds (documents, files,
// contributions) from which it calls Release: an import's batches, not a
// single edit, whose few pages are not worth the faults of mapping them again.
const LargeWrite = 256

// Release drops the process's page-table entries for db's memory map
// (internal/mapped). It takes a transaction because bbolt cannot remap the
// file while one is open: a read transaction holds the map's lock, and
// only a writer grows the file, in its commit. It is best effort and never
// fails the transaction: where the map cannot be found or the OS offers no
// way to drop it (anything but Linux), the pages stay mapped, as they would
// without it.
func Release(tx *bbolt.Tx) {
	_, _ = mapped.Release(tx.DB().Path())
}

// ReleaseDB is Release in a read transaction of its own, for a caller that
// holds none (the container's bound on mapped pages, internal/mapped). It
// returns the bytes advised; a closed database is an error.
func ReleaseDB(db *bbolt.DB) (int64, error) {
	tx, err := db.Begin(false)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	return mapped.Release(db.Path())
}

// Every is how many records a long scan reads between two Releases.
const Every = 4096

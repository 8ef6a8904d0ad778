package boltmap

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/engram-app/engram/internal/mapped"
	"go.etcd.io/bbolt"
)

// residentKB is the resident size of this process's map of path.
func residentKB(t *testing.T, path string) int {
	t.Helper()
	n, err := mapped.Resident(path)
	if err != nil {
		t.Fatal(err)
	}
	return int(n >> 10)
}

func TestReleaseDropsResidentPagesAndKeepsData(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	db, err := bbolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const n = 20000
	value := bytes.Repeat([]byte("engram "), 128) // 896 bytes: about 18 MB in all
	err = db.Update(func(tx *bbolt.Tx) error {
		b, err := tx.CreateBucket([]byte("b"))
		if err != nil {
			return err
		}
		for i := range n {
			if err := b.Put(binary.BigEndian.AppendUint64(nil, uint64(i)), value); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	readAll := func() error {
		return db.View(func(tx *bbolt.Tx) error {
			i := 0
			err := tx.Bucket([]byte("b")).ForEach(func(k, v []byte) error {
				if binary.BigEndian.Uint64(k) != uint64(i) || !bytes.Equal(v, value) {
					return fmt.Errorf("record %d reads back as %x: %.20q", i, k, v)
				}
				i++
				return nil
			})
			if err == nil && i != n {
				err = fmt.Errorf("read %d records, want %d", i, n)
			}
			return err
		})
	}
	if err := readAll(); err != nil {
		t.Fatal(err)
	}
	before := residentKB(t, path)
	if before < 10_000 {
		t.Fatalf("only %d KiB of the file resident after reading it all; the test cannot tell a release", before)
	}
	for _, tx := range []struct {
		name string
		run  func(func(*bbolt.Tx) error) error
	}{{"read-write", db.Update}, {"read-only", db.View}} {
		if err := tx.run(func(tx *bbolt.Tx) error { Release(tx); return nil }); err != nil {
			t.Fatalf("Release in a %s transaction: %v", tx.name, err)
		}
		after := residentKB(t, path)
		if after > before/10 {
			t.Errorf("resident %d KiB after Release in a %s transaction, %d KiB before", after, tx.name, before)
		}
		// Everything reads back the same from the page cache.
		if err := readAll(); err != nil {
			t.Fatalf("after Release: %v", err)
		}
		before = residentKB(t, path)
		t.Logf("resident %d KiB before Release in a %s transaction, %d KiB after", before, tx.name, after)
	}
	// ReleaseDB holds a transaction of its own; on a closed database it
	// is an error.
	if _, err := ReleaseDB(db); err != nil {
		t.Fatal(err)
	}
	if after := residentKB(t, path); after > before/10 {
		t.Errorf("resident %d KiB after ReleaseDB, %d KiB before", after, before)
	}
	db.Close()
	if _, err := ReleaseDB(db); err == nil {
		t.Error("ReleaseDB of a closed database: no error")
	}
}

package kvbolt_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/engram-app/engram/store/kvbolt"
	"github.com/hidal-go/hidalgo/kv"
	"github.com/hidal-go/hidalgo/kv/kvtest"
	"go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// TestConformance runs hidalgo's key-value conformance suite.
func TestConformance(t *testing.T) {
	kvtest.RunTestLocal(t, func(dir string) (kv.KV, error) {
		return kvbolt.OpenPath(filepath.Join(dir, "kv.db"))
	})
}

func open(t testing.TB) *kvbolt.DB {
	t.Helper()
	db, err := kvbolt.Open(filepath.Join(t.TempDir(), "kv.db"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestLockTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "kv.db")
	db, err := kvbolt.Open(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// bbolt's flock is per open file description, so a second Open in the
	// same process contends like a second process would.
	_, err = kvbolt.Open(path, &bbolt.Options{Timeout: 50 * time.Millisecond})
	if !errors.Is(err, bolterrors.ErrTimeout) {
		t.Fatalf("second open: got %v, want timeout", err)
	}
}

func TestBorrowJoinsCallerTx(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		fail     bool
		wantKeys int
	}{
		{name: "commit keeps both", fail: false, wantKeys: 1},
		{name: "rollback drops both", fail: true, wantKeys: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := open(t)
			errBoom := errors.New("boom")
			err := db.Bolt().Update(func(btx *bbolt.Tx) error {
				if _, err := btx.CreateBucketIfNotExists([]byte("mine")); err != nil {
					return err
				}
				tx := kvbolt.Borrow(btx)
				if err := tx.Put(kv.SKey("theirs", "k"), kv.Value("v")); err != nil {
					return err
				}
				if err := tx.Commit(ctx); err != nil { // must not commit btx
					return err
				}
				if tc.fail {
					return errBoom
				}
				return nil
			})
			if tc.fail != errors.Is(err, errBoom) {
				t.Fatalf("update: %v", err)
			}
			n := 0
			_ = db.Bolt().View(func(btx *bbolt.Tx) error {
				if btx.Bucket([]byte("mine")) != nil {
					n++
				}
				return nil
			})
			tx, err := db.Tx(false)
			if err != nil {
				t.Fatal(err)
			}
			defer tx.Close()
			_, err = tx.Get(ctx, kv.SKey("theirs", "k"))
			if (err == nil) != (tc.wantKeys == 1) || n != tc.wantKeys {
				t.Fatalf("after update: get err %v, own bucket %d, want %d", err, n, tc.wantKeys)
			}
		})
	}
}

func TestReadOnlyTx(t *testing.T) {
	db := open(t)
	tx, err := db.Tx(false)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Close()
	if err := tx.Put(kv.SKey("a", "b"), kv.Value("c")); !errors.Is(err, kv.ErrReadOnly) {
		t.Fatalf("put in read tx: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	db := open(t)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}

package boltmap

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.etcd.io/bbolt"
)

// residentKB is the Rss of the mapping of path in /proc/self/smaps.
func residentKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	in, total := false, 0
	for sc.Scan() {
		line := sc.Text()
		if fields := strings.Fields(line); len(fields) >= 5 && strings.Contains(fields[0], "-") && !strings.HasSuffix(fields[0], ":") {
			in = len(fields) >= 6 && fields[5] == path
			continue
		}
		if in && strings.HasPrefix(line, "Rss:") {
			n, _ := strconv.Atoi(strings.Fields(line)[1])
			total += n
		}
	}
	return total
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
	// The mapping is found from any address inside it.
	start := db.Info().Data
	end, err := mappingEnd(start)
	if err != nil {
		t.Fatal(err)
	}
	if inside, err := mappingEnd(start + 4096); err != nil || inside != end {
		t.Errorf("mappingEnd(start+4096) = %#x, %v; mappingEnd(start) = %#x", inside, err, end)
	}
	if _, err := mappingEnd(0); err == nil {
		t.Error("mappingEnd(0) found a mapping")
	}
	before := residentKB(t, path)
	if before < 10_000 {
		t.Fatalf("only %d KiB of the file resident after reading it all; the test cannot tell a release", before)
	}
	for _, tx := range []struct {
		name string
		run  func(func(*bbolt.Tx) error) error
	}{{"read-write", db.Update}, {"read-only", db.View}} {
		if err := tx.run(func(tx *bbolt.Tx) error { return release(tx.DB()) }); err != nil {
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
		t.Logf("resident %d KiB before Release in a %s transaction, %d KiB after", before, tx.name, after)
	}
}

package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golang/snappy"
	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

// legacyDoc is a document as schema 4 stored it: 0xff, then Snappy JSON.
func legacyDoc(t testing.TB, d document.Document) []byte {
	t.Helper()
	raw, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte{legacySnappyJSON}, snappy.Encode(nil, raw)...)
}

// TestMigrationToSchema5SealsRecords writes a schema-4 store by hand
// (compressed and plain JSON documents, plain JSON memories) and opens it:
// every record reads back the same, now behind a checksum.
func TestMigrationToSchema5SealsRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.CreateWorkspace("personal", true)
	body := strings.Repeat("the same words again ", 200)
	err = s.update(func(tx *bolt.Tx) error {
		dt, _ := docTableOf(tx, "personal")
		if err := dt.put("x", legacyDoc(t, document.Document{ID: "x", Title: "Compressed", Body: body})); err != nil {
			return err
		}
		if err := dt.put("old", []byte(`{"id":"old","title":"Plain"}`)); err != nil {
			return err
		}
		mems, _ := memBucket(tx, "personal", bMemories)
		raw, _ := json.Marshal(Memory{ID: "m1", User: "local", Text: "Lives in Oslo"})
		if err := mems.Put(memKey("local", "m1"), raw); err != nil {
			return err
		}
		files, _ := wsBucket(tx, "personal", bFiles)
		raw, _ = json.Marshal(FileRecord{Path: "/notes/x.md", DocIDs: []string{"x"}, Hash: "h1"})
		if err := files.Put([]byte("/notes/x.md"), raw); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSettings).Put([]byte("import.max_file_mb"), []byte("50")); err != nil {
			return err
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], 4)
		return tx.Bucket(bucketMeta).Put(keySchema, v[:])
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.Documents("personal", []string{"x", "old"})
	if err != nil || len(got) != 2 || got[0].Body != body || got[1].Title != "Plain" {
		t.Fatalf("read back %+v, %v", got, err)
	}
	if m, err := s.Memory("personal", "local", "m1"); err != nil || m.Text != "Lives in Oslo" {
		t.Fatalf("memory: %+v, %v", m, err)
	}
	if f, ok, err := s.File("personal", "/notes/x.md"); !ok || err != nil || f.Hash != "h1" {
		t.Fatalf("file record: %+v, %v, %v", f, ok, err)
	}
	if v, ok, err := s.Setting("import.max_file_mb"); !ok || err != nil || v != "50" {
		t.Fatalf("setting: %q, %v, %v", v, ok, err)
	}
	var raw []byte
	s.view(func(tx *bolt.Tx) error {
		dt, _ := docTableOf(tx, "personal")
		raw = append(raw, dt.get("x")...)
		return nil
	})
	if raw[0] != sealedDoc || len(raw) > len(body)/4 {
		t.Fatalf("stored %d bytes for a %d-byte body, first byte %x", len(raw), len(body), raw[0])
	}
	if damaged, err := s.Verify("personal"); err != nil || len(damaged) != 0 {
		t.Fatalf("verify after migration: %v, %v", damaged, err)
	}
}

// TestDamagedRecordsAreFoundNotServed flips every bit of one stored document
// and one memory in turn: no read returns a changed record; each damaged
// one is an error that names it, Verify lists it, and the walk of all
// documents reports it and still hands on the others.
func TestDamagedRecordsAreFoundNotServed(t *testing.T) {
	s := openTest(t)
	docs := []document.Document{
		{ID: "a", Title: "Alpha", Body: "first body", MessageID: "<a@x>"},
		{ID: "b", Title: "Beta", Body: "second body", MessageID: "<b@x>"},
		{ID: "c", Title: "Gamma", Body: "third body"},
	}
	if err := s.Apply("personal", Write{Put: docs}); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyMemories("personal", "local", []MemoryChange{{Memory: Memory{ID: "m1", User: "local", Text: "Lives in Oslo"}}}); err != nil {
		t.Fatal(err)
	}
	var seqB []byte
	var docVal, memVal []byte
	s.view(func(tx *bolt.Tx) error {
		dt, _ := docTableOf(tx, "personal")
		seqB = append(seqB, dt.ids.Get([]byte("b"))...)
		docVal = append(docVal, dt.get("b")...)
		mems, _ := memBucket(tx, "personal", bMemories)
		memVal = append(memVal, mems.Get(memKey("local", "m1"))...)
		return nil
	})
	put := func(bucket []byte, key, v []byte) {
		t.Helper()
		err := s.update(func(tx *bolt.Tx) error {
			b, err := wsBucket(tx, "personal", bucket)
			if err != nil {
				return err
			}
			return b.Put(key, v)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	flip := func(v []byte, bit int) []byte {
		out := append([]byte(nil), v...)
		out[bit/8] ^= 1 << (bit % 8)
		return out
	}
	// Every bit of the tag and checksum, and a spread of the payload's.
	bits := func(v []byte) []int {
		var out []int
		for b := 0; b < len(v)*8; b++ {
			if b < 40 || b%7 == 0 {
				out = append(out, b)
			}
		}
		return out
	}
	for _, bit := range bits(docVal) {
		put(bDocSeq, seqB, flip(docVal, bit))
		d, err := s.Document("personal", "b")
		var ce *CorruptError
		if !errors.As(err, &ce) || !strings.Contains(ce.Error(), "document b") {
			t.Fatalf("bit %d: read %+v, %v; want a CorruptError naming document b", bit, d, err)
		}
		damaged, err := s.Verify("personal")
		if err != nil || len(damaged) != 1 || !strings.Contains(damaged[0].Record, "document b ") {
			t.Fatalf("bit %d: verify %v, %v", bit, damaged, err)
		}
		var ids []string
		err = s.ForEachDocument("personal", 2, func(d document.Document) error { ids = append(ids, d.ID); return nil })
		var de *DamagedError
		if !errors.As(err, &de) || len(de.Records) != 1 || strings.Join(ids, ",") != "a,c" {
			t.Fatalf("bit %d: walk gave %v, %v", bit, ids, err)
		}
	}
	put(bDocSeq, seqB, docVal)
	for _, bit := range bits(memVal) {
		err := s.update(func(tx *bolt.Tx) error {
			mems, _ := memBucket(tx, "personal", bMemories)
			return mems.Put(memKey("local", "m1"), flip(memVal, bit))
		})
		if err != nil {
			t.Fatal(err)
		}
		if m, err := s.Memory("personal", "local", "m1"); !errors.Is(err, ErrCorrupt) {
			t.Fatalf("bit %d: memory read %+v, %v", bit, m, err)
		}
		if damaged, _ := s.Verify("personal"); len(damaged) != 1 {
			t.Fatalf("bit %d: verify %v", bit, damaged)
		}
	}
}

// TestSwappedIndexEntryIsCaught points document a's index entry at b's
// record (a flipped bit in a record number can do that): reading a is an
// error, never b's body under a's ID.
func TestSwappedIndexEntryIsCaught(t *testing.T) {
	s := openTest(t)
	if err := s.Apply("personal", Write{Put: []document.Document{{ID: "a", Body: "A"}, {ID: "b", Body: "B"}}}); err != nil {
		t.Fatal(err)
	}
	s.update(func(tx *bolt.Tx) error {
		dt, _ := docTableOf(tx, "personal")
		return dt.ids.Put([]byte("a"), append([]byte(nil), dt.ids.Get([]byte("b"))...))
	})
	if d, err := s.Document("personal", "a"); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("read %+v, %v", d, err)
	}
	if damaged, _ := s.Verify("personal"); len(damaged) == 0 {
		t.Fatal("verify found nothing")
	}
}

// corruptDoc flips a bit in the middle of a stored document's value.
func corruptDoc(t testing.TB, s *Store, id string) {
	t.Helper()
	err := s.update(func(tx *bolt.Tx) error {
		dt, err := docTableOf(tx, "personal")
		if err != nil {
			return err
		}
		k := append([]byte(nil), dt.ids.Get([]byte(id))...)
		v := append([]byte(nil), dt.seq.Get(k)...)
		v[len(v)/2] ^= 0x10
		return dt.seq.Put(k, v)
	})
	if err != nil {
		t.Fatal(err)
	}
}

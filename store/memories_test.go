package store

import (
	"encoding/binary"
	"errors"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestMigrationToSchema5GivesMemoriesTwoClocks writes memories as schema 4
// kept them (valid-from invented as the recording time, an update that
// closed the old version at that instant) and checks what the migration
// makes of them.
func TestMigrationToSchema5GivesMemoriesTwoClocks(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateWorkspace("personal", true); err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	t2 := t1.Add(time.Hour)
	april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
	old := map[string]string{
		"maya\x00m1": `{"id":"m1","user":"maya","memory":"Lives in Aarhus","kind":"place","subject":"user","attribute":"lives_in","value":"Aarhus","created":"2026-12-02T10:00:00Z","updated":"2026-12-02T11:00:00Z","valid_from":"2026-04-01T00:00:00Z","valid_to":null,"state":"current","version":2}`,
	}
	vers := map[int]string{
		1: `{"version":1,"event":"ADD","memory":"Lives in Utrecht","kind":"place","value":"Utrecht","recorded":"2026-12-02T10:00:00Z","valid_from":"2026-12-02T10:00:00Z","valid_to":"2026-12-02T10:00:00Z"}`,
		2: `{"version":2,"event":"UPDATE","memory":"Lives in Aarhus","kind":"place","value":"Aarhus","recorded":"2026-12-02T11:00:00Z","valid_from":"2026-04-01T00:00:00Z","valid_to":null}`,
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		root := tx.Bucket(wsBucketName("personal"))
		mb, err := root.CreateBucketIfNotExists(bMemories)
		if err != nil {
			return err
		}
		vb, err := root.CreateBucketIfNotExists(bMemVersion)
		if err != nil {
			return err
		}
		for k, v := range old {
			if err := mb.Put([]byte(k), []byte(v)); err != nil {
				return err
			}
		}
		for n, v := range vers {
			if err := vb.Put(memVersionKey("maya", "m1", n), []byte(v)); err != nil {
				return err
			}
		}
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], 4)
		return tx.Bucket(bucketMeta).Put(keySchema, b[:])
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path, Options{}); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	vs, err := s.MemoryHistory("personal", "maya", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if vs[0].ValidFrom != nil {
		t.Errorf("Utrecht's invented start survived: %v", vs[0].ValidFrom)
	}
	if vs[0].ValidTo == nil || !vs[0].ValidTo.Equal(april) {
		t.Errorf("Utrecht ends %v, want April (when Aarhus began)", vs[0].ValidTo)
	}
	if vs[0].Superseded == nil || !vs[0].Superseded.Equal(t2) {
		t.Errorf("Utrecht superseded %v, want %v", vs[0].Superseded, t2)
	}
	if vs[1].ValidFrom == nil || !vs[1].ValidFrom.Equal(april) || vs[1].Superseded != nil {
		t.Errorf("Aarhus %+v", vs[1])
	}
	m, err := s.Memory("personal", "maya", "m1")
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "user" || m.Attribute != "lives_in" || !m.Recorded.Equal(t2) || m.ValidFrom == nil || !m.ValidFrom.Equal(april) {
		t.Errorf("memory after the migration: %+v", m)
	}
}

func TestMemoryVersionReadsOneVersionByKey(t *testing.T) {
	s := openTest(t)
	m := Memory{ID: "m1", User: "maya", Text: "Lives in Oslo", Version: 1}
	m2 := m
	m2.Text, m2.Version = "Lives in Bergen", 2
	if err := s.ApplyMemories("personal", "maya", []MemoryChange{{Memory: m, Versions: []MemoryVersion{{Version: 1, Text: m.Text}}}}); err != nil {
		t.Fatal(err)
	}
	if err := s.ApplyMemories("personal", "maya", []MemoryChange{{Memory: m2, Versions: []MemoryVersion{{Version: 2, Text: m2.Text}}}}); err != nil {
		t.Fatal(err)
	}
	// Another memory whose ID starts with this one's: its versions must
	// not be read for it.
	if err := s.ApplyMemories("personal", "maya", []MemoryChange{{Memory: Memory{ID: "m10", User: "maya", Text: "Likes tea", Version: 1}, Versions: []MemoryVersion{{Version: 1, Text: "Likes tea"}}}}); err != nil {
		t.Fatal(err)
	}
	for v, want := range map[int]string{1: "Lives in Oslo", 2: "Lives in Bergen"} {
		got, err := s.MemoryVersion("personal", "maya", "m1", v)
		if err != nil || got.Text != want || got.Version != v {
			t.Errorf("version %d: %+v, %v; want %q", v, got, err, want)
		}
	}
	for _, c := range []struct {
		user, id string
		v        int
	}{{"maya", "m1", 3}, {"maya", "m1", 0}, {"maya", "m1", -1}, {"maya", "m2", 1}, {"theo", "m1", 1}, {"maya", "m1", 1 << 33}} {
		if _, err := s.MemoryVersion("personal", c.user, c.id, c.v); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s %s version %d: %v, want ErrNotFound", c.user, c.id, c.v, err)
		}
	}
	if _, err := s.MemoryVersion("personal", "", "m1", 1); !errors.Is(err, ErrBadUser) {
		t.Errorf("empty user: %v, want ErrBadUser", err)
	}
	if _, err := s.MemoryVersion("nowhere", "maya", "m1", 1); err == nil {
		t.Errorf("a workspace that does not exist gave no error")
	}
}

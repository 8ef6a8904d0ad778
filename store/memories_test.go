package store

import (
	"encoding/binary"
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

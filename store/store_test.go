package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/document"
)

func openTest(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "engram.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.CreateWorkspace("personal", true); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSecondOpenFailsFastWithClearMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(path, Options{LockTimeout: 200 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: got %v, want ErrLocked", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("second open took %s", time.Since(start))
	}
	if !strings.Contains(err.Error(), "already running on "+filepath.Dir(path)) {
		t.Fatalf("message %q does not name the directory", err)
	}
}

func TestSchemaVersionRecorded(t *testing.T) {
	s := openTest(t)
	v, err := s.SchemaVersionOnDisk()
	if err != nil || v != SchemaVersion {
		t.Fatalf("schema version %d, %v; want %d", v, err, SchemaVersion)
	}
}

func TestWorkspaces(t *testing.T) {
	s := openTest(t)
	tests := []struct {
		name    string
		ws      string
		wantErr error
	}{
		{"new", "work", nil},
		{"duplicate", "work", ErrWorkspaceExists},
		{"upper case", "Work", ErrBadName},
		{"empty", "", ErrBadName},
		{"path", "../x", ErrBadName},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := s.CreateWorkspace(tc.ws, false)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("got %v, want %v", err, tc.wantErr)
			}
		})
	}
	wss, _ := s.Workspaces()
	if len(wss) != 2 || wss[0].Name != "personal" || wss[1].Name != "work" {
		t.Fatalf("workspaces %+v", wss)
	}
	if err := s.DeleteWorkspace("work"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteWorkspace("work"); !errors.Is(err, ErrNoWorkspace) {
		t.Fatalf("delete twice: %v", err)
	}
}

func TestApplyPutsNamesAndDeletes(t *testing.T) {
	s := openTest(t)
	a := document.Document{ID: "a", Source: document.SourceMarkdown, Path: "/v/Alpha.md", Title: "Alpha", Aliases: []string{"First Letter"}}
	b := document.Document{ID: "b", Source: document.SourceMarkdown, Path: "/v/Beta.md", Title: "Beta"}
	if err := s.Apply("personal", Write{Put: []document.Document{a, b}, Files: []FileRecord{{Path: a.Path, DocIDs: []string{"a"}}, {Path: b.Path, DocIDs: []string{"b"}}}}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.ResolveNames("personal", []string{"alpha", "first letter", "beta", "gamma"})
	if got["alpha"] != "a" || got["first letter"] != "a" || got["beta"] != "b" || got["gamma"] != "" {
		t.Fatalf("names %v", got)
	}
	// Renaming a note drops its old alias.
	a.Aliases = nil
	if err := s.Apply("personal", Write{Put: []document.Document{a}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.ResolveNames("personal", []string{"first letter"})
	if len(got) != 0 {
		t.Fatalf("stale alias kept: %v", got)
	}
	if err := s.Apply("personal", Write{Delete: []string{"b"}, DeleteFiles: []string{b.Path}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Document("personal", "b"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted doc: %v", err)
	}
	recs, _ := s.FilesUnder("personal", "/v/")
	if len(recs) != 1 || recs[0].Path != a.Path {
		t.Fatalf("files %+v", recs)
	}
	if n, _ := s.CountDocuments("personal"); n != 1 {
		t.Fatalf("count %d", n)
	}
}

func TestForEachDocumentPages(t *testing.T) {
	s := openTest(t)
	var docs []document.Document
	for i := range 1234 {
		docs = append(docs, document.Document{ID: fmt.Sprintf("%05d", i), Title: "t"})
	}
	if err := s.Apply("personal", Write{Put: docs}); err != nil {
		t.Fatal(err)
	}
	seen := 0
	last := ""
	err := s.ForEachDocument("personal", 100, func(d document.Document) error {
		if d.ID <= last {
			t.Fatalf("out of order: %s after %s", d.ID, last)
		}
		last = d.ID
		seen++
		// A write while iterating must not deadlock: reads are paged.
		if seen == 150 {
			return s.SetSetting("k", "v")
		}
		return nil
	})
	if err != nil || seen != 1234 {
		t.Fatalf("seen %d, err %v", seen, err)
	}
}

func TestDanglingAndDict(t *testing.T) {
	s := openTest(t)
	if err := s.AddDangling("personal", map[string][]string{"later": {"x", "y"}}); err != nil {
		t.Fatal(err)
	}
	_ = s.AddDangling("personal", map[string][]string{"later": {"y", "z"}})
	got, _ := s.TakeDangling("personal", []string{"later", "none"})
	if strings.Join(got["later"], ",") != "x,y,z" {
		t.Fatalf("dangling %v", got)
	}
	got, _ = s.TakeDangling("personal", []string{"later"})
	if len(got) != 0 {
		t.Fatalf("taken twice: %v", got)
	}
	if err := s.PutDictEntry("personal", DictEntry{Kind: "acronym", Term: "okr", Expansions: []string{"objectives and key results"}}); err != nil {
		t.Fatal(err)
	}
	es, _ := s.DictEntries("personal")
	if len(es) != 1 || es[0].Term != "okr" {
		t.Fatalf("dict %+v", es)
	}
	if err := s.DeleteDictEntry("personal", "acronym", "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete missing: %v", err)
	}
}

func TestOrphansKeepDocumentsHeldElsewhere(t *testing.T) {
	s := openTest(t)
	put := func(recs ...FileRecord) {
		t.Helper()
		if err := s.Apply("personal", Write{Files: recs}); err != nil {
			t.Fatal(err)
		}
	}
	put(FileRecord{Path: "/a", DocIDs: []string{"m1", "m2"}}, FileRecord{Path: "/b", DocIDs: []string{"m2"}})
	tests := []struct {
		name    string
		changed []FileRecord
		removed []string
		want    string
	}{
		{"removing a file keeps what another holds", nil, []string{"/a"}, "m1"},
		{"removing both drops everything", nil, []string{"/a", "/b"}, "m1,m2"},
		{"a change that drops a document", []FileRecord{{Path: "/a", DocIDs: []string{"m2"}}}, nil, "m1"},
		{"a change that keeps everything", []FileRecord{{Path: "/a", DocIDs: []string{"m1", "m2"}}}, nil, ""},
		{"moving a document to another file", []FileRecord{{Path: "/a", DocIDs: []string{"m2"}}, {Path: "/c", DocIDs: []string{"m1"}}}, nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Orphans("personal", tc.changed, tc.removed)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("orphans %v, want %s", got, tc.want)
			}
		})
	}
	// After /b is removed for real, m2 is held by /a alone.
	if err := s.Apply("personal", Write{DeleteFiles: []string{"/b"}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Orphans("personal", nil, []string{"/a"}); len(got) != 2 {
		t.Fatalf("after removing /b: %v", got)
	}
}

func TestMigrationToSchema2FillsDocFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.CreateWorkspace("personal", true)
	s.Apply("personal", Write{Files: []FileRecord{{Path: "/a", DocIDs: []string{"m1"}}, {Path: "/b", DocIDs: []string{"m1"}}}})
	// Turn it back into a schema-1 store: no docfiles bucket.
	err = s.update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(wsBucketName("personal")).DeleteBucket(bDocFiles); err != nil {
			return err
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], 1)
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
	if v, _ := s.SchemaVersionOnDisk(); v != SchemaVersion {
		t.Fatalf("schema %d after migration", v)
	}
	if got, _ := s.Orphans("personal", nil, []string{"/a"}); len(got) != 0 {
		t.Fatalf("m1 is held by /b too, but orphans = %v", got)
	}
}

func TestMigrationToSchema4MovesDocuments(t *testing.T) {
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.CreateWorkspace("personal", true)
	// A schema-3 store: documents in "docs", keyed by ID.
	err = s.update(func(tx *bolt.Tx) error {
		root := tx.Bucket(wsBucketName("personal"))
		for _, b := range [][]byte{bDocSeq, bDocIDs} {
			if err := root.DeleteBucket(b); err != nil {
				return err
			}
		}
		old, err := root.CreateBucket([]byte("docs"))
		if err != nil {
			return err
		}
		for _, id := range []string{"b", "a", "c"} {
			if err := old.Put([]byte(id), legacyDoc(t, document.Document{ID: id, Title: "doc " + id})); err != nil {
				return err
			}
		}
		var v [8]byte
		binary.BigEndian.PutUint64(v[:], 3)
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
	if n, _ := s.CountDocuments("personal"); n != 3 {
		t.Fatalf("%d documents after the migration", n)
	}
	if d, err := s.Document("personal", "b"); err != nil || d.Title != "doc b" {
		t.Fatalf("document b: %+v, %v", d, err)
	}
	if err := s.Apply("personal", Write{Put: []document.Document{{ID: "d", Title: "new"}}, Delete: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	s.ForEachDocument("personal", 2, func(d document.Document) error { ids = append(ids, d.ID); return nil })
	if strings.Join(ids, ",") != "b,c,d" {
		t.Fatalf("documents %v", ids)
	}
}

func TestGenerationMovesAfterEveryWrite(t *testing.T) {
	s := openTest(t)
	g := s.Generation()
	if err := s.Apply("personal", Write{Put: []document.Document{{ID: "d1", Title: "One", Body: "one"}}}); err != nil {
		t.Fatal(err)
	}
	if s.Generation() == g {
		t.Fatal("a document write left the generation alone")
	}
	g = s.Generation()
	if _, err := s.Document("personal", "d1"); err != nil {
		t.Fatal(err)
	}
	if s.Generation() != g {
		t.Fatal("a read moved the generation")
	}
	if err := s.SetSetting("import.max_file_mb", "20"); err != nil {
		t.Fatal(err)
	}
	if s.Generation() == g {
		t.Fatal("a settings write left the generation alone")
	}
}

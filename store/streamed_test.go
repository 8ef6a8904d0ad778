package store

import (
	"strings"
	"testing"
)

// TestStreamedFileRecords follows the record of a streamed file (an mbox)
// through checkpoints, a changed file, a file that was listed inline by an
// older import, and removal: the record never holds the list, the list is
// what the file holds, and Orphans names what nothing holds any more.
func TestStreamedFileRecords(t *testing.T) {
	s := openTest(t)
	const ws = "personal"
	apply := func(w Write) {
		t.Helper()
		if err := s.Apply(ws, w); err != nil {
			t.Fatal(err)
		}
	}
	orphans := func(changed []FileRecord, removed ...string) string {
		t.Helper()
		got, err := s.Orphans(ws, changed, removed)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(got, ",")
	}
	check := func(path, wantList string, wantDocs int) {
		t.Helper()
		ids, err := s.FileDocIDs(ws, path)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(ids, ","); got != wantList {
			t.Fatalf("%s lists %q, want %q", path, got, wantList)
		}
		rec, ok, err := s.File(ws, path)
		if err != nil || (wantList != "" && !ok) {
			t.Fatalf("record of %s: %v %v", path, ok, err)
		}
		if ok && (len(rec.DocIDs) != 0 || rec.Docs != wantDocs) {
			t.Fatalf("record of %s holds %d IDs and counts %d, want none and %d", path, len(rec.DocIDs), rec.Docs, wantDocs)
		}
	}
	rec := func(gen uint32, off int64, ids ...string) FileRecord {
		return FileRecord{Path: "/a.mbox", DocIDs: ids, Streamed: true, Gen: gen, Offset: off, Hash: map[bool]string{true: "h", false: ""}[off == 0]}
	}
	apply(Write{Files: []FileRecord{{Path: "/b", DocIDs: []string{"m3"}}}})

	// Checkpoints add; a repeated ID is listed once.
	apply(Write{Files: []FileRecord{rec(1, 100, "m1", "m2"), rec(1, 200, "m3", "m1")}})
	check("/a.mbox", "m1,m2,m3", 3)
	if o := orphans([]FileRecord{rec(1, 0, "m4")}); o != "" {
		t.Fatalf("the end of the same import orphans %q", o)
	}
	apply(Write{Files: []FileRecord{rec(1, 0, "m4")}})
	check("/a.mbox", "m1,m2,m3,m4", 4)

	// The file changed: a new generation; checkpoints orphan nothing, the
	// end of it everything only the old generation listed (m3 stays: /b
	// holds it).
	if o := orphans([]FileRecord{rec(2, 50, "m2")}); o != "" {
		t.Fatalf("a checkpoint orphans %q", o)
	}
	apply(Write{Files: []FileRecord{rec(2, 50, "m2")}})
	check("/a.mbox", "m1,m2,m3,m4", 1)
	if o := orphans([]FileRecord{rec(2, 90, "m6"), rec(2, 0, "m5")}); o != "m1,m4" {
		t.Fatalf("end of the changed file orphans %q, want m1,m4", o)
	}
	apply(Write{Files: []FileRecord{rec(2, 90, "m6"), rec(2, 0, "m5")}})
	check("/a.mbox", "m2,m5,m6", 3)

	// Removed: everything it lists goes, and its docfiles entries too.
	if o := orphans(nil, "/a.mbox"); o != "m2,m5,m6" {
		t.Fatalf("removing orphans %q", o)
	}
	apply(Write{DeleteFiles: []string{"/a.mbox"}})
	check("/a.mbox", "", 0)
	if o := orphans(nil, "/b"); o != "m3" {
		t.Fatalf("after removing /a.mbox, /b alone holds m3: orphans %q", o)
	}

	// An inline record of an older import becomes a list.
	apply(Write{Files: []FileRecord{{Path: "/a.mbox", DocIDs: []string{"x1", "x2"}, Hash: "old"}}})
	if o := orphans([]FileRecord{rec(1, 0, "x2", "x3")}); o != "x1" {
		t.Fatalf("streaming over an inline record orphans %q, want x1", o)
	}
	apply(Write{Files: []FileRecord{rec(1, 0, "x2", "x3")}})
	check("/a.mbox", "x2,x3", 2)
}

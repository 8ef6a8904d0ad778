package store

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
)

// fixture writes a closed store with documents and memories and returns
// its path and what it holds.
func fixture(t *testing.T) (string, []document.Document, []Memory) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "engram.db")
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.CreateWorkspace("personal", true)
	var docs []document.Document
	for i := range 120 {
		docs = append(docs, document.Document{
			ID: fmt.Sprintf("doc%03d", i), Title: fmt.Sprintf("Subject %d", i), MessageID: fmt.Sprintf("<m%d@example.net>", i),
			Body: strings.Repeat(fmt.Sprintf("body %d words ", i), 20+i%13), Path: fmt.Sprintf("/mail/%03d.eml", i),
		})
	}
	for i := 0; i < len(docs); i += 40 {
		if err := s.Apply("personal", Write{Put: docs[i : i+40]}); err != nil {
			t.Fatal(err)
		}
	}
	var mems []Memory
	var changes []MemoryChange
	for i := range 30 {
		m := Memory{ID: fmt.Sprintf("mem%02d", i), User: "local", Text: fmt.Sprintf("Fact number %d", i)}
		mems = append(mems, m)
		changes = append(changes, MemoryChange{Memory: m})
	}
	if err := s.ApplyMemories("personal", "local", changes); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSetting("import.max_file_mb", "20"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return path, docs, mems
}

// TestRandomFlipsAreDetectedOrHarmless flips one random bit of a real
// store file, many times over: the store either refuses to open saying the
// file is damaged, or every document and memory reads back as it was
// written or as an error, and whenever one does not read back, Verify names
// the damage.
func TestRandomFlipsAreDetectedOrHarmless(t *testing.T) {
	path, docs, mems := fixture(t)
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(10, 2026))
	var refused, noticed, harmless int
	for trial := range 10 {
		p := filepath.Join(t.TempDir(), "engram.db")
		data := append([]byte(nil), orig...)
		bit := rng.IntN(len(data) * 8)
		data[bit/8] ^= 1 << (bit % 8)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(p, Options{})
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("trial %d (bit %d): open failed with %v, not naming the damage", trial, bit, err)
			}
			refused++
			continue
		}
		changed := 0
		for _, want := range docs {
			got, err := s.Document("personal", want.ID)
			switch {
			case err != nil:
				changed++
			case got.Body != want.Body || got.Title != want.Title || got.MessageID != want.MessageID:
				t.Fatalf("trial %d (bit %d): document %s served changed", trial, bit, want.ID)
			}
		}
		for _, want := range mems {
			got, err := s.Memory("personal", "local", want.ID)
			switch {
			case err != nil:
				changed++
			case got.Text != want.Text:
				t.Fatalf("trial %d (bit %d): memory %s served changed: %q", trial, bit, want.ID, got.Text)
			}
		}
		if v, ok, _ := s.Setting("import.max_file_mb"); ok && v != "20" {
			t.Fatalf("trial %d (bit %d): setting served changed: %q", trial, bit, v)
		}
		damaged, verr := s.Verify("personal")
		if changed > 0 && verr == nil && len(damaged) == 0 {
			t.Fatalf("trial %d (bit %d): %d records unreadable, and Verify says all is well", trial, bit, changed)
		}
		if changed > 0 || len(damaged) > 0 {
			noticed++
		} else {
			harmless++
		}
		s.Close()
	}
	t.Logf("refused to open %d, damage named %d, harmless %d", refused, noticed, harmless)
}

// TestSalvageCopiesWhatIsReadable damages two documents and a memory, then
// salvages: the new store opens clean, holds every other record, and the
// damaged file is kept aside.
func TestSalvageCopiesWhatIsReadable(t *testing.T) {
	path, docs, mems := fixture(t)
	s, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Apply("personal", Write{Files: []FileRecord{{Path: "/mail/005.eml", DocIDs: []string{"doc005"}}, {Path: "/mail/006.eml", DocIDs: []string{"doc006"}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"doc005", "doc077"} {
		corruptDoc(t, s, id)
	}
	s.Close()
	rep, err := Salvage(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(rep.Damaged); err != nil {
		t.Fatalf("the damaged file was not kept: %v", err)
	}
	if len(rep.Skipped) != 2 || rep.Forgotten != 1 {
		t.Fatalf("report %+v", rep)
	}
	s, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if damaged, err := s.Verify("personal"); err != nil || len(damaged) != 0 {
		t.Fatalf("salvaged store: %v, %v", damaged, err)
	}
	if n, _ := s.CountDocuments("personal"); n != len(docs)-2 {
		t.Fatalf("%d documents salvaged, want %d", n, len(docs)-2)
	}
	if _, ok, _ := s.File("personal", "/mail/005.eml"); ok {
		t.Fatal("the file whose document was lost is still recorded as imported")
	}
	if _, ok, _ := s.File("personal", "/mail/006.eml"); !ok {
		t.Fatal("an intact file record was dropped")
	}
	if m, err := s.Memory("personal", "local", mems[3].ID); err != nil || m.Text != mems[3].Text {
		t.Fatalf("memory: %+v, %v", m, err)
	}
	// New documents still get new numbers (the sequence was kept).
	if err := s.Apply("personal", Write{Put: []document.Document{{ID: "new", Body: "fresh"}}}); err != nil {
		t.Fatal(err)
	}
	if d, err := s.Document("personal", "doc100"); err != nil || d.Body != docs[100].Body {
		t.Fatalf("doc100 after a new put: %v", err)
	}
}

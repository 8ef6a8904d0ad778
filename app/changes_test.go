package app

import (
	"context"
	"testing"

	"github.com/engram-app/engram/internal/changes"
	"github.com/engram-app/engram/memory"
)

// Every memory write and the end of an import reach a subscriber, in
// order, with the versions counting up; a write that changes nothing
// publishes nothing.
func TestChangeFeedPublishesWrites(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	ch, stop := a.Subscribe(changes.MaxBuffer)
	defer stop()
	add, err := a.MemoryAdd(ctx, "", "", "I live in Oslo.", "mcp")
	if err != nil {
		t.Fatal(err)
	}
	id := add.Events[0].ID
	if _, err := a.MemoryAdd(ctx, "", "", "It was raining.", "cli"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MemoryEdit(ctx, "", "", id, "Lives in Bergen"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MemoryConfirm(ctx, "", "", id); err != nil {
		t.Fatal(err)
	}
	hist, err := a.MemoryHistory(ctx, "", "", id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.MemoryUndo(ctx, "", "", memory.EventID(id, hist.Versions[len(hist.Versions)-1].Version)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MemoryDelete(ctx, "", "", id); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a.md": "# A\n\nhello\n"})
	res, err := a.Import(ctx, "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{changes.Memory, changes.Memory, changes.Memory, changes.Memory, changes.Memory, changes.Import}
	for i, k := range want {
		e := <-ch
		if e.Kind != k || e.Version != uint64(i+1) || e.Workspace != a.DefaultWorkspace() {
			t.Fatalf("event %d: %+v, want kind %s version %d", i+1, e, k, i+1)
		}
		if k == changes.Memory && (len(e.IDs) != 1 || e.IDs[0] != id || e.User != LocalUser) {
			t.Fatalf("event %d: %+v, want memory %s of %s", i+1, e, id, LocalUser)
		}
		if k == changes.Import && (len(e.IDs) != 1 || e.IDs[0] != res.JobID) {
			t.Fatalf("import event %+v, want job %s", e, res.JobID)
		}
	}
	if n := len(ch); n != 0 {
		t.Fatalf("%d more events than the writes", n)
	}
}

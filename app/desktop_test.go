package app

import "testing"

func TestSearchServiceInfo(t *testing.T) {
	dir := t.TempDir()
	a, err := New(Config{DataDir: dir, Workspace: "notes"})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})

	info, err := NewSearchService(a).Info()
	if err != nil {
		t.Fatalf("Info: %v", err)
	}
	if info.DataDir != dir {
		t.Errorf("DataDir = %q, want %q", info.DataDir, dir)
	}
	if info.Workspace != "notes" {
		t.Errorf("Workspace = %q, want %q", info.Workspace, "notes")
	}
	if info.Version == "" {
		t.Error("Version is empty, want a module version or \"dev\"")
	}
}

package cli

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoColorOffATerminal: highlights are ANSI bold only on a terminal;
// a file, a pipe or NO_COLOR gets plain text.
func TestNoColorOffATerminal(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, w := range []io.Writer{&bytes.Buffer{}, f} {
		if colorFor(w) {
			t.Errorf("color on for %T", w)
		}
	}
	t.Setenv("NO_COLOR", "1")
	if colorFor(os.Stdout) {
		t.Error("color on with NO_COLOR set")
	}
	if got := plainSnippet("a <mark>tea</mark> &amp; cake", false); got != "a tea & cake" {
		t.Errorf("plain snippet %q", got)
	}
	data := t.TempDir()
	if r := engram(t, "--data", data, "import", writeVault(t)); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	r := engram(t, "--data", data, "search", "tomatoes")
	if r.code != 0 || !strings.Contains(r.stdout, "Tomatoes") {
		t.Fatalf("search: %d %q %q", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "\x1b") {
		t.Errorf("ANSI escapes in piped output: %q", r.stdout)
	}
}

func TestConfigShowsEffectiveValues(t *testing.T) {
	data := t.TempDir()
	if r := engram(t, "--data", data, "config", "get", "import.max_file_mb"); r.code != 0 || strings.TrimSpace(r.stdout) != "20" {
		t.Fatalf("get of an unset key shows its default: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r := engram(t, "--data", data, "config", "set", "import.max_file_mb", "50")
	if r.code != 0 || !strings.Contains(r.stdout, "import.max_file_mb = 50 (was 20)") {
		t.Fatalf("set confirms: %d %q %q", r.code, r.stdout, r.stderr)
	}
	r = engram(t, "--data", data, "config", "list", "--json")
	var list struct {
		Settings []struct {
			Key, Value, Default string
			Set                 bool
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Settings) < 4 {
		t.Fatalf("list --json: %v %q", err, r.stdout)
	}
	found := false
	for _, s := range list.Settings {
		if s.Key == "import.max_file_mb" {
			found = s.Value == "50" && s.Default == "20" && s.Set
		}
	}
	if !found {
		t.Errorf("list does not show import.max_file_mb = 50 (default 20): %q", r.stdout)
	}
	if r := engram(t, "--data", data, "config", "list"); !strings.Contains(r.stdout, "memory.llm_endpoint") || !strings.Contains(r.stdout, "DEFAULT") {
		t.Errorf("plain list: %q", r.stdout)
	}
	if r := engram(t, "--data", data, "config", "set", "import.max_file_mb", ""); r.code != 0 || !strings.Contains(r.stdout, "= 20 (was 50)") {
		t.Errorf("set to empty resets: %d %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestNothingToDoExitsNonZero: a command that changes nothing because
// there is nothing to change says so and fails.
func TestNothingToDoExitsNonZero(t *testing.T) {
	data := t.TempDir()
	r := engram(t, "--data", data, "memory", "add", "--json", "I like green tea")
	var add struct{ Events []struct{ ID string } }
	if err := json.Unmarshal([]byte(r.stdout), &add); err != nil || len(add.Events) != 1 {
		t.Fatalf("memory add: %v %q", err, r.stdout)
	}
	id := add.Events[0].ID
	if r := engram(t, "--data", data, "memory", "delete", id); r.code != 0 {
		t.Fatalf("first delete: %d %q", r.code, r.stderr)
	}
	r = engram(t, "--data", data, "memory", "delete", id)
	if r.code != 1 || !strings.Contains(r.stderr, "already deleted") {
		t.Errorf("second delete: exit %d, stderr %q", r.code, r.stderr)
	}
	if r := engram(t, "--data", data, "dict", "remove", "acronym", "zzzz"); r.code == 0 {
		t.Errorf("removing a missing dictionary entry exited 0")
	}
}

package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/engram-app/engram/gaps/gapstest"
)

func TestGapsCommands(t *testing.T) {
	data, src := t.TempDir(), t.TempDir()
	c := gapstest.Generate(gapstest.Options{Seed: 21, PerKind: 1})
	if _, err := gapstest.Write(src, c); err != nil {
		t.Fatal(err)
	}
	if r := engram(t, "--data", data, "import", src); r.code != 0 {
		t.Fatalf("import: %d %s", r.code, r.stderr)
	}
	if r := engram(t, "--data", data, "gaps", "analyze"); r.code != 0 {
		t.Fatalf("gaps analyze: %d %s", r.code, r.stderr)
	}
	if r := engram(t, "--data", data, "gaps", "analyze"); r.code != 0 || !strings.Contains(r.stdout, "nothing changed") {
		t.Fatalf("second gaps analyze: %d %q", r.code, r.stdout)
	}
	r := engram(t, "--data", data, "gaps", "--json")
	if r.code != 0 {
		t.Fatalf("gaps --json: %d %s", r.code, r.stderr)
	}
	var out struct {
		Gaps []map[string]json.RawMessage `json:"gaps"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.Gaps) < 7 {
		t.Fatalf("gaps --json: %v, %d gaps:\n%s", err, len(out.Gaps), r.stdout)
	}
	for _, g := range out.Gaps {
		for _, k := range []string{"id", "kind", "summary", "question", "ask", "evidence", "values"} {
			if _, ok := g[k]; !ok {
				t.Fatalf("a gap without %q: %v", k, g)
			}
		}
	}
	var id string
	json.Unmarshal(out.Gaps[0]["id"], &id)
	if r := engram(t, "--data", data, "gaps", "show", id); r.code != 0 || !strings.Contains(r.stdout, "evidence:") {
		t.Fatalf("gaps show: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r := engram(t, "--data", data, "gaps", "dismiss", id); r.code != 0 {
		t.Fatalf("gaps dismiss: %d %s", r.code, r.stderr)
	}
	if r := engram(t, "--data", data, "gaps"); strings.Contains(r.stdout, id) {
		t.Errorf("dismissed gap %s still listed", id)
	}
	if r := engram(t, "--data", data, "gaps", "--dismissed"); !strings.Contains(r.stdout, id) {
		t.Errorf("dismissed gap %s not in --dismissed", id)
	}
	if r := engram(t, "--data", data, "gaps", "--kind", "bogus"); r.code != 2 {
		t.Errorf("--kind bogus: exit %d, want 2", r.code)
	}
	if r := engram(t, "--data", data, "gaps", "--since", "yesterday"); r.code != 2 {
		t.Errorf("--since yesterday: exit %d, want 2", r.code)
	}
	if r := engram(t, "--data", data, "gaps", "show", "0000"); r.code != 1 {
		t.Errorf("gaps show of an unknown ID: exit %d, want 1", r.code)
	}
	if r := engram(t, "--data", data, "who-knows", "--json", "budget"); r.code != 0 || !strings.Contains(r.stdout, `"people"`) {
		t.Errorf("who-knows: %d %s %s", r.code, r.stdout, r.stderr)
	}
}

package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/embed/embedtest"
)

// TestSearchByMeaningFromTheCLI: configure the endpoint, import, search
// in each mode; then the endpoint off: text, with a note on stderr.
func TestSearchByMeaningFromTheCLI(t *testing.T) {
	srv := embedtest.Start(t)
	data, notes := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(notes, "afternoon.md"), []byte("# Afternoon\n\nOur kitten dozed all afternoon on the sofa.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := "--data=" + data
	for _, args := range [][]string{
		{d, "config", "set", "embed.endpoint", srv.URL},
		{d, "config", "set", "embed.api", "openai"},
		{d, "import", notes},
	} {
		if r := engram(t, args...); r.code != 0 {
			t.Fatalf("%v: %d %s", args, r.code, r.stderr)
		}
	}
	search := func(args ...string) app.SearchResult {
		t.Helper()
		r := engram(t, append([]string{d, "search", "--json"}, args...)...)
		if r.code != 0 {
			t.Fatalf("search %v: %d %s", args, r.code, r.stderr)
		}
		var res app.SearchResult
		if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := search("cat sleeping couch"); len(res.Hits) != 1 || strings.Join(res.Hits[0].Matched, ",") != "semantic" || res.Mode != "hybrid" {
		t.Fatalf("default (hybrid) search: %+v", res)
	}
	if res := search("--mode", "text", "cat sleeping couch"); len(res.Hits) != 0 {
		t.Fatalf("text search found the paraphrase: %+v", res.Hits)
	}
	if r := engram(t, d, "search", "--mode", "fuzzy", "x"); r.code != 2 {
		t.Fatalf("bad mode: exit %d", r.code)
	}
	before := srv.Requests()
	if r := engram(t, d, "import", notes); r.code != 0 || srv.Requests() != before {
		t.Fatalf("unchanged re-import: exit %d, %d requests", r.code, srv.Requests()-before)
	}

	srv.SetDown(true)
	r := engram(t, d, "search", "afternoon kitten")
	if r.code != 0 || !strings.Contains(r.stderr, "note: the embedding endpoint") || !strings.Contains(r.stdout, "1 results") {
		t.Fatalf("endpoint down: exit %d\nstdout %s\nstderr %s", r.code, r.stdout, r.stderr)
	}
	if r := engram(t, d, "embed", "status", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"state": "down"`) {
		t.Fatalf("status: %d %s", r.code, r.stdout)
	}
}

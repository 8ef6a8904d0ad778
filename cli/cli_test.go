package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/ingest/pdf"
)

// TestMain lets the test binary act as the engram command in a child
// process, so tests can hold the store in one process and call the CLI in
// another.
func TestMain(m *testing.M) {
	if pdf.WorkerMain() {
		return
	}
	if os.Getenv("ENGRAM_TEST_AS_CLI") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

type result struct {
	code           int
	stdout, stderr string
}

func engram(t testing.TB, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func writeVault(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"Garden.md":   "---\ntags: [home]\n---\n# Garden\n\nTomatoes and basil grow by the fence. See [[Compost|the heap]].\n",
		"Compost.md":  "# Compost\n\nTurn the heap weekly.\n",
		"broken.md":   "\x00\x00garbage\x00",
		"notes/x.txt": "A plain text file about kayaks.\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCLIContract(t *testing.T) {
	data := t.TempDir()
	vault := writeVault(t)

	r := engram(t, "--data", data, "import", "--json", vault)
	if r.code != 0 {
		t.Fatalf("import exit %d: %s", r.code, r.stderr)
	}
	var imp struct {
		Imported, Updated, Skipped, Failed int
		Errors                             []struct{ Path, Error string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &imp); err != nil {
		t.Fatalf("import JSON: %v\n%s", err, r.stdout)
	}
	if imp.Imported != 3 || imp.Failed != 1 || len(imp.Errors) != 1 || !strings.HasSuffix(imp.Errors[0].Path, "broken.md") {
		t.Fatalf("import result %+v", imp)
	}

	r = engram(t, "--data", data, "search", "--json", "--limit", "5", "tomatoes")
	var sr struct {
		Total  int
		TookMS float64 `json:"took_ms"`
		Hits   []struct{ ID, Title, Source, Path, Snippet, Date string }
		Facets map[string]any
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &sr) != nil {
		t.Fatalf("search: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if sr.Total != 1 || sr.Hits[0].Title != "Garden" || !strings.Contains(sr.Hits[0].Snippet, "<mark>") || sr.Facets == nil {
		t.Fatalf("search result %+v", sr)
	}

	r = engram(t, "--data", data, "show", "--json", sr.Hits[0].ID)
	if r.code != 0 || !strings.Contains(r.stdout, "Tomatoes and basil") {
		t.Fatalf("show: %d %s %s", r.code, r.stdout, r.stderr)
	}

	r = engram(t, "--data", data, "graph", "neighbors", "--json", "Garden")
	var nb struct {
		Entity    struct{ Name, Kind string }
		Neighbors []struct{ Name, Kind, Predicate, Direction string }
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &nb) != nil {
		t.Fatalf("neighbors: %d %s %s", r.code, r.stdout, r.stderr)
	}
	found := false
	for _, n := range nb.Neighbors {
		if n.Name == "Compost" && n.Predicate == "LINKS_TO" && n.Direction == "out" {
			found = true
		}
	}
	if nb.Entity.Name != "Garden" || !found {
		t.Fatalf("neighbors %+v", nb)
	}

	r = engram(t, "--data", data, "stats", "--json")
	var st struct {
		Documents, Entities, Edges int
		Workspace                  string
		Health                     map[string]struct{ Status string }
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &st) != nil || st.Documents != 3 || st.Workspace != "personal" || st.Health["graph"].Status != "ok" {
		t.Fatalf("stats: %d %s %s", r.code, r.stdout, r.stderr)
	}

	r = engram(t, "--data", data, "dict", "add", "acronym", "gdn", "garden")
	if r.code != 0 {
		t.Fatalf("dict add: %s", r.stderr)
	}
	r = engram(t, "--data", data, "search", "--json", "gdn")
	if r.code != 0 || !strings.Contains(r.stdout, `"Garden"`) {
		t.Fatalf("acronym search: %s %s", r.stdout, r.stderr)
	}
	if r = engram(t, "--data", data, "dict", "list", "--json"); !strings.Contains(r.stdout, `"gdn"`) {
		t.Fatalf("dict list: %s", r.stdout)
	}
	if r = engram(t, "--data", data, "dict", "remove", "acronym", "ceo"); r.code != 0 {
		t.Fatalf("switching a built-in off: %d %s", r.code, r.stderr)
	}
	if r = engram(t, "--data", data, "dict", "list"); !regexp.MustCompile(`(?m)^acronym\s+ceo\s+chief executive officer\s+default \(off\)$`).MatchString(r.stdout) {
		t.Fatalf("dict list does not say ceo is off:\n%s", r.stdout)
	}
	if r = engram(t, "--data", data, "dict", "restore", "acronym", "ceo"); r.code != 0 || strings.Contains(engram(t, "--data", data, "dict", "list").stdout, "(off)") {
		t.Fatalf("dict restore: %d %s", r.code, r.stderr)
	}
	if r = engram(t, "--data", data, "dict", "restore", "acronym", "gdn"); r.code == 0 || !strings.Contains(r.stderr, "no built-in") {
		t.Fatalf("restoring what is not built in: %d %s", r.code, r.stderr)
	}
	if r = engram(t, "--data", data, "doctor", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"ok": true`) {
		t.Fatalf("doctor: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if r = engram(t, "--data", data, "workspace", "create", "work"); r.code != 0 {
		t.Fatalf("workspace create: %s", r.stderr)
	}
	if r = engram(t, "--data", data, "--workspace", "work", "search", "--json", "tomatoes"); r.code != 0 || !strings.Contains(r.stdout, `"total": 0`) {
		t.Fatalf("other workspace: %s %s", r.stdout, r.stderr)
	}
}

func TestCLIExitCodes(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no query", []string{"--data", data, "search"}, 2, "needs a query"},
		{"unknown command", []string{"--data", data, "frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"--data", data, "search", "--bogus", "x"}, 2, "unknown flag"},
		{"missing path", []string{"--data", data, "import", filepath.Join(data, "nope")}, 1, "check the path"},
		{"missing doc", []string{"--data", data, "show", "deadbeef"}, 1, "not found"},
		{"unknown workspace", []string{"--data", data, "--workspace", "nope", "stats"}, 1, "engram workspace create nope"},
		{"unknown entity", []string{"--data", data, "graph", "neighbors", "Nobody Here"}, 1, "Nobody Here"},
		{"bad setting", []string{"--data", data, "config", "set", "import.max_file_mb", "lots"}, 2, "import.max_file_mb takes a number from"},
		{"unknown setting", []string{"--data", data, "config", "get", "import.max_size"}, 2, "the settings are embed.api"},
		{"depth out of range", []string{"--data", data, "graph", "neighbors", "--depth", "9", "Nobody"}, 2, "depth must be a whole number from 1 to 3"},
		{"offset out of range", []string{"--data", data, "search", "--offset", "-4", "tea"}, 2, "offset must be a whole number"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := engram(t, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.msg) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", r.code, tc.code, r.stderr, tc.msg)
			}
		})
	}
}

// TestLockedStoreFailsFast holds the data directory in this process and runs
// `engram stats` in another: it must fail within seconds, saying Engram is
// already running on that directory.
func TestLockedStoreFailsFast(t *testing.T) {
	data := t.TempDir()
	if r := engram(t, "--data", data, "stats"); r.code != 0 {
		t.Fatalf("first stats: %s", r.stderr)
	}
	e := &env{dataDir: data}
	a, err := e.open()
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "--data", data, "stats")
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	took := time.Since(start)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("exit: %v, stderr %s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "already running on "+data) {
		t.Fatalf("stderr %q", stderr.String())
	}
	if took > 10*time.Second {
		t.Fatalf("took %s", took)
	}
}

// TestKilledImportResumesExactlyOnce kills `engram import` (SIGKILL) while it
// runs, twice, then imports again: every message must be there exactly once,
// and store, index and graph must agree.
func TestKilledImportResumesExactlyOnce(t *testing.T) {
	const n = 6000
	src := t.TempDir()
	for i := range n {
		msg := fmt.Sprintf("From: Member %d <m%d@example.net>\r\nTo: list@example.net\r\nSubject: note %d\r\nMessage-ID: <k%d@example.net>\r\nDate: Tue, 2 Jan 2001 09:00:00 +0000\r\n\r\nEntry %d: marker mk%05dq in the weekly notes.\r\n", i%31, i%31, i, i, i, i)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("%05d.eml", i)), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	exe, _ := os.Executable()
	killed := 0
	// First kill once the store has taken a few batches; the second soon
	// after the restart, wherever it is.
	started := func() bool {
		info, err := os.Stat(filepath.Join(data, "engram.db"))
		return err == nil && info.Size() > 1<<20
	}
	for round := range 2 {
		cmd := exec.Command(exe, "--data", data, "import", "--json", src)
		cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		deadline := time.After(150 * time.Millisecond)
		tick := time.NewTicker(5 * time.Millisecond)
	wait:
		for {
			select {
			case <-done:
				break wait
			case <-tick.C:
				if round == 0 && !started() {
					continue
				}
				if round == 0 {
					cmd.Process.Kill()
					<-done
					killed++
					break wait
				}
			case <-deadline:
				if round == 1 {
					cmd.Process.Kill()
					<-done
					killed++
					break wait
				}
			}
		}
		tick.Stop()
	}
	if killed == 0 {
		t.Fatal("the import finished before it could be killed; make the corpus larger")
	}
	r := engram(t, "--data", data, "import", "--json", src)
	if r.code != 0 {
		t.Fatalf("resume: %s", r.stderr)
	}
	var st struct{ Documents, Indexed int }
	if r = engram(t, "--data", data, "stats", "--json"); json.Unmarshal([]byte(r.stdout), &st) != nil || st.Documents != n || st.Indexed != n {
		t.Fatalf("after resume: %s", r.stdout)
	}
	for _, i := range []int{0, 1, n / 3, n / 2, n - 1} {
		r = engram(t, "--data", data, "search", "--json", fmt.Sprintf("mk%05dq", i))
		if !strings.Contains(r.stdout, `"total": 1,`) {
			t.Fatalf("message %d: %s", i, r.stdout)
		}
	}
	if r = engram(t, "--data", data, "doctor", "--json"); r.code != 0 {
		t.Fatalf("doctor after resume: %s %s", r.stdout, r.stderr)
	}
	if r = engram(t, "--data", data, "jobs", "--json"); !strings.Contains(r.stdout, `"interrupted"`) {
		t.Fatalf("jobs do not show the killed import: %s", r.stdout)
	}
	r = engram(t, "--data", data, "import", "--json", src)
	if !strings.Contains(r.stdout, `"imported": 0,`) || !strings.Contains(r.stdout, `"updated": 0,`) {
		t.Fatalf("unchanged re-import: %s", r.stdout)
	}
}

// TestImportsDocumentsThroughTheWorker imports a PDF (read by this binary
// started again as the PDF worker), an HTML page and a broken PDF: the good
// ones are searchable, the broken one is reported and does not stop the rest.
func TestImportsDocumentsThroughTheWorker(t *testing.T) {
	data, dir := t.TempDir(), t.TempDir()
	copyFile := func(from, to string) {
		b, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("../ingest/pdf/testdata/hello.pdf", "hello.pdf")
	copyFile("../ingest/pdf/testdata/truncated.pdf", "broken.pdf")
	copyFile("../ingest/html/testdata/article.html", "article.html")
	r := engram(t, "--data", data, "import", "--json", dir)
	var res struct {
		Imported, Failed int
		Errors           []struct{ Path, Error string }
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &res) != nil {
		t.Fatalf("import: %d %s %s", r.code, r.stdout, r.stderr)
	}
	if res.Imported != 2 || res.Failed != 1 || !strings.HasSuffix(res.Errors[0].Path, "broken.pdf") {
		t.Fatalf("import result %+v", res)
	}
	if r = engram(t, "--data", data, "search", "--json", "source:pdf"); !strings.Contains(r.stdout, `"total": 1,`) {
		t.Fatalf("the PDF is not searchable: %s %s", r.stdout, r.stderr)
	}
}

func TestSearchArgs(t *testing.T) {
	data := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{"a dash word is a negation", []string{"--data", data, "search", "-patch"}, 0, "results"},
		{"flags after words", []string{"search", "budget", "--json", "--limit", "3", "--data", data}, 0, `"total"`},
		{"everything after -- is words", []string{"--data", data, "search", "--", "--json"}, 0, "results"},
		{"unknown operator is a usage error", []string{"--data", data, "search", "foo:bar"}, 2, `"foo:"`},
		{"bad date names the date", []string{"--data", data, "search", "before:notadate"}, 2, `"notadate"`},
		{"only punctuation", []string{"--data", data, "search", "(((("}, 2, "bracket"},
		{"unclosed quote", []string{"--data", data, "search", `"budget`}, 2, "quote"},
		{"too long", []string{"--data", data, "search", strings.Repeat("x", 1001)}, 2, "at most 1000"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr %q", code, tc.code, stderr.String())
			}
			if !strings.Contains(stdout.String()+stderr.String(), tc.out) {
				t.Errorf("output %q %q lacks %q", stdout.String(), stderr.String(), tc.out)
			}
			if tc.code == 2 && strings.Contains(stderr.String(), strings.Repeat("x", 100)) {
				t.Errorf("the error repeats the query")
			}
		})
	}
}

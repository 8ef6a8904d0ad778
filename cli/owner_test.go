package cli

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/control"
)

// cli runs this test binary as the engram command.
func cli(args ...string) *exec.Cmd {
	exe, _ := os.Executable()
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	return cmd
}

// startOwner runs `engram daemon` on data and waits for its socket.
func startOwner(t *testing.T, data string) *exec.Cmd {
	t.Helper()
	d := cli("--data", data, "daemon")
	var stderr bytes.Buffer
	d.Stderr = &stderr
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Process.Kill(); d.Wait() })
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if c, err := control.Dial(data); err == nil {
			c.Close()
			return d
		}
	}
	t.Fatalf("the daemon did not start: %s", stderr.String())
	return nil
}

func writeMaildir(t *testing.T, n int, tag string) string {
	t.Helper()
	src := t.TempDir()
	for i := range n {
		msg := fmt.Sprintf("From: Member %d <m%d@example.net>\r\nTo: list@example.net\r\nSubject: note %d\r\nMessage-ID: <%s%d@example.net>\r\nDate: Tue, 2 Jan 2001 09:00:00 +0000\r\n\r\nEntry %d: marker mk%05dq about the harbour ferry.\r\n", i%17, i%17, i, tag, i, i, i)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("%05d.eml", i)), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return src
}

func output(t *testing.T, cmd *exec.Cmd) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// TestEveryFaceAtOnce: with an owner running, the CLI's search, memory add
// and import and an MCP session all work at once on its data directory,
// and the answers are those of a process of its own.
func TestEveryFaceAtOnce(t *testing.T) {
	src := writeMaildir(t, 300, "face")
	solo := t.TempDir()
	if r := engram(t, "--data", solo, "import", src); r.code != 0 {
		t.Fatal(r.stderr)
	}
	want := engram(t, "--data", solo, "search", "--json", "--limit", "50", "harbour ferry from:m3@example.net")

	data := t.TempDir()
	startOwner(t, data)
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	face := func(name string, f func() string) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if msg := f(); msg != "" {
				errs <- name + ": " + msg
			}
		}()
	}
	face("import", func() string {
		out, stderr, code := output(t, cli("--data", data, "import", src))
		if code != 0 || !strings.Contains(out, "imported 300") {
			return fmt.Sprintf("exit %d %q %q", code, out, stderr)
		}
		return ""
	})
	face("memory add", func() string {
		out, stderr, code := output(t, cli("--data", data, "memory", "add", "I live in Bergen"))
		if code != 0 || !strings.Contains(out, "Lives in Bergen") {
			return fmt.Sprintf("exit %d %q %q", code, out, stderr)
		}
		return ""
	})
	face("search", func() string {
		for range 5 {
			if _, stderr, code := output(t, cli("--data", data, "search", "ferry")); code != 0 {
				return fmt.Sprintf("exit %d %q", code, stderr)
			}
		}
		return ""
	})
	face("mcp", func() string {
		cmd := cli("--data", data, "mcp")
		in, _ := cmd.StdinPipe()
		outp, _ := cmd.StdoutPipe()
		if err := cmd.Start(); err != nil {
			return err.Error()
		}
		defer cmd.Wait()
		defer in.Close()
		rd := bufio.NewReader(outp)
		io.WriteString(in, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`+"\n")
		if l, err := rd.ReadString('\n'); err != nil || !strings.Contains(l, `"result"`) {
			return fmt.Sprintf("initialize: %q %v", l, err)
		}
		io.WriteString(in, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n")
		io.WriteString(in, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"memory_add","arguments":{"text":"I love sea kayaking"}}}`+"\n")
		if l, err := rd.ReadString('\n'); err != nil || !strings.Contains(l, "kayaking") {
			return fmt.Sprintf("memory_add: %q %v", l, err)
		}
		return ""
	})
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	// The owner saw it all: the memory the assistant added, the import.
	out, _, _ := output(t, cli("--data", data, "memory", "list"))
	if !strings.Contains(out, "kayaking") || !strings.Contains(out, "Bergen") {
		t.Errorf("memories through the owner: %q", out)
	}
	got, stderr, code := output(t, cli("--data", data, "search", "--json", "--limit", "50", "harbour ferry from:m3@example.net"))
	if code != 0 {
		t.Fatal(stderr)
	}
	if norm(t, got) != norm(t, want.stdout) {
		t.Errorf("search through the owner differs from a process of its own:\n%s\nwant\n%s", got, want.stdout)
	}
	// Errors and exit codes are the same too.
	if _, stderr, code := output(t, cli("--data", data, "config", "get", "nope")); code != 2 || !strings.Contains(stderr, `unknown setting "nope"`) {
		t.Errorf("usage error through the owner: exit %d %q", code, stderr)
	}
}

// norm is a search result without what differs between two runs of the
// same search: its time, and the order of hits of equal score.
func norm(t *testing.T, s string) string {
	var v struct {
		Total int `json:"total"`
		Hits  []struct {
			ID    string  `json:"id"`
			Score float64 `json:"score"`
		} `json:"hits"`
		Facets any `json:"facets"`
	}
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	slices.SortFunc(v.Hits, func(a, b struct {
		ID    string  `json:"id"`
		Score float64 `json:"score"`
	}) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), strings.Compare(a.ID, b.ID))
	})
	b, _ := json.Marshal(v)
	return string(b)
}

// TestOwnerKilledDuringAClientsImport: the client says so, the next
// command starts clean, and importing again imports every message once.
func TestOwnerKilledDuringAClientsImport(t *testing.T) {
	const n = 4000
	src := writeMaildir(t, n, "kill")
	data := t.TempDir()
	d := startOwner(t, data)
	imp := cli("--data", data, "import", src)
	var out, stderr bytes.Buffer
	imp.Stdout, imp.Stderr = &out, &stderr
	if err := imp.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- imp.Wait() }()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if info, err := os.Stat(filepath.Join(data, "engram.db")); err == nil && info.Size() > 1<<20 {
			break
		}
	}
	d.Process.Kill()
	d.Wait()
	select {
	case err := <-done:
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "Engram closed") {
			if err == nil {
				t.Fatalf("the import finished before the owner was killed (%q); make the corpus larger", out.String())
			}
			t.Fatalf("client: %v, stderr %q", err, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the client hung after its owner was killed")
	}
	if _, serr, code := output(t, cli("--data", data, "stats")); code != 0 {
		t.Fatalf("the next command: exit %d %q", code, serr)
	}
	if o, serr, code := output(t, cli("--data", data, "import", "--json", src)); code != 0 {
		t.Fatalf("import again: %d %s %s", code, o, serr)
	}
	r := engram(t, "--data", data, "stats", "--json")
	var st struct{ Documents, Indexed int }
	if json.Unmarshal([]byte(r.stdout), &st) != nil || st.Documents != n || st.Indexed != n {
		t.Fatalf("after the rerun: %s", r.stdout)
	}
	for _, i := range []int{0, n / 2, n - 1} {
		if r := engram(t, "--data", data, "search", "--json", fmt.Sprintf("mk%05dq", i)); !strings.Contains(r.stdout, `"total": 1,`) {
			t.Fatalf("message %d: %s", i, r.stdout)
		}
	}
}

// TestDetachedImport: import --detach returns at once with the job's ID,
// the job runs in the daemon it started, and jobs shows it under that ID
// from another command, in text and JSON, until its end.
func TestDetachedImport(t *testing.T) {
	src := writeMaildir(t, 200, "detach")
	data := t.TempDir()
	out, stderr, code := output(t, cli("--data", data, "import", "--detach", src))
	m := regexp.MustCompile(`^started job (\S+) in the running Engram; .*engram jobs`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import --detach: %d %q %q", code, out, stderr)
	}
	id := m[1]
	// Stop the daemon the import started: it is this test's.
	t.Cleanup(func() { output(t, cli("--data", data, "daemon", "--stop")) })
	if text, _, _ := output(t, cli("--data", data, "jobs")); !strings.Contains(text, id+"  ") {
		t.Fatalf("engram jobs does not show job %s: %s", id, text)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		raw, _, _ := output(t, cli("--data", data, "jobs", "--json"))
		var jobs struct {
			Jobs []struct {
				ID, State string
				Imported  int
			}
		}
		if err := json.Unmarshal([]byte(raw), &jobs); err != nil || len(jobs.Jobs) != 1 || jobs.Jobs[0].ID != id {
			t.Fatalf("engram jobs --json, want the one job %s: %v %s", id, err, raw)
		}
		if j := jobs.Jobs[0]; j.State == "done" && j.Imported == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the detached import did not finish: %s", raw)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestDetachUsageError: a detached command that fails before it starts a
// job reports its error and exit code, as it would run in the foreground.
func TestDetachUsageError(t *testing.T) {
	data := t.TempDir()
	startOwner(t, data)
	out, stderr, code := output(t, cli("--data", data, "import", "--detach", "--no-such-flag", data))
	if code != 2 || strings.Contains(out, "started job") || !strings.Contains(stderr, "--no-such-flag") {
		t.Fatalf("import --detach with an unknown flag: %d %q %q", code, out, stderr)
	}
}

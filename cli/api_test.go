package cli

import (
	"bufio"
	"errors"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/control"
)

// TestServeAsDesktop: a process that opened the container itself and
// serves it with Serve (as the desktop app does) runs its clients'
// commands; a job a client detaches is in that process's imports view
// under the ID the client printed; it refuses a client's daemon --stop and
// TakeOver; and closing it ends an attached MCP session with "Engram
// closed", after which the next command opens the directory itself.
func TestServeAsDesktop(t *testing.T) {
	data := t.TempDir()
	a, err := app.New(app.Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := Serve(a, nil, t.Logf)
	if err != nil {
		a.Close()
		t.Fatal(err)
	}
	closed := false
	t.Cleanup(func() {
		if !closed {
			srv.Close(0)
			a.Close()
		}
	})

	src := writeMaildir(t, 40, "desk")
	out, stderr, code := output(t, cli("--data", data, "import", "--detach", src))
	m := regexp.MustCompile(`^started job (\S+) `).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("import --detach: %d %q %q", code, out, stderr)
	}
	imports := app.NewImportService(a) // what the desktop's imports view lists
	defer app.CloseImports(imports)
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		jobs, err := imports.Jobs("")
		if err != nil || len(jobs) != 1 || jobs[0].ID != m[1] {
			t.Fatalf("the imports view, want the one job %s: %v %+v", m[1], err, jobs)
		}
		if jobs[0].State == "done" && jobs[0].Imported == 40 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the job did not end: %+v", jobs[0])
		}
	}

	if _, stderr, code := output(t, cli("--data", data, "daemon", "--stop")); code != 1 || !strings.Contains(stderr, "not a daemon") {
		t.Errorf("daemon --stop of a desktop owner: exit %d %q", code, stderr)
	}
	if took, err := TakeOver(data); took || !errors.Is(err, ErrOwnedElsewhere) || !strings.Contains(err.Error(), "close it where it was started") {
		t.Errorf("TakeOver of a desktop owner: %v %v", took, err)
	}

	// An attached MCP session, then the owner closes.
	mcpCmd := cli("--data", data, "mcp")
	in, _ := mcpCmd.StdinPipe()
	outp, _ := mcpCmd.StdoutPipe()
	var mcpErr strings.Builder
	mcpCmd.Stderr = &mcpErr
	if err := mcpCmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rd := bufio.NewReader(outp)
	io.WriteString(in, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`+"\n")
	if l, err := rd.ReadString('\n'); err != nil || !strings.Contains(l, `"result"`) {
		t.Fatalf("initialize: %q %v", l, err)
	}
	if err := srv.Close(0); err != nil {
		t.Fatal(err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	closed = true
	io.Copy(io.Discard, rd)
	err = mcpCmd.Wait()
	var ee interface{ ExitCode() int }
	if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(mcpErr.String(), "Engram closed") {
		t.Errorf("the MCP client when the owner closed: %v %q", err, mcpErr.String())
	}
	if _, err := control.Dial(data); !errors.Is(err, control.ErrNoOwner) {
		t.Errorf("after the owner closed, Dial: %v", err)
	}
	if out, stderr, code := output(t, cli("--data", data, "stats", "--json")); code != 0 || !strings.Contains(out, `"documents": 40`) {
		t.Errorf("the next command, on its own: %d %q %q", code, out, stderr)
	}
}

// TestTakeOverDaemon: TakeOver stops the daemon that owns the directory
// and frees it for this process; StartDaemon starts one again after.
func TestTakeOverDaemon(t *testing.T) {
	data := t.TempDir()
	d := startOwner(t, data)
	took, err := TakeOver(data)
	if err != nil || !took {
		t.Fatalf("TakeOver: %v %v", took, err)
	}
	if err := d.Wait(); err != nil {
		t.Fatalf("the daemon after TakeOver: %v", err)
	}
	a, err := app.New(app.Config{DataDir: data})
	if err != nil {
		t.Fatalf("opening after TakeOver: %v", err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if took, err := TakeOver(data); took || err != nil {
		t.Fatalf("TakeOver with no owner: %v %v", took, err)
	}

	exe, _ := os.Executable()
	t.Setenv("ENGRAM_TEST_AS_CLI", "1") // the child is the engram command
	c, err := StartDaemon(data, exe)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	t.Cleanup(func() { output(t, cli("--data", data, "daemon", "--stop")) })
	if out, stderr, code := output(t, cli("--data", data, "memory", "add", "I live in Tromsø")); code != 0 || !strings.Contains(out, "Tromsø") {
		t.Fatalf("through the daemon started again: %d %q %q", code, out, stderr)
	}
}

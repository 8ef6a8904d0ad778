package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// child starts the test binary as the engram command.
func child(t *testing.T, ctx context.Context, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	return cmd
}

// TestImportSkipsAFIFO imports a FIFO by name and a folder holding one. A
// FIFO opened for reading blocks until a writer comes: the command would
// hang (and the context kill it) if it opened one.
func TestImportSkipsAFIFO(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "a.txt"), []byte("kayak notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	named := filepath.Join(t.TempDir(), "pipe.txt")
	for _, p := range []string{filepath.Join(src, "in-folder.txt"), named} {
		if err := syscall.Mkfifo(p, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for _, c := range []struct{ path, want string }{
		{src, "in-folder.txt: skipped: not a regular file (a named pipe (FIFO))"},
		{named, "pipe.txt: skipped: not a regular file (a named pipe (FIFO))"},
	} {
		out, err := child(t, ctx, "--data", data, "import", c.path).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", c.path, err, out)
		}
		if !strings.Contains(string(out), c.want) {
			t.Fatalf("output:\n%s", out)
		}
	}
}

// TestSignalsEndCommands stops a server and a running import with SIGINT
// and SIGTERM; each process ends, and the store is free for the next
// command.
func TestSignalsEndCommands(t *testing.T) {
	src := t.TempDir()
	for i := range 800 {
		msg := fmt.Sprintf("From: a%d@example.net\r\nSubject: s %d\r\nMessage-ID: <sig%d@example.net>\r\n\r\nbody %d\r\n", i%7, i, i, i)
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("%05d.eml", i)), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases := []struct {
		name string
		args []string
		sig  syscall.Signal
		code int
	}{
		{"serve SIGINT", []string{"serve", "--addr", "127.0.0.1:0"}, syscall.SIGINT, 0},
		{"serve SIGTERM", []string{"serve", "--addr", "127.0.0.1:0"}, syscall.SIGTERM, 0},
		{"import SIGINT", []string{"import", src}, syscall.SIGINT, -1},
		{"import SIGTERM", []string{"import", src}, syscall.SIGTERM, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := t.TempDir()
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			cmd := child(t, ctx, append([]string{"--data", data}, c.args...)...)
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Wait until the command runs: serve says so, an import
			// draws its progress bar.
			r := bufio.NewReader(stderr)
			if _, err := r.ReadString('\n'); err != nil && !strings.HasPrefix(c.args[0], "import") {
				t.Fatal(err)
			}
			if strings.HasPrefix(c.args[0], "import") {
				for {
					info, err := os.Stat(filepath.Join(data, "engram.db"))
					if err == nil && info.Size() > 0 {
						break
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			go func() { _, _ = r.WriteTo(discard{}) }()
			err = cmd.Wait()
			if ctx.Err() != nil {
				t.Fatalf("the command did not stop on %s", c.sig)
			}
			if c.code == 0 && err != nil {
				t.Fatalf("exit: %v", err)
			}
			// The lock is free: the next command opens the store.
			if res := engram(t, "--data", data, "stats", "--json"); res.code != 0 {
				t.Fatalf("after %s: %+v", c.sig, res)
			}
		})
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

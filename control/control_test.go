package control

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as a client of another user.
func TestMain(m *testing.M) {
	if path := os.Getenv("CONTROL_TEST_DIAL"); path != "" {
		c, err := net.Dial("unix", path)
		if err != nil {
			fmt.Println("dial:", err)
			os.Exit(3)
		}
		code, err := Run(context.Background(), c, Request{Args: []string{"hello"}}, os.Stdout, os.Stderr, nil)
		fmt.Println("code", code, "err", err)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// echo is a Handler that prints its arguments and, for "wait", waits for
// its context.
type echo struct {
	mu      sync.Mutex
	started chan struct{}
	ended   chan error
}

func (h *echo) Run(ctx context.Context, req Request, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "out %s\n", strings.Join(req.Args, " "))
	fmt.Fprintf(stderr, "err %s\n", req.Cwd)
	fmt.Fprintf(stdout, "out again\n")
	if len(req.Args) > 0 && req.Args[0] == "big" {
		// Bytes of every value, longer than a frame, in uneven writes.
		for i := range 3 * maxFrame / 1000 {
			b := make([]byte, 999+i%3)
			for j := range b {
				b[j] = byte(i + j)
			}
			stdout.Write(b)
		}
		stdout.Write(make([]byte, 2*maxFrame+7))
		return 0
	}
	if len(req.Args) > 0 && req.Args[0] == "wait" {
		close(h.started)
		<-ctx.Done()
		h.ended <- ctx.Err()
		return 130
	}
	return 3
}

func (h *echo) Stop() error { return errors.New("not a daemon") }

func (h *echo) MCP(ctx context.Context, req Request, r io.Reader, w io.Writer) error {
	_, err := io.Copy(w, io.TeeReader(r, io.Discard))
	return err
}

func start(t *testing.T) (dir string, h *echo, s *Server) {
	t.Helper()
	dir = t.TempDir()
	ln, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	h = &echo{started: make(chan struct{}), ended: make(chan error, 1)}
	s = Serve(ln, h, t.Logf)
	t.Cleanup(func() { s.Close(time.Second) })
	return dir, h, s
}

func TestSocketIsPrivate(t *testing.T) {
	dir, _, _ := start(t)
	fi, err := os.Stat(SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode %v, want a socket with 0600", fi.Mode())
	}
}

func TestNoOwnerAndStaleSocket(t *testing.T) {
	dir := t.TempDir()
	if _, err := Dial(dir); !errors.Is(err, ErrNoOwner) {
		t.Fatalf("Dial with no socket: %v, want ErrNoOwner", err)
	}
	// A crashed owner leaves its socket behind: nothing answers it.
	ln, err := net.Listen("unix", SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if _, err := os.Stat(SocketPath(dir)); err != nil {
		t.Fatalf("the stale socket is not there: %v", err)
	}
	if _, err := Dial(dir); !errors.Is(err, ErrNoOwner) {
		t.Fatalf("Dial with a stale socket: %v, want ErrNoOwner", err)
	}
	// The next owner removes it and listens.
	ln2, err := Listen(dir)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	ln2.Close()
	if _, err := os.Stat(SocketPath(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("closing the listener left the socket: %v", err)
	}
}

func TestRunCarriesOutputAndExitCode(t *testing.T) {
	dir, _, _ := start(t)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out, errb strings.Builder
	code, err := Run(context.Background(), c, Request{Args: []string{"search", "tea"}, Cwd: "/home/u"}, &out, &errb, nil)
	if err != nil || code != 3 {
		t.Fatalf("Run: %d %v", code, err)
	}
	if out.String() != "out search tea\nout again\n" || errb.String() != "err /home/u\n" {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}
}

// runWait runs the echo handler's "wait" command from a client writing
// its stdout to out, and returns once the command has started: closing
// interrupt is the client's Ctrl-C, and done gets the exit code.
func runWait(t *testing.T, dir string, h *echo, out io.Writer) (interrupt chan struct{}, done chan int) {
	t.Helper()
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	interrupt, done = make(chan struct{}), make(chan int, 1)
	go func() {
		code, _ := Run(context.Background(), c, Request{Args: []string{"wait"}}, out, io.Discard, interrupt)
		done <- code
	}()
	<-h.started
	return interrupt, done
}

func TestInterruptCancelsTheCommand(t *testing.T) {
	dir, h, _ := start(t)
	interrupt, done := runWait(t, dir, h, io.Discard)
	close(interrupt)
	select {
	case err := <-h.ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the command's context ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the interrupt did not cancel the command")
	}
	if code := <-done; code != 130 {
		t.Errorf("exit code %d, want the command's 130", code)
	}
}

func TestOwnerClosingReachesTheClient(t *testing.T) {
	dir, h, s := start(t)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := Run(context.Background(), c, Request{Args: []string{"wait"}}, io.Discard, io.Discard, nil)
		errc <- err
	}()
	<-h.started
	s.Close(10 * time.Millisecond)
	select {
	case err := <-errc:
		// The command was cancelled and its exit code reached the client,
		// or the connection closed first: both say the owner is gone.
		if err != nil && !errors.Is(err, ErrOwnerGone) {
			t.Fatalf("client error %v, want nil or ErrOwnerGone", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the client hung after the owner closed")
	}
	if _, err := Dial(dir); !errors.Is(err, ErrNoOwner) {
		t.Errorf("Dial after the owner closed: %v", err)
	}
}

func TestMCPStream(t *testing.T) {
	dir, _, _ := start(t)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := MCP(c, Request{}, strings.NewReader("{\"a\":1}\n{\"b\":2}\n"), &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != "{\"a\":1}\n{\"b\":2}\n" {
		t.Fatalf("echoed %q", out.String())
	}
}

// TestOtherUserRefused runs a client as another user; the socket is made
// world-writable for the test so that only the peer check stands between.
func TestOtherUserRefused(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to run a client as another user (CI runs as root)")
	}
	dir, _, _ := start(t)
	// Let the other user reach the socket and run a copy of this binary.
	for _, p := range []string{filepath.Dir(dir), dir} {
		if err := os.Chmod(p, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(SocketPath(dir), 0o777); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "client")
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), "CONTROL_TEST_DIAL="+SocketPath(dir))
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("client as nobody: %v %s", err, out)
	}
	if !strings.Contains(string(out), "Engram closed") || strings.Contains(string(out), "out hello") {
		t.Fatalf("a client of another user was answered: %s", out)
	}
}

// Output goes through as the bytes the command wrote, whatever they are and
// however long its writes, in order with its stderr.
func TestOutputIsVerbatim(t *testing.T) {
	dir, h, _ := start(t)
	var want bytes.Buffer
	h.Run(context.Background(), Request{Args: []string{"big"}}, &want, io.Discard)
	c, err := Dial(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	code, err := Run(context.Background(), c, Request{Args: []string{"big"}}, &out, &errOut, nil)
	if err != nil || code != 0 {
		t.Fatalf("code %d, err %v", code, err)
	}
	if !bytes.Equal(out.Bytes(), want.Bytes()) {
		t.Fatalf("stdout: %d bytes, want the %d the command wrote", out.Len(), want.Len())
	}
	var mixed bytes.Buffer
	c, _ = Dial(dir)
	if code, err := Run(context.Background(), c, Request{Args: []string{"x"}}, &mixed, &mixed, nil); err != nil || code != 3 {
		t.Fatalf("code %d, err %v", code, err)
	}
	if got, want := mixed.String(), "out x\nerr \nout again\n"; got != want {
		t.Fatalf("stdout and stderr: %q, want %q", got, want)
	}
}

// A peer that answers with something other than frames gets a clear error,
// not a hang or a huge allocation.
func TestNotAnOwner(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		answer     []byte
	}{
		{"json line", "another version", []byte(`{"o":"hello"}` + "\n")},
		{"huge frame", "another version", []byte{'o', 0xff, 0xff, 0xff, 0xff}},
		{"exit code", "another version", []byte{'x', 0, 0, 0, 3, 'a', 'b', 'c'}},
		{"truncated", "Engram closed", []byte{'o', 0, 0, 1, 0, 'a'}},
	} {
		answer := tc.answer
		t.Run(tc.name, func(t *testing.T) {
			srv, cl := net.Pipe()
			go func() {
				bufio.NewReader(srv).ReadBytes('\n')
				srv.Write(answer)
				srv.Close()
			}()
			code, err := Run(context.Background(), cl, Request{Args: []string{"x"}}, io.Discard, io.Discard, nil)
			if err == nil || code != 1 || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("code %d, err %v; want an error saying %q", code, err, tc.want)
			}
		})
	}
}

// seen is a writer that closes got once it has been written want.
type seen struct {
	mu   sync.Mutex
	b    strings.Builder
	want string
	got  chan struct{}
}

func (w *seen) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b.Write(p)
	if w.got != nil && strings.Contains(w.b.String(), w.want) {
		close(w.got)
		w.got = nil
	}
	return len(p), nil
}

// TestOutputReachesTheClientWhileTheCommandRuns: output a command writes
// before it waits (a progress bar) reaches the client while the command
// has not ended; it is not held back for the exit code.
func TestOutputReachesTheClientWhileTheCommandRuns(t *testing.T) {
	dir, h, _ := start(t)
	got := make(chan struct{})
	out := &seen{want: "out wait\nout again\n", got: got}
	interrupt, done := runWait(t, dir, h, out)
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the output written before the command waits did not reach the client")
	}
	close(interrupt)
	<-h.ended
	if code := <-done; code != 130 {
		t.Errorf("exit code %d, want 130", code)
	}
}

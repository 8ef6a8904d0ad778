package control

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// SocketName is the control socket's file name in the data directory.
const SocketName = "engram.sock"

// maxSocketPath is the longest socket path every platform's sockaddr_un
// holds (104 bytes on macOS, 108 on Linux, with the terminating NUL).
const maxSocketPath = 103

// maxRequest bounds a request line (its arguments and any stdin it carries).
const maxRequest = 4 << 20

// ErrNoOwner means no Engram process owns the data directory: the caller
// opens it itself.
var ErrNoOwner = errors.New("no Engram is running on this data directory")

// ErrOwnerGone means the owner closed or died while a client was attached.
var ErrOwnerGone = errors.New("Engram closed")

// ErrForeignUser is returned to an owner's log for a peer of another user.
var ErrForeignUser = errors.New("connection from another user refused")

// Ops of a Request.
const (
	OpRun  = "run"  // run a CLI command
	OpMCP  = "mcp"  // an MCP session over the connection
	OpStop = "stop" // stop the owner, if it is a daemon
)

// Request is the first line a client sends.
type Request struct {
	Op string `json:"op"`
	// Args are the command's arguments, without the program name (run).
	Args []string `json:"args,omitempty"`
	// Cwd is the client's working directory, against which relative paths
	// in Args resolve (run).
	Cwd string `json:"cwd,omitempty"`
	// Stdin is the client's standard input when the command reads it
	// (`engram memory add -`), at most 1 MiB (run).
	Stdin []byte `json:"stdin,omitempty"`
	// StdoutTTY and StderrTTY say whether the client's streams are
	// terminals; Color whether stdout may carry ANSI styles (run).
	StdoutTTY bool `json:"stdout_tty,omitempty"`
	StderrTTY bool `json:"stderr_tty,omitempty"`
	Color     bool `json:"color,omitempty"`
	// Detach asks the owner to go on with the command after the client
	// leaves (run).
	Detach bool `json:"detach,omitempty"`
	// Workspace and User are the MCP session's defaults (mcp).
	Workspace string `json:"workspace,omitempty"`
	User      string `json:"user,omitempty"`
}

// SocketPath returns the control socket's path for dataDir.
func SocketPath(dataDir string) string {
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	p := filepath.Join(dataDir, SocketName)
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(dataDir))
	return filepath.Join(os.TempDir(), "engram-"+strconv.Itoa(os.Getuid()), hex.EncodeToString(sum[:8])+".sock")
}

// Listen creates the control socket of dataDir. Only the owner calls it,
// after it holds the store's lock: whatever socket is there is stale (its
// owner died), and is removed. The socket is mode 0600.
func Listen(dataDir string) (net.Listener, error) {
	path := SocketPath(dataDir)
	if dir := filepath.Dir(path); filepath.Base(dir) != filepath.Base(filepath.Clean(dataDir)) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating the control socket's folder: %w", err)
		}
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the stale control socket %s: %w", path, err)
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listening on the control socket %s: %w", path, err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("making the control socket private: %w", err)
	}
	return ln, nil
}

// Dial connects to the owner of dataDir, or returns ErrNoOwner when there
// is none: no socket, or a stale one nothing answers.
func Dial(dataDir string) (net.Conn, error) {
	path := SocketPath(dataDir)
	c, err := net.DialTimeout("unix", path, 2*time.Second)
	if err == nil {
		return c, nil
	}
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ENOENT) {
		return nil, ErrNoOwner
	}
	return nil, fmt.Errorf("connecting to the running Engram at %s: %w", path, err)
}

// Handler is what the owner does with a request.
type Handler interface {
	// Run runs a CLI command with the request's arguments against the
	// owner's container, writing its output to stdout and stderr, and
	// returns its exit code. ctx is cancelled by the client's interrupt,
	// by the client leaving (unless it detached) and by the owner closing.
	Run(ctx context.Context, req Request, stdout, stderr io.Writer) int
	// MCP serves an MCP session on r and w until r ends or ctx is done.
	MCP(ctx context.Context, req Request, r io.Reader, w io.Writer) error
	// Stop asks the owner to close, or says why it will not (an owner
	// with a window of its own is closed there).
	Stop() error
}

// Server accepts clients on a control socket.
type Server struct {
	ln     net.Listener
	h      Handler
	logf   func(format string, args ...any)
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Serve starts accepting clients on ln in the background; Close stops. logf
// receives what went wrong with a connection (never its content).
func Serve(ln net.Listener, h Handler, logf func(format string, args ...any)) *Server {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{ln: ln, h: h, logf: logf, ctx: ctx, cancel: cancel}
	s.wg.Add(1)
	go s.accept()
	return s
}

// Close stops accepting, gives commands in flight up to grace to end on
// their own, then cancels them and waits for them. Attached clients whose
// command was cancelled, and every MCP session, see ErrOwnerGone.
func (s *Server) Close(grace time.Duration) error {
	err := s.ln.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(grace):
		s.cancel()
		<-done
	}
	s.cancel()
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer c.Close()
			if err := s.serveConn(c); err != nil && s.logf != nil {
				s.logf("control: %v", err)
			}
		}()
	}
}

func (s *Server) serveConn(c net.Conn) error {
	if err := checkPeer(c); err != nil {
		return err
	}
	br := bufio.NewReader(c)
	line, err := readBounded(br, maxRequest)
	if err != nil {
		return fmt.Errorf("reading a request: %w", err)
	}
	var req Request
	if err := json.Unmarshal(line, &req); err != nil {
		return fmt.Errorf("decoding a request: %w", err)
	}
	switch req.Op {
	case OpRun:
		return s.run(c, br, req)
	case OpMCP:
		// A session with several MCP clients at once is fine: each has its
		// own connection and its own server session.
		err := s.h.MCP(s.ctx, req, br, c)
		if err != nil && s.ctx.Err() == nil {
			return fmt.Errorf("mcp session: %w", err)
		}
		return nil
	case OpStop:
		fw := &frameWriter{c: c}
		if err := s.h.Stop(); err != nil {
			fmt.Fprintln(fw.stream(true), "engram:", err)
			return fw.exit(1)
		}
		return fw.exit(0)
	default:
		return fmt.Errorf("unknown op %q", req.Op)
	}
}

// run runs one command for a client: frames out, an interrupt in.
func (s *Server) run(c net.Conn, br *bufio.Reader, req Request) error {
	var base context.Context = s.ctx
	ctx, cancel := context.WithCancel(base)
	defer cancel()
	fw := &frameWriter{c: c}
	if !req.Detach {
		// The client's interrupt, or the client leaving, cancels the run.
		go func() {
			dec := json.NewDecoder(br)
			for {
				var f signal
				if err := dec.Decode(&f); err != nil || f.Signal == SignalInterrupt {
					cancel()
					return
				}
			}
		}()
	}
	code := s.h.Run(ctx, req, fw.stream(false), fw.stream(true))
	return fw.exit(code)
}

// readBounded reads one line of at most max bytes.
func readBounded(br *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > max {
			return nil, fmt.Errorf("request longer than %d bytes", max)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && !(err == io.EOF && len(buf) > 0) {
			return nil, err
		}
		return buf, nil
	}
}

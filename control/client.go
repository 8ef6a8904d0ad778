package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// Run sends a run request on c (from Dial) and copies the command's output
// to stdout and stderr until its exit code comes. interrupt, when it
// receives, sends the owner a Ctrl-C. A detached request returns as soon as
// the command has started its job (see RunDetached), with code 0. When the
// owner goes away before the exit code, Run returns an error wrapping
// ErrOwnerGone. Run closes c.
func Run(ctx context.Context, c net.Conn, req Request, stdout, stderr io.Writer, interrupt <-chan struct{}) (int, error) {
	_, code, err := run(ctx, c, req, stdout, stderr, interrupt)
	return code, err
}

// RunDetached sends req with Detach set and copies the command's output
// until the command reports the job it started (its ID is returned, with
// code 0) or ends first (its exit code, and no ID: a usage error, say).
// The job goes on in the owner after the client leaves. RunDetached closes c.
func RunDetached(c net.Conn, req Request, stdout, stderr io.Writer) (jobID string, code int, err error) {
	req.Detach = true
	return run(context.Background(), c, req, stdout, stderr, nil)
}

func run(ctx context.Context, c net.Conn, req Request, stdout, stderr io.Writer, interrupt <-chan struct{}) (string, int, error) {
	defer c.Close()
	if req.Op == "" {
		req.Op = OpRun
	}
	if err := send(c, req); err != nil {
		return "", 1, err
	}
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		select {
		case <-interrupt:
			_ = json.NewEncoder(c).Encode(Frame{Signal: SignalInterrupt})
		case <-ctx.Done():
			c.Close()
		case <-stop:
		}
	}()
	dec := json.NewDecoder(bufio.NewReaderSize(c, 64<<10))
	for {
		var f Frame
		if err := dec.Decode(&f); err != nil {
			if ctx.Err() != nil {
				return "", 1, ctx.Err()
			}
			return "", 1, fmt.Errorf("%w while the command ran (%v): its work up to the last checkpoint is kept; run the command again", ErrOwnerGone, errText(err))
		}
		if f.Stdout != "" {
			if _, err := io.WriteString(stdout, f.Stdout); err != nil {
				return "", 1, err
			}
		}
		if f.Stderr != "" {
			if _, err := io.WriteString(stderr, f.Stderr); err != nil {
				return "", 1, err
			}
		}
		if f.Job != "" && req.Detach {
			return f.Job, 0, nil
		}
		if f.Exit != nil {
			return "", *f.Exit, nil
		}
	}
}

func errText(err error) string {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return "the connection closed"
	}
	return err.Error()
}

// MCP sends an mcp request on c and then copies r to the owner and the
// owner's replies to w until r ends or the owner goes away (an error
// wrapping ErrOwnerGone). MCP closes c.
func MCP(c net.Conn, req Request, r io.Reader, w io.Writer) error {
	defer c.Close()
	req.Op = OpMCP
	if err := send(c, req); err != nil {
		return err
	}
	up := make(chan error, 1)
	go func() {
		_, err := io.Copy(c, r)
		if cw, ok := c.(interface{ CloseWrite() error }); ok {
			cw.CloseWrite()
		}
		up <- err
	}()
	if _, err := io.Copy(w, c); err != nil {
		return fmt.Errorf("%w: %v", ErrOwnerGone, err)
	}
	// The owner ends the session when our stdin ends (a normal end), or
	// when it closes: the upload then is still going.
	select {
	case err := <-up:
		return err
	case <-time.After(time.Second):
		return fmt.Errorf("%w: the running Engram ended the session", ErrOwnerGone)
	}
}

// Stop asks the owner on c to stop, copying its answer to stderr, and
// returns its exit code: 0 when it is stopping. Stop closes c.
func Stop(c net.Conn, stderr io.Writer) (int, error) {
	return Run(context.Background(), c, Request{Op: OpStop}, io.Discard, stderr, nil)
}

func send(c net.Conn, req Request) error {
	b, err := json.Marshal(req)
	if err != nil {
		return fmt.Errorf("encoding the request: %w", err)
	}
	if _, err := c.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("%w: %v", ErrOwnerGone, err)
	}
	return nil
}

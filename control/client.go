package control

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
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
			_ = json.NewEncoder(c).Encode(signal{Signal: SignalInterrupt})
		case <-ctx.Done():
			c.Close()
		case <-stop:
		}
	}()
	fr := frameReader{br: bufio.NewReader(c)}
	for {
		kind, n, small, err := fr.next()
		switch {
		case err == nil:
		case ctx.Err() != nil:
			return "", 1, ctx.Err()
		case errors.Is(err, errBadFrame):
			return "", 1, otherVersion(err)
		default:
			return "", 1, ownerGone(err)
		}
		switch kind {
		case frameStdout, frameStderr:
			w := stdout
			if kind == frameStderr {
				w = stderr
			}
			if _, err := io.CopyN(w, fr.br, int64(n)); err != nil {
				if errors.Is(err, io.EOF) {
					return "", 1, ownerGone(err)
				}
				return "", 1, err
			}
		case frameJob:
			if req.Detach && n > 0 {
				return string(small), 0, nil
			}
		case frameExit:
			code, err := strconv.Atoi(string(small))
			if err != nil {
				return "", 1, otherVersion(fmt.Errorf("%w: exit code %q", errBadFrame, small))
			}
			return "", code, nil
		}
	}
}

// ownerGone is the error of a run whose owner went away before its exit
// code (err is how the connection ended).
func ownerGone(err error) error {
	return fmt.Errorf("%w while the command ran (%v): its work up to the last checkpoint is kept; run the command again", ErrOwnerGone, errText(err))
}

// otherVersion is the error of an answer that is not frames this client
// reads: an owner of another version (the desktop app not yet restarted
// after an update), or not Engram at all.
func otherVersion(err error) error {
	return fmt.Errorf("the Engram running on this data directory answered in a form this engram does not read (%v): it is another version; quit it (engram daemon --stop, or close the app) and run the command again", err)
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

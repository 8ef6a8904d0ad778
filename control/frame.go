package control

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"sync"
)

// The owner's answer to a run is a stream of binary frames, not JSON: a
// command's output (a search's JSON, an import's progress bar) goes to the
// client as the bytes it wrote, with no escaping into a JSON string on one
// side and no unescaping on the other. A frame is a kind byte, its payload's
// length (4 bytes, big-endian) and the payload.
const (
	frameStdout = 'o' // bytes the command wrote on stdout
	frameStderr = 'e' // bytes the command wrote on stderr
	frameJob    = 'j' // the ID of the job a detached command started
	frameExit   = 'x' // the exit code, in decimal: the last frame
)

// maxFrame bounds one frame's payload: a longer write is sent as several
// frames, and a client refuses a longer frame (a peer that is not Engram).
const maxFrame = 1 << 20

// maxSmallFrame bounds a job ID or exit code frame.
const maxSmallFrame = 64

// signal is what a client sends while a command runs: one JSON line.
type signal struct {
	Signal string `json:"signal"`
}

// SignalInterrupt is the Signal of a client's Ctrl-C.
const SignalInterrupt = "interrupt"

// frameWriter serialises a run's output into frames. After the client goes
// away, writes are dropped: a detached command goes on without it.
type frameWriter struct {
	mu   sync.Mutex
	c    io.Writer
	gone bool
}

// send writes one frame of kind with payload p, unless the client is gone.
// The caller holds fw.mu.
func (fw *frameWriter) send(kind byte, p []byte) {
	if fw.gone {
		return
	}
	for {
		chunk := p[:min(len(p), maxFrame)]
		p = p[len(chunk):]
		var hdr [5]byte
		hdr[0] = kind
		binary.BigEndian.PutUint32(hdr[1:], uint32(len(chunk)))
		bufs := net.Buffers{hdr[:], chunk}
		if _, err := bufs.WriteTo(fw.c); err != nil {
			fw.gone = true
			return
		}
		if len(p) == 0 {
			return
		}
	}
}

type streamWriter struct {
	fw     *frameWriter
	stderr bool
}

func (fw *frameWriter) stream(stderr bool) io.Writer { return streamWriter{fw, stderr} }

func (w streamWriter) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	kind := byte(frameStdout)
	if w.stderr {
		kind = frameStderr
	}
	w.fw.mu.Lock()
	defer w.fw.mu.Unlock()
	w.fw.send(kind, p)
	return len(p), nil
}

// ReportJob tells the client of a run that the command started job id:
// stdout is the stdout a Handler's Run was given. A detached client returns
// with it. For any other writer (a command run in a process of its own) it
// does nothing and returns false.
func ReportJob(stdout io.Writer, id string) bool {
	w, ok := stdout.(streamWriter)
	if !ok {
		return false
	}
	w.fw.mu.Lock()
	defer w.fw.mu.Unlock()
	w.fw.send(frameJob, []byte(id))
	return true
}

// exit sends the exit code, the run's last frame. A client gone by then is
// not an error of the run (a detached command's client leaves first).
func (fw *frameWriter) exit(code int) error {
	fw.mu.Lock()
	defer fw.mu.Unlock()
	fw.send(frameExit, strconv.AppendInt(nil, int64(code), 10))
	return nil
}

// errBadFrame means the owner's answer is not a stream of frames.
var errBadFrame = errors.New("not an Engram answer")

// frameReader reads the frames of an owner's answer.
type frameReader struct {
	br  *bufio.Reader
	buf [maxSmallFrame]byte
}

// next reads a frame's header and, for a job ID or exit code, its payload.
// For output, the caller then copies the n payload bytes from r.br.
func (r *frameReader) next() (kind byte, n int, small []byte, err error) {
	var hdr [5]byte
	if _, err := io.ReadFull(r.br, hdr[:]); err != nil {
		return 0, 0, nil, err
	}
	kind, n = hdr[0], int(binary.BigEndian.Uint32(hdr[1:]))
	switch kind {
	case frameStdout, frameStderr:
		if n > maxFrame {
			return 0, 0, nil, fmt.Errorf("%w: a frame of %d bytes", errBadFrame, n)
		}
		return kind, n, nil, nil
	case frameJob, frameExit:
		if n > maxSmallFrame {
			return 0, 0, nil, fmt.Errorf("%w: a frame of %d bytes", errBadFrame, n)
		}
		if _, err := io.ReadFull(r.br, r.buf[:n]); err != nil {
			return 0, 0, nil, err
		}
		return kind, n, r.buf[:n], nil
	default:
		return 0, 0, nil, fmt.Errorf("%w: frame kind %q", errBadFrame, kind)
	}
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// ErrNotRegular means a path names something other than a regular file: a
// named pipe (FIFO), a character or block device, a socket. Opening one can
// block for ever or read without end, so the pipeline never opens it: the
// file is reported as skipped with this reason. It wraps ErrSkipped.
var ErrNotRegular = fmt.Errorf("%w: not a regular file", ErrSkipped)

// fileKind names a non-regular file's type for a user.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	}
	return "not a regular file"
}

// notRegular is the error for a file of mode m.
func notRegular(m fs.FileMode) error {
	return fmt.Errorf("%w (%s); only regular files are read", ErrNotRegular, fileKind(m))
}

// CheckRegular stats path (following a symbolic link) and returns an error
// wrapping ErrNotRegular unless it is a regular file. It never opens path,
// so it cannot block on a FIFO or a device.
//
// A symbolic link to a regular file is read as that file. A link to a folder
// is skipped (folders are walked, links to them are not followed, so a link
// cannot lead the walk in a circle), and so is a link that loops or dangles.
func CheckRegular(path string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	if err != nil {
		if l, lerr := os.Lstat(path); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			if errors.Is(err, syscall.ELOOP) {
				return nil, fmt.Errorf("%w (a symbolic link that loops); only regular files are read", ErrNotRegular)
			}
			if errors.Is(err, fs.ErrNotExist) {
				return nil, fmt.Errorf("%w: a symbolic link to nothing (its target does not exist)", ErrSkipped)
			}
		}
		return nil, err
	}
	if info.IsDir() {
		if l, lerr := os.Lstat(path); lerr == nil && l.Mode()&fs.ModeSymlink != 0 {
			return info, fmt.Errorf("%w (a symbolic link to a folder); links to folders are not followed: import the folder itself", ErrNotRegular)
		}
	}
	if !info.Mode().IsRegular() {
		return info, notRegular(info.Mode())
	}
	return info, nil
}

// OpenRegular opens path for reading only if it is a regular file. It opens
// with O_NONBLOCK, so a FIFO or device swapped in after a Stat cannot block
// the open, then checks the open file itself (fstat): what it read is what
// was checked, with no race between the check and the open.
func OpenRegular(path string) (*os.File, error) {
	if _, err := CheckRegular(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, notRegular(info.Mode())
	}
	return f, nil
}

// readChunk is how much ReadLimitedContext reads between two looks at its
// context.
const readChunk = 1 << 20

// ctxReader stops reading with ctx.Err() once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if len(p) > readChunk {
		p = p[:readChunk]
	}
	return c.r.Read(p)
}

// ReadLimitedContext reads a whole regular file of at most limit bytes; a
// larger one (or one that grew past it while read) is an error wrapping
// ErrTooLarge, anything but a regular file one wrapping ErrNotRegular, and
// a cancelled ctx stops the read with ctx.Err().
func ReadLimitedContext(ctx context.Context, path string, limit int64) ([]byte, error) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(ctxReader{ctx: ctx, r: f}, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w (%s)", ErrTooLarge, HumanBytes(limit))
	}
	return data, nil
}

// ReadLimited is ReadLimitedContext without a context.
func ReadLimited(path string, limit int64) ([]byte, error) {
	return ReadLimitedContext(context.Background(), path, limit)
}

// isCancel reports whether err is a context's cancellation.
func isCancel(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

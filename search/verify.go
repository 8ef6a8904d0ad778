package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/blevesearch/bleve/v2/index/scorch"
)

// VerifySegments checks every persisted segment of the index's current
// snapshot against the CRC-32 its writer (zap) put in the segment's last
// four bytes, over everything before them. Bleve itself never reads that
// checksum, so a flipped or zeroed block inside a segment is served as if
// it were data; doctor uses this to name it. It returns one line per damaged
// segment, naming the file; an error only when the index cannot be read at
// all. Segments still in memory (not yet persisted) have no file and no
// checksum; they are skipped. The files are read in 1 MB blocks, so memory
// stays bounded whatever their size; ctx cancels between blocks.
func (ix *Index) VerifySegments(ctx context.Context) ([]string, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.closed {
		return nil, ErrClosed
	}
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	r, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	defer r.Close() // holds the snapshot: its files are not removed meanwhile
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("the index is not a scorch index (%T): its segments cannot be checked", r)
	}
	var paths []string
	for _, s := range snap.Segments() {
		if p, ok := s.Segment().(interface{ Path() string }); ok && p.Path() != "" {
			paths = append(paths, p.Path())
		}
	}
	slices.Sort(paths)
	var out []string
	for _, p := range paths {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		if why := verifySegmentFile(ctx, p); why != "" {
			out = append(out, fmt.Sprintf("index: segment %s is damaged (%s); run `engram doctor --repair` to set the index aside and rebuild it from the store", filepath.Base(p), why))
		}
	}
	return out, nil
}

// verifySegmentFile returns why the segment file at path fails its
// checksum, or "" when it holds.
func verifySegmentFile(ctx context.Context, path string) string {
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err.Error()
	}
	if info.Size() < 4 {
		return fmt.Sprintf("%d bytes, too short to be a segment", info.Size())
	}
	h := crc32.NewIEEE()
	buf := make([]byte, 1<<20)
	left := info.Size() - 4
	for left > 0 {
		if ctx.Err() != nil {
			return ""
		}
		n, err := f.Read(buf[:min(int64(len(buf)), left)])
		if n > 0 {
			h.Write(buf[:n])
			left -= int64(n)
		}
		if err != nil && left > 0 {
			return "reading it: " + err.Error()
		}
	}
	var tail [4]byte
	if _, err := io.ReadFull(f, tail[:]); err != nil {
		return "reading its checksum: " + err.Error()
	}
	if want, got := binary.BigEndian.Uint32(tail[:]), h.Sum32(); want != got {
		return fmt.Sprintf("checksum %08x, its content sums to %08x", want, got)
	}
	return ""
}

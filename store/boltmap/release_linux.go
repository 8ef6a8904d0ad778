package boltmap

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"strconv"

	"go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

func release(db *bbolt.DB) error {
	start := db.Info().Data
	if start == 0 {
		return nil
	}
	end, err := mappingEnd(start)
	if err != nil {
		return err
	}
	// A raw syscall on the addresses: the map is bbolt's, and turning its
	// address back into a Go pointer is what unsafe rules forbid.
	if _, _, errno := unix.Syscall(unix.SYS_MADVISE, start, end-start, unix.MADV_DONTNEED); errno != 0 {
		return fmt.Errorf("boltmap: madvise: %w", errno)
	}
	return nil
}

// mappingEnd finds the end of the mapping that starts at start in
// /proc/self/maps, so that only bbolt's own map is ever touched.
func mappingEnd(start uintptr) (uintptr, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("boltmap: %w", err)
	}
	defer f.Close()
	want := []byte(strconv.FormatUint(uint64(start), 16) + "-")
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if !bytes.HasPrefix(line, want) {
			continue
		}
		rest := line[len(want):]
		if i := bytes.IndexByte(rest, ' '); i > 0 {
			rest = rest[:i]
		}
		end, err := strconv.ParseUint(string(rest), 16, 64)
		if err != nil || uintptr(end) <= start {
			return 0, fmt.Errorf("boltmap: unreadable mapping %q", line)
		}
		return uintptr(end), nil
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("boltmap: reading /proc/self/maps: %w", err)
	}
	return 0, fmt.Errorf("boltmap: no mapping at %#x", start)
}

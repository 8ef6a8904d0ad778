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

// mappingEnd finds, in /proc/self/maps, the end of the mapping that holds
// start, so that only bbolt's own map is ever touched.
func mappingEnd(start uintptr) (uintptr, error) {
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return 0, fmt.Errorf("boltmap: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		rng, _, _ := bytes.Cut(line, []byte{' '})
		lo, hi, ok := bytes.Cut(rng, []byte{'-'})
		if !ok {
			continue
		}
		from, err1 := strconv.ParseUint(string(lo), 16, 64)
		to, err2 := strconv.ParseUint(string(hi), 16, 64)
		if err1 != nil || err2 != nil {
			return 0, fmt.Errorf("boltmap: unreadable mapping %q", line)
		}
		if uintptr(from) <= start && start < uintptr(to) {
			return uintptr(to), nil
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("boltmap: reading /proc/self/maps: %w", err)
	}
	return 0, fmt.Errorf("boltmap: no mapping at %#x", start)
}

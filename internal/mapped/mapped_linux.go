//go:build linux

package mapped

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// fileID names a file as /proc/self/maps does: device and inode.
type fileID struct {
	major, minor uint32
	ino          uint64
}

func release(paths []string) (int64, error) {
	var advised int64
	err := eachMap(paths, false, func(m mapping, _ *bufio.Scanner) error {
		// The owner holds this map in place (package comment); madvise
		// on it drops page-table entries and nothing else.
		if _, _, e := unix.Syscall(unix.SYS_MADVISE, m.start, m.end-m.start, unix.MADV_DONTNEED); e != 0 {
			return fmt.Errorf("releasing the pages of a mapped file: %w", e)
		}
		advised += int64(m.end - m.start)
		return nil
	})
	return advised, err
}

func resident(paths []string) (int64, error) {
	var n int64
	err := eachMap(paths, true, func(_ mapping, sc *bufio.Scanner) error {
		// The map's own lines follow its header, Rss among the first.
		for sc.Scan() {
			if kb, ok := bytes.CutPrefix(sc.Bytes(), []byte("Rss:")); ok {
				v, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(kb), []byte("kB")))), 10, 64)
				if err != nil {
					return fmt.Errorf("reading this process's smaps: Rss %q", kb)
				}
				n += v << 10
				return nil
			}
		}
		return nil
	})
	return n, err
}

// eachMap calls fn for each read-only shared map of the files at paths,
// from /proc/self/maps, or /proc/self/smaps when detail is set (fn may then
// read the map's detail lines from sc).
func eachMap(paths []string, detail bool, fn func(m mapping, sc *bufio.Scanner) error) error {
	// A file is known by its device and inode, and by its path as well,
	// for file systems (overlayfs, btrfs) whose maps name another device
	// than stat does.
	want := make(map[fileID]bool, len(paths))
	named := make(map[string]bool, len(paths))
	for _, p := range paths {
		var st unix.Stat_t
		if err := unix.Stat(p, &st); err != nil {
			continue // gone since (a merged segment): nothing of it to keep
		}
		want[fileID{unix.Major(uint64(st.Dev)), unix.Minor(uint64(st.Dev)), st.Ino}] = true
		if abs, err := filepath.Abs(p); err == nil {
			if real, err := filepath.EvalSymlinks(abs); err == nil {
				named[real] = true
			}
		}
	}
	if len(want) == 0 {
		return nil
	}
	name := "/proc/self/maps"
	if detail {
		name = "/proc/self/smaps"
	}
	f, err := os.Open(name)
	if err != nil {
		return fmt.Errorf("reading this process's maps: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20) // a line is an address range and one path
	for sc.Scan() {
		m, ok := parseMap(sc.Bytes())
		if !ok || !m.readOnlyShared || !(want[m.id] || named[m.path]) {
			continue
		}
		if err := fn(m, sc); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading this process's maps: %w", err)
	}
	return nil
}

// mapping is one line of /proc/self/maps:
// "start-end perms offset major:minor inode path".
type mapping struct {
	start, end     uintptr
	readOnlyShared bool
	id             fileID
	path           string
}

// parseMap reads one line of /proc/self/maps; ok is false for a line that
// does not have the six fields of a file's map.
func parseMap(line []byte) (m mapping, ok bool) {
	f := bytes.Fields(line)
	if len(f) < 6 {
		return m, false // an anonymous map has no path
	}
	// The path is the rest of the line after the inode, spaces and all.
	rest := line
	for range 5 {
		rest = bytes.TrimLeft(rest, " \t")
		i := bytes.IndexAny(rest, " \t")
		if i < 0 {
			return m, false
		}
		rest = rest[i:]
	}
	m.path = string(bytes.TrimLeft(rest, " \t"))
	lo, hi, found := bytes.Cut(f[0], []byte("-"))
	if !found {
		return m, false
	}
	start, err1 := strconv.ParseUint(string(lo), 16, 64)
	end, err2 := strconv.ParseUint(string(hi), 16, 64)
	maj, min, found := bytes.Cut(f[3], []byte(":"))
	if err1 != nil || err2 != nil || !found || end <= start {
		return m, false
	}
	major, err3 := strconv.ParseUint(string(maj), 16, 32)
	minor, err4 := strconv.ParseUint(string(min), 16, 32)
	ino, err5 := strconv.ParseUint(string(f[4]), 10, 64)
	if err3 != nil || err4 != nil || err5 != nil || ino == 0 {
		return m, false
	}
	m.start, m.end = uintptr(start), uintptr(end)
	m.readOnlyShared = string(f[1]) == "r--s"
	m.id = fileID{uint32(major), uint32(minor), ino}
	return m, true
}

// residentFile is the process's resident pages of mapped files, in bytes
// (/proc/self/statm's shared field: file pages and shared memory).
func residentFile() (int64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b)
	if len(f) < 3 {
		return 0, false
	}
	pages, err := strconv.ParseInt(string(f[2]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * int64(os.Getpagesize()), true
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru unix.Rusage
	if unix.Getrusage(unix.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

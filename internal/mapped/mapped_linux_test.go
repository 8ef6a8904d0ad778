//go:build linux

package mapped

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseMap(t *testing.T) {
	for _, c := range []struct {
		line  string
		ok    bool
		ros   bool
		start uintptr
		major uint32
		minor uint32
		ino   uint64
		path  string
	}{
		{"7f0c2a000000-7f0c2a400000 r--s 00000000 fd:01 1835017                    /data/engram.db", true, true, 0x7f0c2a000000, 0xfd, 1, 1835017, "/data/engram.db"},
		{"7f0c2a000000-7f0c2a400000 r--s 00000000 08:12 42 /my notes/engram data/graph.db", true, true, 0x7f0c2a000000, 8, 0x12, 42, "/my notes/engram data/graph.db"},
		{"7f0c2a000000-7f0c2a400000 r--s 00000000 08:12 42 /a/b.zap (deleted)", true, true, 0x7f0c2a000000, 8, 0x12, 42, "/a/b.zap (deleted)"},
		{"7f0c2a000000-7f0c2a400000 rw-p 00000000 08:12 42 /a/private", true, false, 0x7f0c2a000000, 8, 0x12, 42, "/a/private"},
		{"7f0c2a000000-7f0c2a400000 rw-s 00000000 08:12 42 /a/writable", true, false, 0x7f0c2a000000, 8, 0x12, 42, "/a/writable"},
		{"c000000000-c004000000 rw-p 00000000 00:00 0 ", false, false, 0, 0, 0, 0, ""},
		{"55d0c8a4e000-55d0c8a6f000 rw-p 00000000 00:00 0                          [heap]", false, false, 0, 0, 0, 0, ""},
		{"zz-7f0c2a400000 r--s 00000000 08:12 42 /a", false, false, 0, 0, 0, 0, ""},
		{"7f0c2a400000-7f0c2a000000 r--s 00000000 08:12 42 /a", false, false, 0, 0, 0, 0, ""}, // ends before it starts
		{"7f0c2a000000-7f0c2a400000 r--s 00000000 0812 42 /a", false, false, 0, 0, 0, 0, ""},
		{"", false, false, 0, 0, 0, 0, ""},
	} {
		m, ok := parseMap([]byte(c.line))
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.line, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if m.readOnlyShared != c.ros || m.start != c.start || m.id != (fileID{c.major, c.minor, c.ino}) || m.path != c.path {
			t.Errorf("%q: got %+v", c.line, m)
		}
	}
}

// TestReleaseDropsPagesAndKeepsData: after Release, a read-only shared map
// of a file holds none of its pages in this process, and reads the same
// bytes as before; a private writable map of the same file keeps what was
// written to it.
func TestReleaseDropsPagesAndKeepsData(t *testing.T) {
	const size = 8 << 20
	path := filepath.Join(t.TempDir(), "data file")
	want := make([]byte, size)
	for i := range want {
		want[i] = byte(i*7 + i>>12)
	}
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ro, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(ro)
	priv, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(priv)
	copy(priv[:5], "hello")

	if !bytes.Equal(ro, want) { // reads every page in
		t.Fatal("the map reads other bytes than the file")
	}
	before := resident1(t, path)
	if before < size/2 {
		t.Fatalf("the map holds %d bytes after a full read, want most of %d", before, size)
	}
	advised, err := Release(path, filepath.Join(t.TempDir(), "missing"))
	if err != nil {
		t.Fatal(err)
	}
	if advised < size {
		t.Errorf("advised %d bytes, want at least the map's %d", advised, size)
	}
	if after := resident1(t, path); after > before/8 {
		t.Errorf("the map holds %d bytes after Release, %d before", after, before)
	}
	if !bytes.Equal(ro, want) {
		t.Error("the map reads other bytes after Release")
	}
	if string(priv[:5]) != "hello" || !bytes.Equal(priv[5:], want[5:]) {
		t.Errorf("the private writable map lost what was written to it: %q", priv[:5])
	}
	if n, ok := residentFile(); !ok || n <= 0 {
		t.Errorf("residentFile = %d, %v", n, ok)
	}
}

func resident1(t *testing.T, path string) int64 {
	t.Helper()
	n, err := Resident(path)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

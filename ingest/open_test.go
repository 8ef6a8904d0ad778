package ingest_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
)

// special makes a FIFO or a socket at path.
func special(t *testing.T, kind, path string) {
	t.Helper()
	switch kind {
	case "fifo":
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
	case "socket":
		ln, err := net.Listen("unix", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ln.Close() })
	}
}

// TestPipelineSkipsFilesThatAreNotRegular names a FIFO, a socket and a
// character device, and puts a FIFO and a socket in a folder: none is
// opened (a FIFO's open would block for ever, and the test with it), each
// is reported as skipped with its kind, and the regular files import.
func TestPipelineSkipsFilesThatAreNotRegular(t *testing.T) {
	dir, p := setup(t, map[string]string{"a.txt": "alpha", "sub/b.txt": "beta"})
	short := t.TempDir() // unix socket paths must be short
	special(t, "fifo", filepath.Join(dir, "sub", "pipe.txt"))
	special(t, "socket", filepath.Join(short, "s.txt"))
	named := filepath.Join(t.TempDir(), "pipe.txt")
	special(t, "fifo", named)
	cases := []struct {
		name  string
		paths []string
		want  map[string]string // base name -> kind in the reason
		docs  int
	}{
		{"fifo named", []string{named}, map[string]string{"pipe.txt": "FIFO"}, 0},
		{"socket named", []string{filepath.Join(short, "s.txt")}, map[string]string{"s.txt": "socket"}, 0},
		{"device named", []string{"/dev/zero"}, map[string]string{"zero": "character device"}, 0},
		{"fifo in a folder", []string{dir}, map[string]string{"pipe.txt": "FIFO"}, 2},
		{"socket in a folder", []string{short}, map[string]string{"s.txt": "socket"}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sink := ingesttest.NewMemSink()
			prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: c.paths})
			if err != nil {
				t.Fatal(err)
			}
			if len(sink.Docs) != c.docs || prog.Imported != c.docs {
				t.Fatalf("%d documents stored, %d counted, want %d", len(sink.Docs), prog.Imported, c.docs)
			}
			got := map[string]string{}
			for _, e := range prog.Errors {
				got[filepath.Base(e.Path)] = e.Error
			}
			for name, kind := range c.want {
				if !strings.Contains(got[name], kind) || !strings.Contains(got[name], "not a regular file") {
					t.Fatalf("reason for %s: %q, want one naming %s", name, got[name], kind)
				}
			}
			if prog.Skipped != len(c.want) || prog.Failed != 0 {
				t.Fatalf("skipped %d, failed %d, want %d skipped", prog.Skipped, prog.Failed, len(c.want))
			}
		})
	}
}

// TestPipelineSymbolicLinksInAFolder puts every kind of link in a folder: a
// link to a note is read as that note, a link to a folder, a loop, a link to
// nothing and a link to a device are each skipped with a reason naming it,
// and the walk ends (a loop never hangs it).
func TestPipelineSymbolicLinksInAFolder(t *testing.T) {
	dir, p := setup(t, map[string]string{"a.txt": "alpha", "sub/b.txt": "beta"})
	outside := filepath.Join(t.TempDir(), "target.txt")
	if err := os.WriteFile(outside, []byte("gamma"), 0o644); err != nil {
		t.Fatal(err)
	}
	links := map[string]string{
		"note.txt":  outside,
		"folder":    filepath.Join(dir, "sub"),
		"loop1.txt": filepath.Join(dir, "loop2.txt"),
		"loop2.txt": filepath.Join(dir, "loop1.txt"),
		"gone.txt":  filepath.Join(dir, "nothing-here.txt"),
		"zero.txt":  "/dev/zero",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
	}
	sink := ingesttest.NewMemSink()
	prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range prog.Errors {
		t.Logf("%s: %s", e.Path, e.Error)
	}
	if len(sink.Docs) != 3 || prog.Imported != 3 {
		t.Fatalf("%d documents stored, %d counted, want 3 (a, b and the linked note)", len(sink.Docs), prog.Imported)
	}
	got := map[string]string{}
	for _, e := range prog.Errors {
		got[filepath.Base(e.Path)] = e.Error
	}
	want := map[string]string{
		"folder":    "symbolic link to a folder",
		"loop1.txt": "loops",
		"loop2.txt": "loops",
		"gone.txt":  "does not exist",
		"zero.txt":  "character device",
	}
	for name, reason := range want {
		if !strings.Contains(got[name], reason) || !strings.HasPrefix(got[name], "skipped") {
			t.Errorf("reason for %s: %q, want a skip naming %q", name, got[name], reason)
		}
	}
	if prog.Skipped != len(want) || prog.Failed != 0 {
		t.Fatalf("skipped %d, failed %d, want %d skipped: %v", prog.Skipped, prog.Failed, len(want), got)
	}
}

func TestOpenRegularRefusesWhatIsNotAFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "p")
	special(t, "fifo", fifo)
	link := filepath.Join(t.TempDir(), "loop")
	if err := os.Symlink(link, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{fifo, "/dev/null", t.TempDir()} {
		if _, err := ingest.ReadLimited(p, 10); !errors.Is(err, ingest.ErrNotRegular) {
			t.Errorf("%s: %v, want ErrNotRegular", p, err)
		}
	}
	if _, err := ingest.ReadLimited(link, 10); err == nil {
		t.Error("a symbolic link loop read without an error")
	}
}

func TestReadLimitedContextStopsWhenCancelled(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, make([]byte, 3<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ingest.ReadLimitedContext(ctx, p, 10<<20); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
}

// TestPipelineCountsOnlyCommittedDocuments fails the sink's third commit (a
// full disk): the run's count is what the sink holds, not what was parsed.
func TestPipelineCountsOnlyCommittedDocuments(t *testing.T) {
	files := map[string]string{}
	for i := range 40 {
		files[filepath.Join("m", string(rune('a'+i%26))+strings.Repeat("x", i/26)+".txt")] = "doc"
	}
	for _, failAt := range []int{1, 2, 3, 5} {
		dir, p := setup(t, files)
		sink := ingesttest.NewMemSink()
		sink.FailAt = failAt
		prog, err := p.Run(context.Background(), sink, ingest.Options{Paths: []string{dir}, BatchSize: 4, Workers: 2})
		if !errors.Is(err, ingesttest.ErrFull) {
			t.Fatalf("fail at %d: got %v", failAt, err)
		}
		if prog.Imported != len(sink.Docs) || len(sink.Docs) != 4*(failAt-1) {
			t.Fatalf("fail at %d: imported %d, the sink holds %d", failAt, prog.Imported, len(sink.Docs))
		}
	}
}

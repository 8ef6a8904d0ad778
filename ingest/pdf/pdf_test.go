package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// testMode makes the test binary, started as a worker, misbehave in a given
// way, to test how the parser handles a worker that hangs or crashes.
const testMode = "ENGRAM_PDF_TEST_MODE"

func TestMain(m *testing.M) {
	switch os.Getenv(testMode) {
	case "hang":
		time.Sleep(time.Hour)
	case "crash":
		fmt.Fprintln(os.Stderr, "fatal error: runtime: out of memory")
		os.Exit(2)
	case "chatty":
		for { // writes forever, like a worker gone wrong
			os.Stdout.Write(bytes.Repeat([]byte("x"), 1<<16))
		}
	case "silent":
		os.Exit(0)
	case "flags":
		fmt.Fprintln(os.Stderr, "flag provided but not defined: -engram-worker")
		os.Exit(2)
	}
	if WorkerMain() {
		return
	}
	// Workers built with -race would otherwise wait a second before exiting.
	os.Setenv("GORACE", "atexit_sleep_ms=0")
	os.Exit(m.Run())
}

// testExe is the test binary, which serves as the worker.
func testExe(t testing.TB) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return exe
}

// obj is one indirect object of a generated PDF: its body between
// "N 0 obj" and "endobj".
type obj string

// stream returns a stream object with the given dictionary entries.
func stream(dict string, data []byte) obj {
	return obj(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data))
}

// buildPDF writes a PDF with the objects numbered from 1 and a trailer whose
// /Root is object 1 (and /Info is info, when not 0), with a correct xref
// table.
func buildPDF(version string, info int, objs ...obj) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%%PDF-%s\n%%\xe2\xe3\xcf\xd3\n", version)
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	trailer := fmt.Sprintf("/Size %d /Root 1 0 R", len(objs)+1)
	if info > 0 {
		trailer += fmt.Sprintf(" /Info %d 0 R", info)
	}
	fmt.Fprintf(&b, "trailer\n<< %s >>\nstartxref\n%d\n%%%%EOF\n", trailer, xref)
	return b.Bytes()
}

// textPDF returns a PDF with one page per content stream, in Helvetica, and
// a document information dictionary.
func textPDF(version, infoDict string, pages ...string) []byte {
	// 1 catalog, 2 pages, 3 font, 4 info, then a page and its content each.
	objs := []obj{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", obj("<< " + infoDict + " >>")}
	var kids []string
	for _, content := range pages {
		pageNum := len(objs) + 1
		kids = append(kids, fmt.Sprintf("%d 0 R", pageNum))
		objs = append(objs,
			obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", pageNum+1)),
			stream("", []byte(content)))
	}
	objs[1] = obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(pages)))
	return buildPDF(version, 4, objs...)
}

// loopPDF returns a PDF whose page tree is its own child, with a page count
// that would keep a naive reader walking it forever.
func loopPDF() []byte {
	return buildPDF("1.4", 0,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 2 0 R] /Count 5 >>",
	)
}

// xrefLoopPDF returns a PDF whose cross-reference table names itself as
// the previous one, which the library follows forever.
func xrefLoopPDF() []byte {
	pdf := textPDF("1.4", "", "BT /F1 12 Tf 72 720 Td (loop) Tj ET")
	i := bytes.LastIndex(pdf, []byte("\nxref\n"))
	return bytes.Replace(pdf, []byte("/Root 1 0 R"), fmt.Appendf(nil, "/Root 1 0 R /Prev %d", i+1), 1)
}

// bombPDF returns a small PDF whose one page's compressed content expands
// to n bytes of text, far more glyphs than a small memory cap holds.
func bombPDF(t testing.TB, n int) []byte {
	t.Helper()
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	line := []byte("(" + strings.Repeat("A", 1000) + ") Tj\n")
	w.Write([]byte("BT /F1 12 Tf 72 720 Td\n"))
	for written := 0; written < n; written += len(line) {
		w.Write(line)
	}
	w.Write([]byte("ET\n"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buildPDF("1.4", 0,
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("/Filter /FlateDecode", z.Bytes()),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	)
}

func parse(t testing.TB, opts Options, name string, data []byte) (document.Document, error) {
	t.Helper()
	if opts.Exe == "" {
		opts.Exe = testExe(t)
	}
	docs, err := New(opts).Parse(context.Background(), ingest.File{Path: "/docs/" + name, Data: data, Size: int64(len(data))}, ingest.DefaultLimits())
	if err != nil {
		return document.Document{}, err
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	return docs[0], nil
}

func TestParse(t *testing.T) {
	hello := "BT /F1 12 Tf 72 720 Td (Hello Engram PDF) Tj ET"
	tests := []struct {
		name      string
		file      string
		data      []byte
		wantTitle string
		wantBody  []string // substrings, in order
		wantDate  string
		wantPages string
	}{
		{
			name:      "one page with info",
			file:      "hello.pdf",
			data:      textPDF("1.4", "/Title (Quarterly Plan) /Author (Ada Lovelace) /CreationDate (D:20240305101500+01'00')", hello),
			wantTitle: "Quarterly Plan",
			wantBody:  []string{"Hello Engram PDF"},
			wantDate:  "2024-03-05T10:15:00+01:00",
			wantPages: "1",
		},
		{
			name:      "no title falls back to the file name",
			file:      "notes 2024.pdf",
			data:      textPDF("1.4", "", hello),
			wantTitle: "notes 2024",
			wantBody:  []string{"Hello Engram PDF"},
			wantPages: "1",
		},
		{
			name: "lines and pages",
			file: "two.pdf",
			data: textPDF("1.4", "/Title <FEFF00C9007400E9> /ModDate (D:19991231)",
				"BT /F1 12 Tf 72 720 Td (First line) Tj 0 -14 Td (second line) Tj ET",
				"BT /F1 12 Tf 72 720 Td [(Page) -250 (two)] TJ ET"),
			wantTitle: "Été",
			wantBody:  []string{"First line\nsecond line", "Page two"},
			wantDate:  "1999-12-31T00:00:00Z",
			wantPages: "2",
		},
		{
			name:      "PDF 2.0 header",
			file:      "v2.pdf",
			data:      textPDF("2.0", "", hello),
			wantTitle: "v2",
			wantBody:  []string{"Hello Engram PDF"},
			wantPages: "1",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parse(t, Options{}, tt.file, tt.data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Source != Kind {
				t.Errorf("Source = %q, want %q", d.Source, Kind)
			}
			if d.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", d.Title, tt.wantTitle)
			}
			rest := d.Body
			for _, want := range tt.wantBody {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("Body = %q, want %q in it (in order)", d.Body, want)
				}
				rest = rest[i+len(want):]
			}
			if got := d.Date.Format(time.RFC3339); tt.wantDate != "" && got != tt.wantDate {
				t.Errorf("Date = %s, want %s", got, tt.wantDate)
			}
			if tt.wantDate == "" && !d.Date.IsZero() {
				t.Errorf("Date = %s, want none", d.Date)
			}
			if d.Meta["pages"] != tt.wantPages {
				t.Errorf("Meta[pages] = %q, want %q", d.Meta["pages"], tt.wantPages)
			}
		})
	}
}

func TestParseFixtures(t *testing.T) {
	// testdata/*.pdf are written by TestWriteFixtures; they are kept so that
	// the fixtures can be opened in a PDF viewer.
	tests := []struct {
		file    string
		wantErr error
		want    string
	}{
		{"hello.pdf", nil, "Hello Engram PDF"},
		{"truncated.pdf", ingest.ErrBadInput, "the PDF is truncated"},
		{"garbage.pdf", ingest.ErrBadInput, "not a PDF file"},
		{"encrypted.pdf", ingest.ErrBadInput, "encrypted"},
		{"no_text.pdf", ingest.ErrSkipped, "no text layer"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			d, err := parse(t, Options{}, tt.file, data)
			if tt.wantErr == nil {
				if err != nil || !strings.Contains(d.Body, tt.want) {
					t.Fatalf("body %q, err %v; want %q", d.Body, err, tt.want)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %v with %q", err, tt.wantErr, tt.want)
			}
		})
	}
}

// TestFixturesMatchTheirGenerator checks that testdata/*.pdf are what this
// generator writes, so the fixtures can be read (and changed) as code;
// ENGRAM_UPDATE_FIXTURES=1 rewrites them.
func TestFixturesMatchTheirGenerator(t *testing.T) {
	update := os.Getenv("ENGRAM_UPDATE_FIXTURES") != ""
	hello := textPDF("1.4", "/Title (Hello) /CreationDate (D:20240305101500Z)", "BT /F1 12 Tf 72 720 Td (Hello Engram PDF) Tj ET")
	files := map[string][]byte{
		"hello.pdf":     hello,
		"truncated.pdf": hello[:len(hello)*2/3],
		"garbage.pdf":   []byte("\x00\x01binary, not a PDF at all\xff\xfe"),
		"no_text.pdf":   textPDF("1.4", "", "0 0 m 100 100 l S"),
		"encrypted.pdf": encryptedPDF(),
	}
	for name, data := range files {
		path := filepath.Join("testdata", name)
		if update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s differs from its generator; run with ENGRAM_UPDATE_FIXTURES=1", path)
		}
	}
}

// encryptedPDF returns a PDF whose trailer names an AES-256 (revision 6)
// security handler, which needs a password Engram does not have.
func encryptedPDF() []byte {
	pdf := textPDF("1.7", "", "BT /F1 12 Tf 72 720 Td (secret) Tj ET")
	enc := "/Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /O <" + strings.Repeat("00", 48) + "> /U <" + strings.Repeat("00", 48) + "> /P -4 >> /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
	return bytes.Replace(pdf, []byte("/Root 1 0 R"), []byte("/Root 1 0 R "+enc), 1)
}

func TestHostile(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		opts Options
		mode string // testMode for the worker, "" for the real one
		want string
	}{
		{
			name: "cross-reference loop times out",
			data: xrefLoopPDF(),
			opts: Options{Timeout: 2 * time.Second},
			want: "PDF extraction took longer than 2 s; the file may be damaged",
		},
		{
			name: "page tree loop is cut off",
			data: loopPDF(),
			opts: Options{Timeout: 10 * time.Second},
			want: "the PDF has no pages it can read",
		},
		{
			name: "decompression bomb runs out of memory",
			data: bombPDF(t, 32<<20),
			opts: Options{Timeout: 60 * time.Second, MaxMemory: 64 << 20},
			want: "PDF extraction ran out of memory or crashed",
		},
		{
			name: "hanging worker is killed",
			mode: "hang",
			data: textPDF("1.4", "", "BT ET"),
			opts: Options{Timeout: 500 * time.Millisecond},
			want: "PDF extraction took longer than 0.5 s; the file may be damaged",
		},
		{
			name: "crashing worker",
			mode: "crash",
			data: textPDF("1.4", "", "BT ET"),
			want: "ran out of memory or crashed (exit status 2: fatal error: runtime: out of memory)",
		},
		{
			name: "endless output is cut",
			mode: "chatty",
			data: textPDF("1.4", "", "BT ET"),
			opts: Options{MaxOutputBytes: 1 << 20},
			want: "the PDF worker wrote more than",
		},
		{
			name: "binary without WorkerMain rejects the flag",
			mode: "flags",
			data: textPDF("1.4", "", "BT ET"),
			want: "does not call pdf.WorkerMain first in main",
		},
		{
			name: "binary without WorkerMain says nothing",
			mode: "silent",
			data: textPDF("1.4", "", "BT ET"),
			want: "check that the program calls pdf.WorkerMain",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(testMode, tt.mode)
			start := time.Now()
			_, err := parse(t, tt.opts, "hostile.pdf", tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if tt.mode != "flags" && !errors.Is(err, ingest.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
			t.Logf("%s after %v", err, time.Since(start).Round(time.Millisecond))
		})
	}
}

func TestCancel(t *testing.T) {
	t.Setenv(testMode, "hang")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	p := New(Options{Exe: testExe(t), Timeout: time.Minute})
	_, err := p.Parse(ctx, ingest.File{Path: "/x.pdf", Data: []byte("%PDF-1.4\n")}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestMissingWorkerBinary(t *testing.T) {
	p := New(Options{Exe: filepath.Join(t.TempDir(), "no-such-engram")})
	_, err := p.Parse(context.Background(), ingest.File{Path: "/x.pdf", Data: []byte("%PDF-1.4\n")}, ingest.DefaultLimits())
	if err == nil || !strings.Contains(err.Error(), "starting the PDF worker") {
		t.Fatalf("err = %v, want a start error", err)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"D:20240305101500+01'00'", "2024-03-05T10:15:00+01:00"},
		{"D:20240305101500Z", "2024-03-05T10:15:00Z"},
		{"D:20240305101500-05'30", "2024-03-05T10:15:00-05:30"},
		{"D:2024", "2024-01-01T00:00:00Z"},
		{"20240305", "2024-03-05T00:00:00Z"},
		{"D:20241305", ""},
		{"yesterday", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := parseDate(tt.in)
			if tt.want == "" {
				if ok {
					t.Fatalf("parseDate(%q) = %v, want no date", tt.in, got)
				}
				return
			}
			if !ok || got.Format(time.RFC3339) != tt.want {
				t.Fatalf("parseDate(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
			}
		})
	}
}

// sink keeps what a pipeline commits, in memory.
type sink struct {
	mu   sync.Mutex
	docs []document.Document
}

func (s *sink) Known(string) (ingest.FileState, bool, error)  { return ingest.FileState{}, false, nil }
func (s *sink) KnownUnder(string) ([]ingest.FileState, error) { return nil, nil }
func (s *sink) Commit(_ context.Context, b ingest.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs = append(s.docs, b.Docs...)
	return nil
}

// TestPipeline imports a folder with a good and a hostile PDF through the
// import pipeline: the good one is imported, the hostile one is recorded
// as failed with its reason, and the import goes on.
func TestPipeline(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"good.pdf": textPDF("1.4", "/Title (Good)", "BT /F1 12 Tf 72 720 Td (Hello Engram PDF) Tj ET"),
		"loop.pdf": xrefLoopPDF(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reg := ingest.NewRegistry()
	Register(reg, Options{Exe: testExe(t), Timeout: time.Second})
	var s sink
	prog, err := ingest.NewPipeline(reg).Run(context.Background(), &s, ingest.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if prog.Imported != 1 || prog.Failed != 1 || len(s.docs) != 1 {
		t.Fatalf("imported %d, failed %d, committed %d; want 1, 1, 1 (%+v)", prog.Imported, prog.Failed, len(s.docs), prog.Errors)
	}
	if d := s.docs[0]; d.Title != "Good" || d.Source != Kind || d.ID == "" || d.ContentHash == "" || d.Date.IsZero() {
		t.Errorf("document %+v", d)
	}
	if e := prog.Errors[0]; !strings.HasSuffix(e.Path, "loop.pdf") || !strings.Contains(e.Error, "took longer than 1 s") {
		t.Errorf("error %+v, want loop.pdf timed out", e)
	}
}

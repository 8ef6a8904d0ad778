package slack_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/ingesttest"
	"github.com/engram-app/engram/ingest/slack"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// fixture is testdata/export copied to a temporary folder, so tests may
// change it.
func fixture(t testing.TB) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "export")
	err := filepath.WalkDir("testdata/export", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("testdata/export", path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// zipDir zips the files of dir into a new archive under prefix.
func zipDir(t testing.TB, dir, prefix string) string {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		data, err := os.ReadFile(path)
		files[prefix+filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return writeZip(t, files)
}

// writeZip writes an archive holding files, in name order, and returns its
// path.
func writeZip(t testing.TB, files map[string][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "export.zip")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// byTS returns the imported documents by their Slack ts.
func byTS(t testing.TB, sink *ingesttest.MemSink) map[string]document.Document {
	t.Helper()
	out := map[string]document.Document{}
	for _, d := range sink.Docs {
		ts := d.Meta["ts"]
		if _, dup := out[ts]; dup {
			t.Fatalf("two documents for ts %s", ts)
		}
		out[ts] = d
	}
	return out
}

// golden is what a document looks like without what depends on where the
// test runs (IDs, paths, file times).
type golden struct {
	Title, Body, From string
	To, Tags          []string
	Date              time.Time
	Meta              map[string]string
	InReplyTo         string `json:",omitempty"`
	Attachments       []document.Attachment
}

func goldenDocs(sink *ingesttest.MemSink, root string) []golden {
	var out []golden
	for _, d := range sink.Docs {
		meta := map[string]string{}
		for k, v := range d.Meta {
			if k != "export_file" {
				meta[k] = v
			}
		}
		out = append(out, golden{
			Title: d.Title, Body: d.Body, From: d.From, To: d.To, Tags: d.Tags,
			Date: d.Date, Meta: meta, Attachments: d.Attachments,
			InReplyTo: strings.ReplaceAll(d.InReplyTo, root, "$ROOT"),
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

func checkGolden(t *testing.T, name string, got []golden) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(got); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(data, want) {
		t.Errorf("documents differ from %s (go test -update rewrites it); got:\n%s", path, data)
	}
}

func TestFolderExport(t *testing.T) {
	root := fixture(t)
	sink := ingesttest.NewMemSink()
	prog := run(t, sink, ingest.Limits{}, root)

	// 4 day files with messages (one of them partly noise), 1 of joins only,
	// and 3 metadata files: only the day of joins is listed, as skipped.
	if prog.Failed != 0 || len(prog.Errors) != 1 || prog.Errors[0].Failed || !strings.HasSuffix(prog.Errors[0].Path, "2024-03-05.json") {
		t.Fatalf("failed %d, errors %v", prog.Failed, prog.Errors)
	}
	if prog.Imported != 6 {
		t.Errorf("imported %d documents, want 6 (joins and topic changes skipped)", prog.Imported)
	}
	checkGolden(t, "export.golden.json", goldenDocs(sink, root))

	docs := byTS(t, sink)
	parent, reply, broadcast := docs["1709281000.000200"], docs["1709281100.000300"], docs["1709370000.000500"]
	want := document.IDFor("message-id:" + strings.ToLower("slack:"+root+":C1:1709281000.000200"))
	if parent.ID != want {
		t.Errorf("parent ID %s, want the MessageDocID of its key, %s", parent.ID, want)
	}
	for _, r := range []document.Document{reply, broadcast} {
		if got := document.MessageDocID(r.InReplyTo); got != parent.ID {
			t.Errorf("reply %q: InReplyTo %q names document %s, want the parent %s", r.Title, r.InReplyTo, got, parent.ID)
		}
	}
	if parent.InReplyTo != "" {
		t.Errorf("thread parent has InReplyTo %q", parent.InReplyTo)
	}

	// Importing again changes nothing; changing a day file updates its
	// messages in place.
	prog = run(t, sink, ingest.Limits{}, root)
	if prog.Imported != 0 || prog.Updated != 0 {
		t.Errorf("second import: imported %d, updated %d; want nothing", prog.Imported, prog.Updated)
	}
	day := filepath.Join(root, "general", "2024-03-02.json")
	if err := os.WriteFile(day, []byte(`[{"type":"message","subtype":"thread_broadcast","user":"U3","text":"Agreed, ship it","ts":"1709370000.000500","thread_ts":"1709281000.000200"}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	prog = run(t, sink, ingest.Limits{}, root)
	if prog.Updated != 1 || len(sink.Docs) != 6 {
		t.Errorf("after an edit: updated %d, %d documents; want 1 and 6", prog.Updated, len(sink.Docs))
	}
	if got := sink.Docs[broadcast.ID].Body; got != "Agreed, ship it" {
		t.Errorf("edited message body %q", got)
	}
}

func TestNamesFollowUsersJSON(t *testing.T) {
	root := fixture(t)
	p := slack.New()
	day := filepath.Join(root, "general", "2024-03-02.json")
	parse := func() document.Document {
		t.Helper()
		data, err := os.ReadFile(day)
		if err != nil {
			t.Fatal(err)
		}
		docs, err := p.Parse(context.Background(), ingest.File{Path: day, Data: data}, ingest.DefaultLimits())
		if err != nil || len(docs) != 1 {
			t.Fatalf("parse: %d docs, %v", len(docs), err)
		}
		return docs[0]
	}
	if got := parse().Body; got != "Agreed with @Alice Liddell" {
		t.Fatalf("body %q", got)
	}
	users := `[{"id":"U1","name":"alice","profile":{"real_name":"Alice Kingsleigh","email":"alice@example.com"}},{"id":"U3","profile":{"display_name":"Carol"}}]`
	if err := os.WriteFile(filepath.Join(root, "users.json"), []byte(users), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := parse().Body; got != "Agreed with @Alice Kingsleigh" {
		t.Errorf("after users.json changed: body %q; the cached names were not refreshed", got)
	}
}

func TestZipExport(t *testing.T) {
	folderSink := ingesttest.NewMemSink()
	root := fixture(t)
	run(t, folderSink, ingest.Limits{}, root)
	want := goldenDocs(folderSink, root)

	for _, prefix := range []string{"", "houston Slack export Jul 31 2016/"} {
		t.Run("prefix="+prefix, func(t *testing.T) {
			zp := zipDir(t, root, prefix)
			sink := ingesttest.NewMemSink()
			prog := run(t, sink, ingest.Limits{}, zp)
			if prog.Failed != 0 || len(prog.Errors) != 0 || prog.Imported != 6 {
				t.Fatalf("imported %d, failed %d, errors %v", prog.Imported, prog.Failed, prog.Errors)
			}
			got := goldenDocs(sink, zp)
			a, _ := json.Marshal(got)
			b, _ := json.Marshal(want)
			if !bytes.Equal(a, b) {
				t.Errorf("the zip gives other documents than the folder:\n%s\nwant\n%s", a, b)
			}
			ids := map[string]bool{}
			for id := range sink.Docs {
				ids[id] = true
			}
			// Re-importing a changed zip updates the same documents.
			if err := os.Chtimes(zp, time.Now(), time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(zp)
			if err := os.WriteFile(zp, append(data, 0), 0o644); err != nil { // still a valid zip
				t.Fatal(err)
			}
			prog = run(t, sink, ingest.Limits{}, zp)
			if prog.Updated != 6 || len(sink.Docs) != 6 {
				t.Errorf("re-import: updated %d, %d documents; want 6 and 6", prog.Updated, len(sink.Docs))
			}
			for id := range sink.Docs {
				if !ids[id] {
					t.Errorf("re-import made a new document %s", id)
				}
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	meta := func() map[string][]byte {
		return map[string][]byte{
			"channels.json":           []byte(`[{"id":"C1","name":"general"}]`),
			"users.json":              []byte(`[]`),
			"general/2024-01-01.json": []byte(`[{"type":"message","user":"U1","text":"hi","ts":"1704067200.000100"}]`),
		}
	}
	with := func(name string, data []byte) map[string][]byte {
		m := meta()
		m[name] = data
		return m
	}
	zeros := func(n int) []byte { return make([]byte, n) }
	tests := []struct {
		name   string
		files  map[string][]byte // zip entries; nil for raw
		raw    []byte            // the .zip's bytes when files is nil
		lim    ingest.Limits
		parser *slack.Parser
		failed bool   // counted as failed and listed
		reason string // in the listed error
	}{
		{name: "entry larger than the file limit", files: with("general/2024-01-02.json", zeros(4<<20)),
			lim: ingest.Limits{MaxFileBytes: 1 << 20}, failed: true, reason: "expands to more than the 1.0 MB file size limit"},
		{name: "more than 50x the zip uncompressed", files: with("general/2024-01-02.json", zeros(900<<10)),
			lim: ingest.Limits{MaxFileBytes: 1 << 20}, failed: true, reason: "looks like a zip bomb"},
		{name: "more than the total cap uncompressed", files: with("general/2024-01-02.json", bytes.Repeat([]byte(`[{"a":1}]`), 10000)),
			parser: slack.NewWithZipLimits(100, 64<<10, 1000), failed: true, reason: "more than 64.0 KB uncompressed"},
		{name: "too many entries", files: with("general/2024-01-03.json", []byte(`[]`)),
			parser: slack.NewWithZipLimits(3, 1<<30, 50), failed: true, reason: "4 entries"},
		{name: "path traversal", files: with("../../etc/passwd.json", []byte(`[]`)), failed: true, reason: `entry "../../etc/passwd.json" points outside the archive`},
		{name: "backslash traversal", files: with(`general\..\..\x.json`, []byte(`[]`)), failed: true, reason: "points outside the archive"},
		{name: "absolute path", files: with("/etc/x.json", []byte(`[]`)), failed: true, reason: "points outside the archive"},
		{name: "malformed day file", files: with("general/2024-01-02.json", []byte(`[{"type":"message",`)), failed: true,
			reason: "day file general/2024-01-02.json: bad input: not a JSON array of Slack messages"},
		{name: "not a Slack export", files: map[string][]byte{"notes/a.txt": []byte("hello"), "b/c/channels.json": []byte("[]")}},
		{name: "not a zip", raw: []byte("this is not a zip archive"), failed: true, reason: "not a readable zip archive"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var zp string
			if tc.files != nil {
				zp = writeZip(t, tc.files)
			} else {
				zp = filepath.Join(t.TempDir(), "x.zip")
				if err := os.WriteFile(zp, tc.raw, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			p := tc.parser
			if p == nil {
				p = slack.New()
			}
			reg := ingest.NewRegistry()
			reg.Register(slack.Kind, slack.Extensions(), p)
			reg.RegisterSniffer(slack.Kind, slack.Sniff, p)
			sink := ingesttest.NewMemSink()
			prog, err := ingest.NewPipeline(reg).Run(context.Background(), sink, ingest.Options{Paths: []string{zp}, Limits: tc.lim})
			if err != nil {
				t.Fatal(err)
			}
			if len(sink.Docs) != 0 {
				t.Errorf("%d documents imported from a rejected zip", len(sink.Docs))
			}
			if !tc.failed {
				if prog.Failed != 0 || len(prog.Errors) != 0 || prog.Skipped != 1 {
					t.Errorf("failed %d, skipped %d, errors %v; want skipped quietly", prog.Failed, prog.Skipped, prog.Errors)
				}
				return
			}
			if prog.Failed != 1 || len(prog.Errors) != 1 {
				t.Fatalf("failed %d, errors %v; want one failure", prog.Failed, prog.Errors)
			}
			if msg := prog.Errors[0].Error; !strings.Contains(msg, tc.reason) || !strings.Contains(msg, zp) {
				t.Errorf("error %q does not name the zip and say %q", msg, tc.reason)
			}
		})
	}
}

func TestParseZipErrorsWrapBadInput(t *testing.T) {
	zp := writeZip(t, map[string][]byte{"channels.json": []byte("[]"), "../x.json": []byte("[]")})
	data, err := os.ReadFile(zp)
	if err != nil {
		t.Fatal(err)
	}
	_, err = slack.New().Parse(context.Background(), ingest.File{Path: zp, Data: data}, ingest.DefaultLimits())
	if !errors.Is(err, ingest.ErrBadInput) {
		t.Errorf("error %v does not wrap ErrBadInput", err)
	}
	zp = writeZip(t, map[string][]byte{"a.txt": []byte("x")})
	data, _ = os.ReadFile(zp)
	_, err = slack.New().Parse(context.Background(), ingest.File{Path: zp, Data: data}, ingest.DefaultLimits())
	if !errors.Is(err, ingest.ErrUnsupported) {
		t.Errorf("not a Slack zip: error %v does not wrap ErrUnsupported", err)
	}
}

func TestMalformedDayFile(t *testing.T) {
	root := fixture(t)
	bad := filepath.Join(root, "general", "2024-03-03.json")
	if err := os.WriteFile(bad, []byte(`[{"type": "message", "text": "unterminated`), 0o644); err != nil {
		t.Fatal(err)
	}
	sink := ingesttest.NewMemSink()
	prog := run(t, sink, ingest.Limits{}, root)
	// The fixture's day of joins only is listed as skipped, with why.
	var failed []ingest.ItemError
	joinsOnly := false
	for _, e := range prog.Errors {
		if e.Failed {
			failed = append(failed, e)
		} else if strings.Contains(e.Error, "only channel events") {
			joinsOnly = true
		}
	}
	if prog.Failed != 1 || len(failed) != 1 || !joinsOnly {
		t.Fatalf("failed %d, errors %v; want the one bad day file, and the day of joins skipped with its reason", prog.Failed, prog.Errors)
	}
	if e := failed[0]; e.Path != bad || !strings.Contains(e.Error, bad) || !strings.Contains(e.Error, "not a JSON array of Slack messages") {
		t.Errorf("error %+v does not name the day file and the reason", e)
	}
	if prog.Imported != 6 {
		t.Errorf("imported %d; the other days must still be imported", prog.Imported)
	}
}

func TestSniff(t *testing.T) {
	root := fixture(t)
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, "general"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want bool
	}{
		{filepath.Join(root, "general", "2024-03-01.json"), true},
		{filepath.Join(root, "general", "2024-03-09.json"), true}, // damaged or not: claimed and reported
		{filepath.Join(root, "users.json"), true},
		{filepath.Join(root, "integration_logs.json"), true},
		{filepath.Join(root, "general", "notes.json"), false},
		{filepath.Join(root, "general", "2024-03-01.txt"), false},
		{filepath.Join(root, "general", "2024-3-01.json"), false},
		{filepath.Join(root, "general", "sub", "2024-03-01.json"), false},
		{filepath.Join(other, "general", "2024-03-01.json"), false}, // no channels.json beside
		{filepath.Join(other, "package.json"), false},
	}
	for _, tc := range tests {
		if got := slack.Sniff(tc.path, nil); got != tc.want {
			t.Errorf("Sniff(%s) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

// TestMarkup checks how Slack's markup reads once imported.
func TestMarkup(t *testing.T) {
	root := fixture(t)
	tests := []struct {
		name, text, want string
		to               []string
	}{
		{"user mention", "hi <@U2>", "hi @Smith, Bob", []string{"Bob Smith <u2@slack>"}},
		{"old mention with label", "<@U1|alice>: ok", "@Alice Liddell: ok", []string{"Alice Liddell <alice@example.com>"}},
		{"unknown user keeps label", "<@U77|zed> hi", "@zed hi", []string{"zed <u77@slack>"}},
		{"unknown user without label", "<@U77> hi", "@U77 hi", []string{"u77@slack"}},
		{"channel", "see <#C2|design> and <#C1>", "see #design and #general", nil},
		{"link with label", "<https://x.io/a?b=1&amp;c=2|the doc>", "the doc (https://x.io/a?b=1&c=2)", nil},
		{"bare link", "<https://x.io>", "https://x.io", nil},
		{"mailto", "<mailto:a@b.io|a@b.io>", "a@b.io", nil},
		{"specials", "<!here> <!channel> <!subteam^S1|@devs> <!date^1392734382^{date}|Feb 18>", "@here @channel @devs Feb 18", nil},
		{"escapes", "a &lt;b&gt; &amp;amp; *bold* _it_", "a <b> &amp; *bold* _it_", nil},
		{"unclosed", "1 < 2 and <@U1", "1 < 2 and <@U1", nil},
		{"mentions once, author excluded", "<@U3> <@U2> <@U2>", "@Carol @Smith, Bob @Smith, Bob", []string{"Bob Smith <u2@slack>"}},
	}
	p := slack.New()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			day, _ := json.Marshal([]map[string]string{{"type": "message", "user": "U3", "text": tc.text, "ts": "1704067200.000100"}})
			path := filepath.Join(root, "general", "2024-01-01.json")
			docs, err := p.Parse(context.Background(), ingest.File{Path: path, Data: day}, ingest.DefaultLimits())
			if err != nil || len(docs) != 1 {
				t.Fatalf("%d docs, %v", len(docs), err)
			}
			d := docs[0]
			if d.Body != tc.want {
				t.Errorf("body %q, want %q", d.Body, tc.want)
			}
			if strings.Join(d.To, "|") != strings.Join(tc.to, "|") {
				t.Errorf("to %q, want %q", d.To, tc.to)
			}
			if d.From != "Carol <u3@slack>" {
				t.Errorf("from %q", d.From)
			}
		})
	}
}

func TestTitle(t *testing.T) {
	root := fixture(t)
	long := strings.Repeat("word ", 40)
	day, _ := json.Marshal([]map[string]string{{"type": "message", "user": "U1", "text": "  " + long, "ts": "1704067200.000100"}})
	docs, err := slack.New().Parse(context.Background(), ingest.File{Path: filepath.Join(root, "design", "2024-01-01.json"), Data: day}, ingest.DefaultLimits())
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d docs, %v", len(docs), err)
	}
	title := docs[0].Title
	if !strings.HasPrefix(title, "#design: word word") || !strings.HasSuffix(title, "word…") || len([]rune(title)) > len("#design: ")+61 {
		t.Errorf("title %q: want #design: and about 60 characters cut at a word", title)
	}
}

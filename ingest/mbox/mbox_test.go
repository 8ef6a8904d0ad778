package mbox

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/eml"
)

const testPath = "/mail/archive.mbox"

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func parse(tb testing.TB, p ingest.Parser, data []byte) ([]document.Document, error) {
	tb.Helper()
	return p.Parse(context.Background(), ingest.File{Path: testPath, Data: data}, ingest.DefaultLimits())
}

func mustParse(tb testing.TB, data []byte) []document.Document {
	tb.Helper()
	docs, err := parse(tb, New(), data)
	if err != nil {
		tb.Fatal(err)
	}
	return docs
}

func TestParseThreeMessages(t *testing.T) {
	lf := readTestdata(t, "three.mbox")
	if bytes.HasSuffix(lf, []byte("\n")) {
		t.Fatal("three.mbox must end without a newline")
	}
	variants := map[string][]byte{
		"LF":   lf,
		"CRLF": bytes.ReplaceAll(lf, []byte("\n"), []byte("\r\n")),
	}
	for name, data := range variants {
		t.Run(name, func(t *testing.T) {
			docs := mustParse(t, data)
			if len(docs) != 3 {
				t.Fatalf("got %d documents, want 3", len(docs))
			}
			want := []struct {
				id, title, from, messageID, date string
			}{
				{document.MessageDocID("plan.1@example.org"), "Quarterly plan", "Alice <alice@example.org>", "plan.1@example.org", "2024-01-01T09:00:00Z"},
				{document.MessageDocID("wa.exe?A2=ind2401A&L=TEAM&P=42"), "Re: Quarterly plan", "Bob <bob@example.org>", "wa.exe?A2=ind2401A&L=TEAM&P=42", "2024-01-02T10:30:00Z"},
				// No Message-ID: named by position; no Date: the separator's.
				{document.IDFor(testPath + "#2"), "No id here", "carol@example.org", "", "2024-01-03T11:00:00Z"},
			}
			for i, w := range want {
				d := docs[i]
				if d.ID != w.id || d.Title != w.title || d.From != w.from || d.MessageID != w.messageID {
					t.Errorf("message %d: id %q title %q from %q message-id %q, want %+v", i, d.ID, d.Title, d.From, d.MessageID, w)
				}
				if got := d.Date.UTC().Format(time.RFC3339); got != w.date {
					t.Errorf("message %d: date %s, want %s", i, got, w.date)
				}
				if d.Path != testPath || d.Meta[MetaIndex] != []string{"0", "1", "2"}[i] {
					t.Errorf("message %d: path %q, index %q", i, d.Path, d.Meta[MetaIndex])
				}
				if d.Source != document.SourceEmail || d.ContentHash == "" {
					t.Errorf("message %d: source %q, hash %q", i, d.Source, d.ContentHash)
				}
				if strings.Contains(d.Body, "\r") {
					t.Errorf("message %d: body keeps CR: %q", i, d.Body)
				}
			}
			if b := docs[0].Body; !strings.Contains(b, "\nFrom the archive: the mbox writer") || !strings.Contains(b, "\n>From a deeper quote") || strings.Contains(b, ">From the archive") {
				t.Errorf(">From lines not un-escaped:\n%s", b)
			}
			if b := docs[1].Body; !strings.Contains(b, "Sounds good to me.\nFrom the desk of Bob") {
				t.Errorf("an unquoted From line without a date split the message:\n%s", b)
			}
			if docs[1].InReplyTo != "plan.1@example.org" || docs[1].To[0] != "alice@example.org" {
				t.Errorf("lower-case headers not read: %q %q", docs[1].InReplyTo, docs[1].To)
			}
			if !strings.HasSuffix(docs[2].Body, "without a Date.") {
				t.Errorf("last message without a trailing newline: %q", docs[2].Body)
			}
			if docs[0].ContentHash == docs[1].ContentHash {
				t.Error("messages share a content hash")
			}
		})
	}
}

func TestParseMIME(t *testing.T) {
	docs := mustParse(t, readTestdata(t, "mime.mbox"))
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3", len(docs))
	}
	tests := []struct {
		title       string
		body        []string
		notBody     []string
		attachments []document.Attachment
	}{
		{title: "Weekly digest", body: []string{"Top stories", "The lighthouse & the ferry"}, notBody: []string{"<", "color"}},
		{title: "Lunch", body: []string{"Plain version: noodles at noon."}, notBody: []string{"HTML version"}},
		{
			title: "Report attached",
			body:  []string{"Grüße, the report is attached.", "Attachment: notes.txt\nBudget approved"},
			attachments: []document.Attachment{
				{Name: "notes.txt", ContentType: "text/plain", Size: 31},
				{Name: "report.pdf", ContentType: "application/pdf", Size: 19},
			},
		},
	}
	for i, tt := range tests {
		d := docs[i]
		if d.Title != tt.title {
			t.Errorf("message %d: title %q, want %q", i, d.Title, tt.title)
		}
		for _, s := range tt.body {
			if !strings.Contains(d.Body, s) {
				t.Errorf("%s: body lacks %q:\n%s", tt.title, s, d.Body)
			}
		}
		for _, s := range tt.notBody {
			if strings.Contains(d.Body, s) {
				t.Errorf("%s: body contains %q:\n%s", tt.title, s, d.Body)
			}
		}
		if !reflect.DeepEqual(d.Attachments, tt.attachments) {
			t.Errorf("%s: attachments %+v, want %+v", tt.title, d.Attachments, tt.attachments)
		}
	}
}

func TestTruncatedLastMessage(t *testing.T) {
	data := readTestdata(t, "three.mbox")
	tests := []struct {
		name     string
		cutAfter string // keep data up to the end of this
		title    string // "" when the cut message gives no document
		from     string
		body     string
	}{
		{"in the body", "A message with", "No id here", "carol@example.org", "A message with"},
		{"in the header", "From: carol@exa", eml.NoSubject, "carol@exa", ""},
		{"right after the separator", "From MAILER-DAEMON Wed Jan  3 11:00:00 2024\n", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := bytes.Index(data, []byte(tt.cutAfter))
			docs := mustParse(t, data[:i+len(tt.cutAfter)])
			if tt.title == "" {
				if len(docs) != 2 {
					t.Fatalf("got %d documents, want the 2 complete ones", len(docs))
				}
				return
			}
			if len(docs) != 3 {
				t.Fatalf("got %d documents, want 3", len(docs))
			}
			last := docs[2]
			if last.Title != tt.title || strings.TrimSpace(last.Body) != tt.body || last.From != tt.from {
				t.Errorf("last message: title %q body %q from %q", last.Title, last.Body, last.From)
			}
		})
	}
}

func TestDuplicatesAndStubs(t *testing.T) {
	data := []byte("From a@example.org Mon Jan  1 09:00:00 2024\n" +
		"From: a@example.org\nSubject: First copy\nMessage-ID: <Same@Example.org>\n\none\n\n" +
		// An archive's stub: no mail header, but a message all the same.
		"From MAILER-DAEMON Thu Aug 26 16:50:40 2021\n" +
		"Archived-At: <https://list.example.org/wa.exe?A2=x>\n\n\n" +
		"From a@example.org Mon Jan  1 09:05:00 2024\n" +
		"From: a@example.org\nSubject: Second copy\nMessage-ID: <same@example.org>\n\ntwo\n")
	docs := mustParse(t, data)
	if len(docs) != 2 {
		t.Fatalf("got %d documents, want 2 (the first copy and the stub)", len(docs))
	}
	if stub := docs[1]; stub.Title != eml.NoSubject || stub.Meta["archived-at"] == "" {
		t.Errorf("stub %+v", stub)
	}
	if d := docs[0]; d.Title != "First copy" || d.ID != document.MessageDocID("same@example.org") || d.Meta[MetaIndex] != "0" {
		t.Errorf("kept %q id %q index %q, want the first copy", d.Title, d.ID, d.Meta[MetaIndex])
	}
}

func TestLeadingBlankLines(t *testing.T) {
	data := append([]byte("\n\r\n"), readTestdata(t, "three.mbox")...)
	docs := mustParse(t, data)
	if len(docs) != 3 || docs[0].Meta[MetaIndex] != "0" {
		t.Fatalf("got %d documents, first index %q", len(docs), docs[0].Meta[MetaIndex])
	}
}

func TestMessageLimit(t *testing.T) {
	p := &Parser{msg: eml.New(), maxMessages: 2}
	docs, err := parse(t, p, readTestdata(t, "three.mbox"))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("got %d documents, want 2", len(docs))
	}
	if w := docs[1].Meta["parse_warning"]; !strings.Contains(w, "more than 2 messages") {
		t.Errorf("parse_warning = %q", w)
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data string
		why  string
	}{
		{"empty", " \n\n", "empty"},
		{"binary", "\x00\x01\x02From ", "binary"},
		{"text without separators", "Dear diary,\nnothing to see.\n", "no message"},
		{"only prose after a separator", "From MAILER-DAEMON Thu Aug 26 16:50:40 2021\nnot a header line at all\n\n", "no message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parse(t, New(), []byte(tt.data))
			if !errors.Is(err, ingest.ErrBadInput) || !strings.Contains(err.Error(), tt.why) {
				t.Fatalf("err = %v, want ErrBadInput saying %q", err, tt.why)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, ingest.File{Path: testPath, Data: readTestdata(t, "three.mbox")}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestSniff(t *testing.T) {
	head := readTestdata(t, "three.mbox")[:200]
	pipermail := []byte("From jjl at pobox.com  Thu Nov  1 11:19:12 2001\nFrom: jjl at pobox.com (John J. Lee)\n")
	tests := []struct {
		name string
		path string
		head []byte
		want bool
	}{
		{"no extension", "/m/Mail/Inbox", head, true},
		{"Enron-style dot", "/m/archive/12.", head, true},
		{".mbox", "/m/list.mbox", head, true},
		{"pipermail without extension", "/m/numpy/2001-November", pipermail, true},
		{"CRLF", "/m/Inbox", bytes.ReplaceAll(head, []byte("\n"), []byte("\r\n")), true},
		{"byte order mark", "/m/Inbox", append([]byte{0xEF, 0xBB, 0xBF}, head...), true},
		{"pipermail .txt is an mbox", "/m/numpy/2001-November.txt", pipermail, true},
		{"other extension", "/m/notes.log", head, false},
		{"Maildir tmp", "/m/Maildir/tmp/1700000000.M1P2.host", head, false},
		{"From line without a date", "/m/letter", []byte("From the desk of the editor\n"), false},
		{"header block", "/m/1.", []byte("From: a@example.org\nSubject: x\n\n"), false},
		{"binary", "/m/blob", []byte("From x Mon Jan  1 00:00:00 2024\n\x00\x00"), false},
		{"garbage", "/m/blob", []byte("\x89PNG\r\n\x1a\n"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.path, tt.head); got != tt.want {
				t.Errorf("Sniff(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestIsFromLine(t *testing.T) {
	for line, want := range map[string]bool{
		"From MAILER-DAEMON Wed May 26 00:26:54 2021":       true,
		"From jjl at pobox.com  Thu Nov  1 11:19:12 2001":   true,
		"From - Sat Mar  3 10:00:00 2007\r":                 true,
		"From a@b.c Thu, 04 Jun 2020 12:48:28 +0000":        true,
		"From the desk of Bob":                              false,
		"From 9:30 until noon":                              false,
		"From  a@b Mon Jan  1 00:00:00 2024":                false,
		"from a@b Mon Jan  1 00:00:00 2024":                 false,
		">From a@b Mon Jan  1 00:00:00 2024":                false,
		"From:a@b Mon Jan  1 00:00:00 2024":                 false,
		"From " + strings.Repeat("x", 2000) + " 10:00 2024": false,
	} {
		if got := isFromLine([]byte(line)); got != want {
			t.Errorf("isFromLine(%.60q) = %v, want %v", line, got, want)
		}
	}
}

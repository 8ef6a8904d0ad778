package eml

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/ingest"
)

func readTestdata(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestSniff(t *testing.T) {
	enron := readTestdata(t, "enron_numbered.eml")
	maildir := readTestdata(t, "maildir_cur.eml")
	tests := []struct {
		name string
		path string
		head []byte
		want bool
	}{
		{"Enron numbered file", "/m/maildir/skilling-j/inbox/12.", enron, true},
		{"Maildir header block", "/m/Mail/archive/msg-1", maildir, true},
		{"header block with CRLF", "/m/x/1.", []byte(strings.ReplaceAll(string(maildir), "\n", "\r\n")), true},
		{"byte order mark", "/m/x/2.", append([]byte{0xEF, 0xBB, 0xBF}, enron...), true},
		{"blank lines before the header", "/m/x/3.", append([]byte("\n\n"), enron...), true},
		{"two common fields", "/m/x/4.", []byte("From: a@example.org\nSubject: hi\n\nbody\n"), true},
		{"head cut inside a field name", "/m/x/5.", []byte("Message-ID: <a@b>\nFrom: a@b\nX-Fo"), true},
		{"lower-case field names", "/m/x/6.", []byte("message-id: <a@b>\nfrom: a@b\n\nbody"), true},
		{"Maildir cur with flags", "/m/Maildir/cur/1700000000.M1P2.host:2,S", []byte("anything at all\n"), true},
		{"Maildir new without flags", "/m/Maildir/.Sent/new/1700000001.M3P4.host", []byte("x"), true},
		{"Maildir tmp", "/m/Maildir/tmp/1700000000.M1P2.host", maildir, false},
		{"Maildir message with an mbox From line", "/m/Maildir/cur/07:2,S", append([]byte("From someone@example.org Sat Jan  3 01:05:34 1998\n"), maildir...), true},
		{"From line then prose in cur", "/m/Maildir/cur/letter", []byte("From someone@example.org Sat Jan  3 01:05:34 1998\nDear all, see you.\n"), false},
		{"Maildir cur but binary", "/m/Maildir/cur/1700000000.M1P2.host:2,", []byte("\x00\x01"), false},
		{"Maildir cur but empty", "/m/Maildir/cur/1700000000.M1P2.host:2,", []byte(" \n"), false},
		{"tmp folder outside a Maildir", "/m/notes/tmp/12.", enron, true},
		{"one common field only", "/m/x/7", []byte("Date: 2024-01-01\nAuthor: me\n\nnotes"), false},
		{"prose", "/m/x/README", []byte("Dear diary,\nSubject: nothing\n"), false},
		{"key-value but not mail", "/m/x/config", []byte("Name: value\nOther: thing\n\nbody"), false},
		{"mbox separator first", "/m/x/Inbox", []byte("From alice@example.org Mon Jan  1 00:00:00 2024\nFrom: alice@example.org\nSubject: x\n\nbody\n"), false},
		{"binary", "/m/x/blob", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), false},
		{"garbage high bytes", "/m/x/junk", []byte("\xff\xfe\xfd: \xfc\n"), false},
		{"empty", "/m/x/empty", nil, false},
		{"continuation first", "/m/x/8", []byte(" Message-ID: <a@b>\nFrom: a@b\n"), false},
		{"non-header line inside the block", "/m/x/9", []byte("Message-ID: <a@b>\nthis is not a field\n"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.path, tt.head); got != tt.want {
				t.Errorf("Sniff(%q) = %v, want %v", tt.path, got, tt.want)
			}
		})
	}
}

func TestSniffLooksAtTheFirstLinesOnly(t *testing.T) {
	// Twenty unknown fields, then Message-ID: too far down to count.
	var b strings.Builder
	for i := range sniffLines {
		b.WriteString("X-Custom-" + string(rune('A'+i)) + ": v\n")
	}
	b.WriteString("Message-ID: <a@b>\n\nbody\n")
	if Sniff("/m/x/1.", []byte(b.String())) {
		t.Error("claimed a file whose first mail header is past the first 20 lines")
	}
}

func TestInMaildirTmp(t *testing.T) {
	for path, want := range map[string]bool{
		"/m/Maildir/tmp/1700000000.M1P2.host":      true,
		"/m/Maildir/cur/1700000000.M1P2.host:2,S":  false,
		"/m/notes/tmp/scratch":                     false,
		"/m/Maildir/.Drafts/tmp/1700000000.1.host": true,
	} {
		if got := InMaildirTmp(path); got != want {
			t.Errorf("InMaildirTmp(%q) = %v, want %v", path, got, want)
		}
	}
}

// FuzzSniff checks that no path or head makes Sniff panic, and that a
// Maildir tmp/ file is never claimed.
func FuzzSniff(f *testing.F) {
	f.Add("/m/inbox/12.", []byte("Message-ID: <a@b>\nFrom: a@b\n\nx"))
	f.Add("/m/Maildir/cur/1700000000.M1P2.host:2,S", []byte("x"))
	f.Add("/m/x", []byte(" \r\n\t:\n"))
	f.Fuzz(func(t *testing.T, path string, head []byte) {
		if len(head) > ingest.SniffBytes {
			head = head[:ingest.SniffBytes]
		}
		if Sniff(path, head) && InMaildirTmp(path) {
			t.Errorf("claimed Maildir tmp file %q", path)
		}
	})
}

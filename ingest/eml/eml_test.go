package eml

import (
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
)

func parseFile(tb testing.TB, name string, lim ingest.Limits) (document.Document, error) {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	docs, err := New().Parse(context.Background(), ingest.File{Path: "/mail/" + name, Data: data}, lim)
	if err != nil {
		return document.Document{}, err
	}
	if len(docs) != 1 {
		tb.Fatalf("got %d documents, want 1", len(docs))
	}
	return docs[0], nil
}

func TestParse(t *testing.T) {
	tests := []struct {
		file        string
		title       string
		from        string
		to          []string
		date        string // RFC 3339, "" for zero
		messageID   string
		inReplyTo   string
		references  []string
		body        []string // substrings
		notBody     []string
		attachments []document.Attachment
		meta        map[string]string // keys that must have these values
		warning     string            // substring of Meta["parse_warning"]
	}{
		{
			file:       "plain.eml",
			title:      "FW: Jeff McMahon Named CFO",
			from:       "Cynthia Barrow <cynthia.barrow@enron.com>",
			to:         []string{"Jeff McMahon <jeffrey.mcmahon@enron.com>", "kenneth.lay@enron.com", "Sherri Sera <sherri.sera@enron.com>"},
			date:       "2001-10-25T05:20:05-07:00",
			messageID:  "plain.1@example.com",
			inReplyTo:  "parent.9@example.com",
			references: []string{"root.1@example.com", "parent.9@example.com"},
			body:       []string{"Jeff, thanks for stepping in and you have my support.\n\nThanks again"},
			meta: map[string]string{
				"x-from":   "Barrow, Cynthia </O=ENRON/OU=NA/CN=RECIPIENTS/CN=CBARROW>",
				"x-to":     "McMahon, Jeffrey </O=ENRON/OU=NA/CN=RECIPIENTS/CN=Jmcmaho>",
				"x-folder": `\KLAY (Non-Privileged)\Inbox`,
				"cc":       "Sherri Sera <sherri.sera@enron.com>",
			},
		},
		{
			file:    "alternative_crlf.eml",
			title:   "Lunch plans",
			from:    "Alice <alice@example.org>",
			to:      []string{"bob@example.org"},
			date:    "2023-01-02T12:00:00+01:00",
			body:    []string{"Plain version of lunch plans."},
			notBody: []string{"HTML version", "<", "\r"},
		},
		{
			file:    "html_only.eml",
			title:   "Weekly digest",
			from:    "News <news@example.org>",
			to:      []string{"reader@example.org"},
			date:    "2023-01-03T08:00:00Z",
			body:    []string{"Top stories\n", "First item & more", "One\n", "Two", "Cell A\tCell B"},
			notBody: []string{"<", "color: red", "var x", "Digest", "&amp;"},
		},
		{
			file:      "mixed_nested.eml",
			title:     "Report attached",
			from:      "Carol <carol@example.org>",
			to:        []string{"Dan <dan@example.org>"},
			date:      "2023-01-04T09:15:00-05:00",
			messageID: "mixed.1@example.org",
			body:      []string{"Please find the report attached.", "Attachment: notes.txt\nMeeting notes: budget approved."},
			notBody:   []string{"<p>", "%PDF", "multi-part message"},
			attachments: []document.Attachment{
				{Name: "report.pdf", ContentType: "application/pdf", Size: 240},
				{Name: "notes.txt", ContentType: "text/plain", Size: 32},
			},
		},
		{
			file:  "latin1_qp.eml",
			title: "Grüße aus München",
			from:  "Jürgen Müller <juergen@example.de>",
			to:    []string{"François <francois@example.fr>"},
			date:  "2023-01-05T10:00:00+01:00",
			body:  []string{"Grüße aus München! Das Café öffnet um 9 Uhr.\nÇa va très bien."},
		},
		{
			file:  "shiftjis_b64.eml",
			title: "会議の予定",
			from:  "田中 太郎 <tanaka@example.jp>",
			to:    []string{"suzuki@example.jp"},
			date:  "2023-01-06T18:30:00+09:00",
			body:  []string{"来週の会議は火曜日です。よろしくお願いします。"},
		},
		{
			file:  "gb2312.eml",
			title: "知识管理",
			from:  "wang@example.cn",
			to:    []string{"li@example.cn"},
			date:  "2023-01-07T09:00:00+08:00",
			body:  []string{"知识管理很重要。请查看附件。"},
		},
		{
			file:      "no_subject_bad_date.eml",
			title:     NoSubject,
			from:      "someone@example.com",
			to:        []string{"other@example.com"},
			messageID: "no-brackets@example.com",
			body:      []string{"Body without subject."},
		},
		{
			file:    "bad_base64.eml",
			title:   "Broken body",
			from:    "a@example.com",
			body:    []string{"Hello world"},
			warning: "base64",
		},
		{
			// Enron: bare addresses, names in X-From/X-To. The X-cc list
			// names two people for one address, so Cc stays bare.
			file:  "enron_numbered.eml",
			title: "West desk numbers",
			from:  "Jeff Skilling <jeff.skilling@enron.com>",
			to: []string{
				"Kenneth Lay <kenneth.lay@enron.com>",
				"Rob Walls Jr. <rob.walls@enron.com>",
				"sherri.sera@enron.com",
			},
			date:      "2001-05-14T16:39:00-07:00",
			messageID: "18782981.1075855378110.JavaMail.evans@thyme",
			body:      []string{"west desk power trading numbers"},
			meta:      map[string]string{"x-from": "Jeff Skilling", "x-folder": `\Jeffrey_Skilling_Jun2001\Notes Folders\Inbox`},
		},
		{
			file:      "maildir_cur.eml",
			title:     "Tickets for Saturday",
			from:      "Anna Berg <anna@example.org>",
			to:        []string{"me@example.org"},
			date:      "2023-11-14T23:13:19+01:00",
			messageID: "CAF=tickets.42@mail.example.org",
			body:      []string{"harbour concert"},
		},
		{
			file:  "mbox_from_line.eml",
			title: "Saved from mbox",
			from:  "alice@example.org",
			body:  []string{"Hello."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := parseFile(t, tt.file, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			if want := document.MessageDocID(tt.messageID); d.ID != want {
				t.Errorf("ID = %q, want %q (from the Message-ID, or empty without one)", d.ID, want)
			}
			if d.Source != document.SourceEmail {
				t.Errorf("Source = %q", d.Source)
			}
			if d.Title != tt.title {
				t.Errorf("Title = %q, want %q", d.Title, tt.title)
			}
			if d.From != tt.from {
				t.Errorf("From = %q, want %q", d.From, tt.from)
			}
			if !reflect.DeepEqual(d.To, tt.to) {
				t.Errorf("To = %q, want %q", d.To, tt.to)
			}
			gotDate := ""
			if !d.Date.IsZero() {
				gotDate = d.Date.Format(time.RFC3339)
			}
			if gotDate != tt.date {
				t.Errorf("Date = %q, want %q", gotDate, tt.date)
			}
			if d.MessageID != tt.messageID || d.InReplyTo != tt.inReplyTo || !reflect.DeepEqual(d.References, tt.references) {
				t.Errorf("ids = %q %q %q, want %q %q %q", d.MessageID, d.InReplyTo, d.References, tt.messageID, tt.inReplyTo, tt.references)
			}
			for _, s := range tt.body {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Body lacks %q:\n%s", s, d.Body)
				}
			}
			for _, s := range tt.notBody {
				if strings.Contains(d.Body, s) {
					t.Errorf("Body contains %q:\n%s", s, d.Body)
				}
			}
			if !reflect.DeepEqual(d.Attachments, tt.attachments) {
				t.Errorf("Attachments = %+v, want %+v", d.Attachments, tt.attachments)
			}
			for k, v := range tt.meta {
				if d.Meta[k] != v {
					t.Errorf("Meta[%q] = %q, want %q", k, d.Meta[k], v)
				}
			}
			if w := d.Meta["parse_warning"]; tt.warning == "" && w != "" || !strings.Contains(w, tt.warning) {
				t.Errorf("parse_warning = %q, want %q", w, tt.warning)
			}
		})
	}
}

func TestDeepNesting(t *testing.T) {
	tests := []struct {
		name     string
		maxDepth int
		wantText bool
	}{
		{"beyond default limit", 32, false},
		{"within a raised limit", 100, true},
		{"zero means default", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseFile(t, "deep.eml", ingest.Limits{MaxFileBytes: 1 << 20, MaxDepth: tt.maxDepth})
			if err != nil {
				t.Fatal(err)
			}
			if d.Title != "Deep" {
				t.Errorf("Title = %q", d.Title)
			}
			if got := strings.Contains(d.Body, "very deep text"); got != tt.wantText {
				t.Errorf("deep text in body = %v, want %v", got, tt.wantText)
			}
			if w := d.Meta["parse_warning"]; !tt.wantText && !strings.Contains(w, "nested deeper") {
				t.Errorf("parse_warning = %q, want a nesting note", w)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"binary", []byte("\x00\x01\x02\x03binary\x00")},
		{"plain text without headers", []byte("Dear diary,\nthis is just a text file.\n")},
		{"header-like but not mail", []byte("Name: value\nOther: thing\n\nbody")},
		{"empty", []byte("  \n")},
		{"high bytes", []byte("\xff\xfe\xfd\xfc\n\xfb\xfa")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New().Parse(context.Background(), ingest.File{Path: "/x.eml", Data: tt.data}, ingest.DefaultLimits())
			if !errors.Is(err, ingest.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
		})
	}
	if _, err := parseFile(t, "garbage.eml", ingest.DefaultLimits()); !errors.Is(err, ingest.ErrBadInput) {
		t.Fatalf("garbage.eml: err = %v, want ErrBadInput", err)
	}
}

func TestHTMLToText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"inline whitespace", "a  <b>bold</b>\n  text", "a bold text"},
		{"br", "line1<br>line2", "line1\nline2"},
		{"pre kept", "<pre>a\n  b</pre>", "a\n  b"},
		{"entities", "&lt;tag&gt; &eacute;", "<tag> é"},
		{"script and style skipped", "<style>x{}</style><script>y()</script>z", "z"},
		{"unclosed tags", "<div><p>text", "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlToText(tt.in); got != tt.want {
				t.Errorf("htmlToText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, ingest.File{Path: "/x.eml", Data: []byte("From: a@b\n\nx")}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestMessageIDIsTheDocumentID(t *testing.T) {
	parse := func(msg string) string {
		t.Helper()
		docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/x.eml", Data: []byte(msg)}, ingest.DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		return docs[0].ID
	}
	a := parse("Message-ID: <ABC.123@Example.COM>\nFrom: a@example.com\nSubject: one\n\nbody\n")
	b := parse("Message-Id:   abc.123@example.com  \nFrom: a@example.com\nSubject: one (copy in another folder)\n\nbody\n")
	if a == "" || a != b {
		t.Errorf("the same Message-ID written two ways gives IDs %q and %q, want one", a, b)
	}
	if c := parse("Message-ID: <other@example.com>\nFrom: a@example.com\n\nbody\n"); c == a {
		t.Error("different Message-IDs give the same ID")
	}
	if id := parse("From: a@example.com\nSubject: no id\n\nbody\n"); id != "" {
		t.Errorf("ID without a Message-ID = %q, want empty (the pipeline names it by path)", id)
	}
}

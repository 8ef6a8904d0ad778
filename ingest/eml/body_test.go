package eml

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/ingest"
)

func TestBodyParts(t *testing.T) {
	tests := []struct {
		name    string
		msg     string
		want    []string
		notWant []string
	}{
		{
			name: "html beside plain in mixed is indexed",
			msg:  "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nplainword\n--b\nContent-Type: text/html\n\n<p>htmlword <b>bold</b></p>\n--b--\n",
			want: []string{"plainword", "htmlword bold"},
		},
		{
			name:    "alternative stays one body",
			msg:     "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\nplainword\n--b\nContent-Type: text/html\n\n<p>htmlonly</p>\n--b--\n",
			want:    []string{"plainword"},
			notWant: []string{"htmlonly"},
		},
		{
			name: "alternative with an empty plain part takes the html",
			msg:  "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n \n--b\nContent-Type: text/html\n\n<p>htmlword</p>\n--b--\n",
			want: []string{"htmlword"},
		},
		{
			name:    "alternative inside mixed, then an html part",
			msg:     "Content-Type: multipart/mixed; boundary=o\n\n--o\nContent-Type: multipart/alternative; boundary=i\n\n--i\nContent-Type: text/plain\n\nfirstplain\n--i\nContent-Type: text/html\n\n<p>firsthtml</p>\n--i--\n--o\nContent-Type: text/html\n\n<div>secondhtml</div>\n--o--\n",
			want:    []string{"firstplain", "secondhtml"},
			notWant: []string{"firsthtml"},
		},
		{
			name: "html only",
			msg:  "Content-Type: text/html\n\n<html><body>onlyhtml</body></html>\n",
			want: []string{"onlyhtml"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/x.eml", Data: []byte("From: a@x.example\nSubject: s\nMIME-Version: 1.0\n" + tt.msg)}, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			body := docs[0].Body
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("body %q lacks %q", body, w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(body, w) {
					t.Errorf("body %q holds %q", body, w)
				}
			}
		})
	}
}

func TestMessageDates(t *testing.T) {
	mtime := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name, header string
		want         time.Time
		unreadable   bool
	}{
		{"Python-style AM/PM with a named zone", "Date: Sat 12 Oct 2019 07:41:02 PM EDT\n", time.Date(2019, 10, 12, 23, 41, 2, 0, time.UTC), false},
		{"two-digit year", "Date: 5 Jan 98 10:00 +0200\n", time.Date(1998, 1, 5, 8, 0, 0, 0, time.UTC), false},
		{"unreadable date is no date", "Date: sometime last week\n", time.Time{}, true},
		{"no date field", "", time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/x.eml", ModTime: mtime, Data: []byte("From: a@x.example\nSubject: s\n" + tt.header + "\nbody\n")}, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			if !d.Date.Equal(tt.want) {
				t.Errorf("Date = %v, want %v", d.Date, tt.want)
			}
			if got := d.Meta[MetaUnreadableDate] != ""; got != tt.unreadable {
				t.Errorf("unreadable = %v, want %v", got, tt.unreadable)
			}
		})
	}
}

func TestHugeHeaderIsCut(t *testing.T) {
	tests := map[string]string{
		"many fields": strings.Repeat("Received: from relay.example.org by mx.example.org\n", 60_000),
		"one line":    "X-Junk: " + strings.Repeat("y", 3<<20) + "\n",
		"folded":      "X-Junk: a\n" + strings.Repeat(" continued\n", 300_000),
	}
	for name, junk := range tests {
		t.Run(name, func(t *testing.T) {
			data := "From: a@x.example\nSubject: Big header\n" + junk + "\nthe body survives\n"
			docs, err := New().Parse(context.Background(), ingest.File{Path: "/m/x.eml", Data: []byte(data)}, ingest.DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			d := docs[0]
			if d.Title != "Big header" || !strings.Contains(d.Body, "the body survives") || !strings.Contains(d.Meta[ingest.MetaCut], "header is larger") {
				t.Errorf("title %q, body %.60q, cut %q", d.Title, d.Body, d.Meta[ingest.MetaCut])
			}
		})
	}
}

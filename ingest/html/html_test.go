package html

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

func parseFile(t testing.TB, name string) (document.Document, error) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := New().Parse(context.Background(), ingest.File{Path: "/web/" + name, Data: data}, ingest.DefaultLimits())
	if err != nil {
		return document.Document{}, err
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	return docs[0], nil
}

func TestParse(t *testing.T) {
	tests := []struct {
		file         string
		wantTitle    string
		wantBody     []string // substrings that must be there
		wantNot      []string // substrings that must not
		wantHeadings []string
		wantDate     string
		wantMeta     map[string]string
	}{
		{
			file:         "article.html",
			wantTitle:    "Moving the Team to Berlin – Engram Blog",
			wantBody:     []string{"In March we decided to move the whole team to Berlin.", "Rents were lower & the office", "cheaper rent\ndirect trains", "April\t12,000 €", "© 2023 Engram"},
			wantNot:      []string{"analytics", "pageview", "font-family", "Home", "About"},
			wantHeadings: []string{"Moving the Team to Berlin", "Why Berlin?", "What we learned"},
			wantDate:     "2023-11-14T09:30:00+01:00",
			wantMeta:     map[string]string{"author": "Anna Schmidt", "description": "Why we moved and what we learned."},
		},
		{
			file:      "latin1.html",
			wantTitle: "Café crème",
			wantBody:  []string{"Der Bäcker in Köln verkauft Brötchen"},
			wantMeta:  map[string]string{"encoding": "windows-1252"},
		},
		{
			file:      "http_equiv.html",
			wantTitle: "Façade",
			wantBody:  []string{"“Smart quotes” and naïve résumés"},
			wantMeta:  map[string]string{"encoding": "windows-1252"},
		},
		{
			file:      "no_charset_latin1.html",
			wantTitle: "Menu",
			wantBody:  []string{"Garçon, à la carte"},
			wantMeta:  map[string]string{"encoding": "windows-1252"},
		},
		{
			file:      "no_charset_utf8.html",
			wantTitle: "Menu",
			wantBody:  []string{"Garçon, à la carte — 日本"},
		},
		{
			file:      "declared_latin1_but_utf8.html",
			wantTitle: "Straße",
			wantBody:  []string{"Müller wohnt in der Hauptstraße."},
		},
		{
			file:         "shift_jis.html",
			wantTitle:    "会議のメモ",
			wantBody:     []string{"来週の会議は木曜日です。"},
			wantHeadings: []string{"議事録"},
			wantMeta:     map[string]string{"encoding": "shift_jis"},
		},
		{
			file:      "utf16.html",
			wantTitle: "Wide",
			wantBody:  []string{"UTF-16 text: été"},
			wantMeta:  map[string]string{"encoding": "utf-16le"},
		},
		{
			file:      "page.xhtml",
			wantTitle: "Grüße",
			wantBody:  []string{"Schöne Grüße aus München"},
			wantDate:  "2021-06-01T00:00:00Z",
			wantMeta:  map[string]string{"encoding": "windows-1252"},
		},
		{
			file:         "h1_only.html",
			wantTitle:    "Reading list",
			wantBody:     []string{"Books for the summer."},
			wantHeadings: []string{"Reading list"},
		},
		{
			file:      "bare.html",
			wantTitle: "bare",
			wantBody:  []string{"Just a fragment, no title."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			d, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Source != Kind {
				t.Errorf("Source = %q, want %q", d.Source, Kind)
			}
			if d.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", d.Title, tt.wantTitle)
			}
			for _, s := range tt.wantBody {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Body = %q, want %q in it", d.Body, s)
				}
			}
			for _, s := range tt.wantNot {
				if strings.Contains(d.Body, s) {
					t.Errorf("Body = %q, want no %q in it", d.Body, s)
				}
			}
			if !reflect.DeepEqual(d.Headings, tt.wantHeadings) {
				t.Errorf("Headings = %q, want %q", d.Headings, tt.wantHeadings)
			}
			if got := d.Date.Format(time.RFC3339); tt.wantDate != "" && got != tt.wantDate || tt.wantDate == "" && !d.Date.IsZero() {
				t.Errorf("Date = %v, want %q", d.Date, tt.wantDate)
			}
			if !reflect.DeepEqual(d.Meta, tt.wantMeta) {
				t.Errorf("Meta = %v, want %v", d.Meta, tt.wantMeta)
			}
		})
	}
}

func TestRejected(t *testing.T) {
	tests := []struct {
		file    string
		wantErr error
		want    string
	}{
		{"binary.html", ingest.ErrBadInput, "binary data"},
		{"script_only.html", ingest.ErrSkipped, "no readable text"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, err := parseFile(t, tt.file)
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %v with %q", err, tt.wantErr, tt.want)
			}
		})
	}
}

func TestDate(t *testing.T) {
	tests := []struct {
		name string
		meta map[string]string
		want string
	}{
		{"article time wins", map[string]string{"date": "2020-01-01", "article:published_time": "2021-02-03T04:05:06Z"}, "2021-02-03T04:05:06Z"},
		{"date only", map[string]string{"date": "2019-07-08"}, "2019-07-08T00:00:00Z"},
		{"written out", map[string]string{"dc.date": "March 4, 2018"}, "2018-03-04T00:00:00Z"},
		{"unparseable then modified", map[string]string{"date": "last week", "article:modified_time": "2017-05-06 07:08:09"}, "2017-05-06T07:08:09Z"},
		{"nothing", map[string]string{"date": "soon"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := date(tt.meta)
			if tt.want == "" {
				if !got.IsZero() {
					t.Fatalf("date = %v, want none", got)
				}
				return
			}
			if got.Format(time.RFC3339) != tt.want {
				t.Fatalf("date = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, ingest.File{Path: "/x.html", Data: []byte("<p>x</p>")}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRegister(t *testing.T) {
	reg := ingest.NewRegistry()
	Register(reg)
	for _, ext := range []string{".html", ".HTM", ".xhtml"} {
		if _, kind, ok := reg.Lookup(ext); !ok || kind != Kind {
			t.Errorf("Lookup(%q) = %q, %v", ext, kind, ok)
		}
	}
}

// FuzzHTML checks that no input makes the parser panic, that it fails only
// with ErrBadInput or ErrSkipped, and that what it returns is UTF-8.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{"<title>t</title><p>x</p>", "<meta charset=latin1>\xe9", "\xff\xfe<\x00p\x00>\x00"} {
		f.Add([]byte(s))
	}
	p := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := p.Parse(context.Background(), ingest.File{Path: "/fuzz.html", Data: data}, ingest.DefaultLimits())
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
			}
			return
		}
		if len(docs) != 1 {
			t.Fatalf("got %d documents", len(docs))
		}
		d := docs[0]
		if d.Title == "" || d.Body == "" {
			t.Fatalf("empty title %q or body %q", d.Title, d.Body)
		}
		for _, s := range append([]string{d.Title, d.Body}, d.Headings...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
	})
}

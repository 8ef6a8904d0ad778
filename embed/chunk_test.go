package embed

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
)

func passages(cs []Chunk) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Passage
	}
	return out
}

func TestChunks(t *testing.T) {
	long := strings.Repeat("Word after word makes a sentence. ", 100) // 3,400 bytes
	for _, tc := range []struct {
		name string
		doc  document.Document
		want []string
	}{
		{
			name: "paragraphs are packed into one passage",
			doc:  document.Document{Title: "T", Body: "One.\n\nTwo.\n"},
			want: []string{"One.\n\nTwo."},
		},
		{
			name: "headings start sections",
			doc:  document.Document{Title: "Plan", Body: "Plan\n\nIntro text.\n\nQ3\n\nWe hire three engineers.\n", Headings: []string{"Plan", "Q3"}},
			want: []string{"Intro text.", "We hire three engineers."},
		},
		{
			name: "markdown heading lines start sections",
			doc:  document.Document{Title: "N", Body: "# A\nfirst\n## B\nsecond\n"},
			want: []string{"first", "second"},
		},
		{
			name: "mail quotes and forwarded parts are dropped",
			doc: document.Document{Source: document.SourceEmail, Title: "Re: lunch",
				Body: "Friday works.\n\nOn Mon, Ann wrote:\n> shall we meet?\n> at noon\n\nThanks\n-----Original Message-----\nFrom: Ann\nold text\n"},
			want: []string{"Friday works.\n\nThanks"},
		},
		{
			name: "a long paragraph is cut at sentence ends",
			doc:  document.Document{Title: "L", Body: long},
			want: nil, // checked by bounds below
		},
		{
			name: "title only",
			doc:  document.Document{Title: "Just a title"},
			want: []string{"Just a title"},
		},
		{
			name: "nothing",
			doc:  document.Document{},
			want: []string{},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := Chunks(&tc.doc, ChunkOptions{})
			if tc.want != nil && !slices.Equal(passages(cs), tc.want) {
				t.Fatalf("passages %q, want %q", passages(cs), tc.want)
			}
			for _, c := range cs {
				if len(c.Passage) > 1200 || c.Hash != HashText(c.Text) || !strings.Contains(c.Text, c.Passage) {
					t.Fatalf("chunk out of bounds or mis-hashed: %d bytes", len(c.Passage))
				}
				if tc.doc.Title != "" && !strings.HasPrefix(c.Text, tc.doc.Title) {
					t.Fatalf("chunk text %q lacks the title", c.Text)
				}
			}
			if tc.name == "a long paragraph is cut at sentence ends" {
				if len(cs) < 3 {
					t.Fatalf("%d chunks for 3,400 bytes", len(cs))
				}
				for _, c := range cs {
					if !strings.HasSuffix(c.Passage, ".") {
						t.Fatalf("cut inside a sentence: %q", c.Passage[len(c.Passage)-20:])
					}
				}
			}
		})
	}
}

func TestChunksBounded(t *testing.T) {
	d := document.Document{Title: "big", Body: strings.Repeat("para graph text here\n\n", 20000)}
	if cs := Chunks(&d, ChunkOptions{MaxChunks: 10, MaxChars: 300}); len(cs) != 10 {
		t.Fatalf("%d chunks, want the bound of 10", len(cs))
	}
}

func FuzzChunks(f *testing.F) {
	f.Add("Title", "# H\nbody\n\n> quote\n", true)
	f.Add("", strings.Repeat("x", 5000), false)
	f.Add("日本", "東京オフィスは渋谷にあります。会議室の予約が必要です。", false)
	f.Fuzz(func(t *testing.T, title, body string, mail bool) {
		d := document.Document{Title: title, Body: body, Headings: []string{"H"}}
		if mail {
			d.Source = document.SourceEmail
		}
		opts := ChunkOptions{MaxChars: 200, MaxChunks: 50}
		cs := Chunks(&d, opts)
		if len(cs) > 50 {
			t.Fatalf("%d chunks over the bound", len(cs))
		}
		for _, c := range cs {
			if c.Passage == "" || len(c.Passage) > 200 && c.Passage != oneLine(title, 200) {
				t.Fatalf("passage of %d bytes", len(c.Passage))
			}
			if utf8.ValidString(title) && utf8.ValidString(body) && !utf8.ValidString(c.Text) {
				t.Fatalf("valid input gave invalid UTF-8 %q", c.Text)
			}
		}
		if again := Chunks(&d, opts); !slices.Equal(passages(again), passages(cs)) {
			t.Fatal("not deterministic")
		}
	})
}

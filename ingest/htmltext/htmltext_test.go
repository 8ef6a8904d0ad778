package htmltext

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"paragraphs", "<p>One</p><p>Two</p>", "One\n\nTwo"},
		{"inline whitespace", "a  <b>bold</b>\n  text", "a bold text"},
		{"br", "line1<br>line2", "line1\nline2"},
		{"pre kept", "<pre>a\n  b</pre>", "a\n  b"},
		{"entities", "&lt;tag&gt; &eacute;", "<tag> é"},
		{"script and style skipped", "<style>x{}</style><script>y()</script>z", "z"},
		{"head skipped", "<html><head><title>T</title><meta name=x content=y></head><body>b</body></html>", "b"},
		{"unclosed tags", "<div><p>text", "text"},
		{"table cells", "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a\tb\nc"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{"nav kept without SkipNav", "<nav>Home</nav><p>x</p>", "Home\nx"},
		{"blank lines folded", "<p>a</p><p></p><p></p><div></div><p>b</p>", "a\n\nb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		opts     Options
		want     Page
		wantText string
	}{
		{
			name: "title headings meta",
			in: `<!doctype html><html><head><title>  My
				Page </title><meta charset="utf-8"><meta name="Author" content="Ada">
				<meta property="article:published_time" content="2024-01-02T03:04:05Z"></head>
				<body><h1>Main <em>idea</em></h1><p>text</p><h3>Sub</h3></body></html>`,
			want: Page{
				Title:    "My Page",
				Headings: []Heading{{1, "Main idea"}, {3, "Sub"}},
				Meta:     map[string]string{"charset": "utf-8", "author": "Ada", "article:published_time": "2024-01-02T03:04:05Z"},
			},
			wantText: "Main idea\ntext\n\nSub",
		},
		{
			name:     "nav skipped",
			in:       `<body><nav><a>Home</a> <h2>Menu</h2></nav><main><h1>Story</h1><p>Once</p></main></body>`,
			opts:     Options{SkipNav: true},
			want:     Page{Headings: []Heading{{1, "Story"}}},
			wantText: "Story\nOnce",
		},
		{
			name:     "unclosed nav ends at main",
			in:       `<body><nav><a>Home</a><main><p>Content survives</p></main>`,
			opts:     Options{SkipNav: true},
			wantText: "Content survives",
		},
		{
			name:     "unclosed heading ends at the next one",
			in:       `<h1>One<h2>Two</h2>`,
			want:     Page{Headings: []Heading{{1, "One"}, {2, "Two"}}},
			wantText: "One\nTwo",
		},
		{
			name:     "first title wins",
			in:       `<title>A</title><title>B</title>x`,
			want:     Page{Title: "A"},
			wantText: "x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Extract(strings.NewReader(tt.in), tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got.Text != tt.wantText {
				t.Errorf("Text = %q, want %q", got.Text, tt.wantText)
			}
			got.Text = ""
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Extract = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	var b strings.Builder
	for range 2000 {
		b.WriteString(`<meta name="k` + strings.Repeat("x", 3) + `" content="v"><h2>` + strings.Repeat("long ", 200) + `</h2>`)
	}
	b.WriteString(`<title>` + strings.Repeat("é", 1000) + `</title>`)
	p, _ := Extract(strings.NewReader(b.String()), Options{})
	if len(p.Headings) != maxHeadings {
		t.Errorf("%d headings kept, want %d", len(p.Headings), maxHeadings)
	}
	if n := utf8.RuneCountInString(p.Headings[0].Text); n > maxHeadingRunes {
		t.Errorf("heading of %d runes kept, want at most %d", n, maxHeadingRunes)
	}
	if n := utf8.RuneCountInString(p.Title); n != maxHeadingRunes || !utf8.ValidString(p.Title) {
		t.Errorf("title of %d runes (valid %v), want %d", n, utf8.ValidString(p.Title), maxHeadingRunes)
	}
}

// FuzzText checks that no input makes the converter panic and that its
// output is valid UTF-8 when its input is.
func FuzzText(f *testing.F) {
	for _, s := range []string{"<p>a</p>", "<title>t</title><h1>x", "<nav><pre>\n</pre>", "<meta name=a content=b>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Extract(strings.NewReader(s), Options{SkipNav: true})
		if err != nil {
			t.Fatal(err)
		}
		if utf8.ValidString(s) {
			for _, out := range []string{p.Text, p.Title} {
				if !utf8.ValidString(out) {
					t.Fatalf("invalid UTF-8 %q from valid input", out)
				}
			}
		}
	})
}

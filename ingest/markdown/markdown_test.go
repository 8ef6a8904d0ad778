package markdown

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// parse runs the parser on data as if it were the file at path.
func parse(tb testing.TB, path string, data []byte) (document.Document, error) {
	tb.Helper()
	docs, err := New().Parse(context.Background(), ingest.File{Path: path, Data: data}, ingest.DefaultLimits())
	if err != nil {
		return document.Document{}, err
	}
	if len(docs) != 1 {
		tb.Fatalf("Parse(%s) returned %d documents, want 1", path, len(docs))
	}
	return docs[0], nil
}

func parseFile(tb testing.TB, name string) document.Document {
	tb.Helper()
	path := filepath.Join("testdata", name)
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	abs, _ := filepath.Abs(path)
	doc, err := parse(tb, abs, data)
	if err != nil {
		tb.Fatalf("Parse(%s): %v", name, err)
	}
	return doc
}

func TestVaultNotes(t *testing.T) {
	tests := []struct {
		file     string
		title    string
		tags     []string
		headings []string
		links    []document.Link
		body     []string // substrings the body must contain
		notBody  []string
	}{
		{
			file:     "vault/東京メモ.md",
			title:    "東京メモ",
			tags:     []string{"旅行", "日本語"},
			headings: []string{"東京の旅行"},
			links:    []document.Link{{Target: "京都メモ", Alias: "京都"}},
			body:     []string{"浅草寺に行きました。京都も行きたい。"},
			notBody:  []string{"[[", "|"},
		},
		{
			file:     "vault/知识管理.md",
			title:    "知识管理",
			tags:     []string{"笔记", "学习"},
			headings: []string{"知识管理的方法"},
			links:    []document.Link{{Target: "第二大脑"}},
			body:     []string{"卡片盒笔记法（Zettelkasten）很有用。参见 第二大脑。"},
			notBody:  []string{"tags:", "##"},
		},
		{
			file:     "vault/Notizen über Köln.md",
			title:    "Notizen über Köln",
			tags:     []string{"reise/köln"},
			headings: []string{"Köln im Frühling"},
			body:     []string{"Der Dom ist größer als gedacht. Straßenbahn fährt über die Brücke."},
		},
		{
			file:     "vault/Réunion d'équipe.md",
			title:    "Réunion d'équipe",
			headings: []string{"Ordre du jour"},
			links:    []document.Link{{Target: "Compte rendu", Alias: "le compte rendu"}},
			body:     []string{"Présentation de l'équipe et café à l'hôtel. Voir le compte rendu."},
			notBody:  []string{"created:"},
		},
		{
			file:  "vault/Daily Review.md",
			title: "Daily Review",
			// Front matter tags first, then inline ones; lower-cased, no '#', no duplicates.
			tags:     []string{"journal", "work/planning", "meeting"},
			headings: []string{"Morning", "Evening"},
			links: []document.Link{
				{Target: "Anna Schmidt"},
				{Target: "Project Atlas", Heading: "Timeline", Alias: "the timeline"},
				{Target: "Projekte/Roadmap"},
				{Target: "whiteboard.png", Embed: true},
				{Target: "Meeting Notes", Heading: "Decisions", Embed: true},
				{Target: "Other Note", Alias: "the spec"},
				{Target: "Design Doc", Heading: "Open questions", Alias: "a section"},
				{Target: "Bob", Alias: "Robert"},
			},
			body: []string{
				"Met with Anna Schmidt about the timeline.",
				`fmt.Println("code stays searchable")`,
				"// [[Not A Link]] #notatag",
				"Drink water and rest.",
				"HTML bold text",
				"Robert",
			},
			notBody: []string{"---", "**", "](", "<div", "<b>", "alert(1)", "[!tip]", "title:", "mood:"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			doc := parseFile(t, tt.file)
			if doc.Source != document.SourceMarkdown {
				t.Errorf("Source = %q", doc.Source)
			}
			if doc.Title != tt.title {
				t.Errorf("Title = %q, want %q", doc.Title, tt.title)
			}
			if !reflect.DeepEqual(doc.Tags, tt.tags) {
				t.Errorf("Tags = %q, want %q", doc.Tags, tt.tags)
			}
			if !reflect.DeepEqual(doc.Headings, tt.headings) {
				t.Errorf("Headings = %q, want %q", doc.Headings, tt.headings)
			}
			if !reflect.DeepEqual(doc.Links, tt.links) {
				t.Errorf("Links =\n%+v\nwant\n%+v", doc.Links, tt.links)
			}
			for _, s := range tt.body {
				if !strings.Contains(doc.Body, s) {
					t.Errorf("Body lacks %q:\n%s", s, doc.Body)
				}
			}
			for _, s := range tt.notBody {
				if strings.Contains(doc.Body, s) {
					t.Errorf("Body contains %q:\n%s", s, doc.Body)
				}
			}
		})
	}
}

func TestDailyReviewFrontMatter(t *testing.T) {
	doc := parseFile(t, "vault/Daily Review.md")
	if want := []string{"Daily Review 2024-03-01", "Review", "Tagesrückblick"}; !reflect.DeepEqual(doc.Aliases, want) {
		t.Errorf("Aliases = %q, want %q", doc.Aliases, want)
	}
	if y, m, d := doc.Date.Date(); y != 2024 || m != time.March || d != 1 {
		t.Errorf("Date = %v, want 2024-03-01", doc.Date)
	}
	if doc.Meta["mood"] != "good" || doc.Meta["rating"] != "4" {
		t.Errorf("Meta = %v, want mood and rating", doc.Meta)
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		title    string
		tags     []string
		aliases  []string
		date     string // 2006-01-02 15:04 in local time, "" for none
		meta     map[string]string
		body     string
		fmErrors bool
	}{
		{
			name:  "tags list with hashes",
			src:   "---\ntags:\n  - '#Alpha'\n  - beta/Gamma\n---\ntext",
			title: "note", tags: []string{"alpha", "beta/gamma"}, body: "text",
		},
		{
			name:  "tags comma string",
			src:   "---\ntags: one, Two,three\n---\ntext",
			title: "note", tags: []string{"one", "two", "three"}, body: "text",
		},
		{
			name:  "tags space string",
			src:   "---\ntags: one two\n---\ntext",
			title: "note", tags: []string{"one", "two"}, body: "text",
		},
		{
			name:  "single tag key",
			src:   "---\ntag: solo\n---\ntext",
			title: "note", tags: []string{"solo"}, body: "text",
		},
		{
			name:  "alias string",
			src:   "---\nalias: Other Name\n---\ntext",
			title: "note", aliases: []string{"Other Name"}, body: "text",
		},
		{
			name:  "aliases list and title",
			src:   "---\ntitle: Real Title\naliases:\n  - A\n  - B\n---\ntext",
			title: "note", aliases: []string{"Real Title", "A", "B"}, body: "text",
		},
		{
			name:  "quoted date with time",
			src:   "---\ndate: \"2021-07-04 18:30\"\n---\ntext",
			title: "note", date: "2021-07-04 18:30", meta: map[string]string{"date": "2021-07-04 18:30"}, body: "text",
		},
		{
			name:  "created german date",
			src:   "---\ncreated: 15.11.2023\n---\ntext",
			title: "note", date: "2023-11-15 00:00", meta: map[string]string{"created": "15.11.2023"}, body: "text",
		},
		{
			name:  "scalars into meta, nested maps dropped",
			src:   "---\nauthor: Ada\ndraft: true\nnested:\n  a: 1\n---\ntext",
			title: "note", meta: map[string]string{"author": "Ada", "draft": "true"}, body: "text",
		},
		{
			name:  "empty front matter",
			src:   "---\n---\ntext",
			title: "note", body: "text",
		},
		{
			name:  "CRLF line ends",
			src:   "---\r\ntags: [x]\r\n---\r\ntext\r\n",
			title: "note", tags: []string{"x"}, body: "text",
		},
		{
			name:     "malformed yaml is kept as text",
			src:      "---\ntitle: [unclosed\n---\nBody after.",
			title:    "note",
			body:     "title: [unclosed\nBody after.",
			fmErrors: true,
		},
		{
			name:  "not closed is a thematic break",
			src:   "---\nJust text without a closing fence.",
			title: "note", body: "Just text without a closing fence.",
		},
		{
			name:  "front matter must be at the very start",
			src:   "intro\n\n---\ntags: [x]\n---\n",
			title: "note", body: "intro\ntags: [x]",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parse(t, "/vault/note.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Title != tt.title {
				t.Errorf("Title = %q, want %q", doc.Title, tt.title)
			}
			if !reflect.DeepEqual(doc.Tags, tt.tags) {
				t.Errorf("Tags = %q, want %q", doc.Tags, tt.tags)
			}
			if !reflect.DeepEqual(doc.Aliases, tt.aliases) {
				t.Errorf("Aliases = %q, want %q", doc.Aliases, tt.aliases)
			}
			gotDate := ""
			if !doc.Date.IsZero() {
				gotDate = doc.Date.In(time.Local).Format("2006-01-02 15:04")
			}
			if gotDate != tt.date {
				t.Errorf("Date = %q, want %q", gotDate, tt.date)
			}
			meta := map[string]string{}
			for k, v := range doc.Meta {
				if k != "frontmatter_error" {
					meta[k] = v
				}
			}
			if tt.meta == nil {
				tt.meta = map[string]string{}
			}
			if !reflect.DeepEqual(meta, tt.meta) {
				t.Errorf("Meta = %v, want %v", meta, tt.meta)
			}
			if _, ok := doc.Meta["frontmatter_error"]; ok != tt.fmErrors {
				t.Errorf("frontmatter_error present = %v, want %v (%v)", ok, tt.fmErrors, doc.Meta)
			}
			if doc.Body != tt.body {
				t.Errorf("Body = %q, want %q", doc.Body, tt.body)
			}
		})
	}
}

func TestInlineTags(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"simple", "a #tag here", []string{"tag"}},
		{"start of line and case", "#Project\n#project again", []string{"project"}},
		{"nested and dash and underscore", "#area/sub-topic #snake_case", []string{"area/sub-topic", "snake_case"}},
		{"unicode", "#日本語 #café #знания", []string{"日本語", "café", "знания"}},
		{"number suffix ok", "#y1984", []string{"y1984"}},
		{"pure number is not a tag", "issue #123 and #2024", nil},
		{"heading is not a tag", "# Heading\n## Sub", nil},
		{"tag inside heading text", "## Plan #todo", []string{"todo"}},
		{"code span", "use `#notatag` here", nil},
		{"code block", "```\n#notatag\n```\n\n    #indented", nil},
		{"url fragment", "see http://example.com/#anchor and http://x#y", nil},
		{"word with hash", "C# and a#b", nil},
		{"escaped", `\#nottag`, nil},
		{"trailing punctuation", "done #tag.", []string{"tag"}},
		{"in list", "- item #listtag", []string{"listtag"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parse(t, "/n.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Tags, tt.want) {
				t.Errorf("Tags = %q, want %q", doc.Tags, tt.want)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []document.Link
		body string
	}{
		{"plain", "[[Note]]", []document.Link{{Target: "Note"}}, "Note"},
		{"alias", "[[Note|shown]]", []document.Link{{Target: "Note", Alias: "shown"}}, "shown"},
		{"heading", "[[Note#Part]]", []document.Link{{Target: "Note", Heading: "Part"}}, "Note Part"},
		{"heading and alias", "[[Note#Part|here]]", []document.Link{{Target: "Note", Heading: "Part", Alias: "here"}}, "here"},
		{"same note heading is not a link", "[[#Local]]", nil, "Local"},
		{"folder path kept", "[[folder/Sub Note]]", []document.Link{{Target: "folder/Sub Note"}}, "folder/Sub Note"},
		{"embed", "![[Other]]", []document.Link{{Target: "Other", Embed: true}}, "Other"},
		{"image embed", "![[pic.png]]", []document.Link{{Target: "pic.png", Embed: true}}, "pic.png"},
		{"block reference", "[[Note#^abc123]]", []document.Link{{Target: "Note", Heading: "^abc123"}}, "Note ^abc123"},
		{"spaces trimmed", "[[ Note | alias ]]", []document.Link{{Target: "Note", Alias: "alias"}}, "alias"},
		{"unicode", "[[東京メモ]]", []document.Link{{Target: "東京メモ"}}, "東京メモ"},
		{"inline code ignored", "`[[Nope]]`", nil, "[[Nope]]"},
		{"fenced code ignored", "```\n[[Nope]]\n![[Nope2]]\n```", nil, "[[Nope]]\n![[Nope2]]"},
		{"empty is not a link", "[[]] and [[ ]]", nil, "[[]] and [[ ]]"},
		{"unclosed is text", "[[Open", nil, "[[Open"},
		{"markdown link to md", "[text](Other%20Note.md)", []document.Link{{Target: "Other Note", Alias: "text"}}, "text"},
		{"markdown link with heading", "[Other](Other.md#Some%20Part)", []document.Link{{Target: "Other", Heading: "Some Part"}}, "Other"},
		{"markdown link to web page ignored", "[web](https://example.com/a.md)", nil, "web"},
		{"markdown link to image ignored", "[img](pic.png)", nil, "img"},
		{"markdown anchor ignored", "[up](#top)", nil, "up"},
		{"two on a line", "[[A]] and [[B|b]]", []document.Link{{Target: "A"}, {Target: "B", Alias: "b"}}, "A and b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parse(t, "/n.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Links, tt.want) {
				t.Errorf("Links = %+v, want %+v", doc.Links, tt.want)
			}
			if doc.Body != tt.body {
				t.Errorf("Body = %q, want %q", doc.Body, tt.body)
			}
		})
	}
}

func TestBodyAndHeadings(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		body     string
		headings []string
	}{
		{"emphasis removed", "Some **bold**, _it_ and ~~gone~~ text.", "Some bold, it and gone text.", nil},
		{"setext and atx", "Title\n=====\n\n### Third *level*\n\ntext", "Title\nThird level\ntext", []string{"Title", "Third level"}},
		{"entities and escapes", `Tom &amp; Jerry \*not em\*`, "Tom & Jerry *not em*", nil},
		{"inline html stripped", "a <span>b</span> c", "a b c", nil},
		{"task list", "- [ ] todo\n- [x] done", "todo\ndone", nil},
		{"autolink", "<https://example.com>", "https://example.com", nil},
		{"image alt", "![a cat](cat.png)", "a cat", nil},
		{"callout", "> [!warning]- Careful\n> hot", "Careful\nhot", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := parse(t, "/n.md", []byte(tt.src))
			if err != nil {
				t.Fatal(err)
			}
			if doc.Body != tt.body {
				t.Errorf("Body = %q, want %q", doc.Body, tt.body)
			}
			if !reflect.DeepEqual(doc.Headings, tt.headings) {
				t.Errorf("Headings = %q, want %q", doc.Headings, tt.headings)
			}
		})
	}
}

func TestBadInput(t *testing.T) {
	tests := []struct {
		name string
		file string
	}{
		{"binary", "binary.md"},
		{"invalid utf-8", "invalid-utf8.md"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			_, err = parse(t, "/"+tt.file, data)
			if !errors.Is(err, ingest.ErrBadInput) {
				t.Fatalf("err = %v, want ErrBadInput", err)
			}
		})
	}
}

func TestBOMAndNFCTitle(t *testing.T) {
	// "Café" with a decomposed é, as macOS may name files.
	doc, err := parse(t, "/vault/Cafe\u0301.md", []byte("\xEF\xBB\xBF# Hi"))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Café" {
		t.Errorf("Title = %q, want NFC %q", doc.Title, "Café")
	}
	if doc.Body != "Hi" {
		t.Errorf("Body = %q", doc.Body)
	}
}

func TestCancelledContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, ingest.File{Path: "/n.md", Data: []byte("text")}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestExtensionsAndKind(t *testing.T) {
	r := ingest.NewRegistry()
	r.Register(Kind, Extensions(), New())
	if _, kind, ok := r.Lookup(".MD"); !ok || kind != Kind {
		t.Fatalf("Lookup(.MD) = %q, %v", kind, ok)
	}
	if _, _, ok := r.Lookup(".markdown"); !ok {
		t.Fatal("Lookup(.markdown) failed")
	}
}

func TestMarkdownSourceKept(t *testing.T) {
	src := "---\ntitle: Trip\ntags: [travel]\n---\n# Plan\n\n- take the **ferry**\n- see [[Harbour]]\n"
	doc, err := parse(t, "/vault/trip.md", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if want := "# Plan\n\n- take the **ferry**\n- see [[Harbour]]\n"; doc.Markdown != want {
		t.Errorf("Markdown = %q, want the source without front matter %q", doc.Markdown, want)
	}
	if strings.Contains(doc.Body, "**") {
		t.Errorf("Body keeps markup: %q", doc.Body)
	}
}

// TestLinksAreCappedAndTheCutSaid: a note of 100,000 links to distinct
// notes (the class that made an import take minutes in the graph) keeps its
// first MaxLinks, in order, says so on the document, and keeps every link's
// text searchable; a note at the cap is not cut.
func TestLinksAreCappedAndTheCutSaid(t *testing.T) {
	for _, c := range []struct {
		name   string
		n      int
		tooMny bool // "too complex" for goldmark: the plain-text path
	}{{"markdown path", 100_000, false}, {"at the cap", MaxLinks, false}, {"plain-text path", 100_000, true}} {
		t.Run(c.name, func(t *testing.T) {
			var b strings.Builder
			for i := range c.n {
				fmt.Fprintf(&b, "[[Note %d]] ", i)
				if c.tooMny && i%100 == 0 {
					b.WriteString(strings.Repeat("*_", 50) + "\n")
				}
			}
			doc, err := parse(t, "big.md", []byte(b.String()))
			if err != nil {
				t.Fatal(err)
			}
			want := min(c.n, MaxLinks)
			if len(doc.Links) != want {
				t.Fatalf("%d links kept, want %d", len(doc.Links), want)
			}
			if doc.Links[0].Target != "Note 0" || doc.Links[want-1].Target != fmt.Sprintf("Note %d", want-1) {
				t.Fatalf("links kept are not the first ones: %q .. %q", doc.Links[0].Target, doc.Links[want-1].Target)
			}
			cut := doc.Meta[ingest.MetaCut]
			if c.n > MaxLinks && !strings.Contains(cut, fmt.Sprintf("%d links", c.n)) {
				t.Fatalf("cut note %q does not say how many links the note has", cut)
			}
			if c.n <= MaxLinks && cut != "" {
				t.Fatalf("a note at the cap was cut: %q", cut)
			}
			if last := fmt.Sprintf("Note %d", c.n-1); !strings.Contains(doc.Body, last) {
				t.Fatalf("the text of the last link %q is not in the body", last)
			}
		})
	}
}

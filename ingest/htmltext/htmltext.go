// Package htmltext turns HTML into readable plain text: text nodes with white
// space collapsed, a line break for each block element, a blank line after a
// paragraph, table cells separated by tabs, and no script, style or head
// content. Along the way it collects what an importer wants to know about a
// page: its <title>, its h1-h6 headings and its <meta> values.
//
// It reads with golang.org/x/net/html's tokenizer, which never fails on
// malformed markup and keeps no tree, so memory stays proportional to the
// text. The email importer (HTML bodies) and the HTML file importer share it.
package htmltext

import (
	"io"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Limits on what a page may contribute besides its text, so that a hostile
// page cannot make the collected metadata grow without bound.
const (
	maxMeta         = 64   // <meta> entries kept
	maxMetaRunes    = 1000 // runes kept of one meta value
	maxHeadings     = 1000 // headings kept
	maxHeadingRunes = 300  // runes kept of one heading or the title
)

// Options say what to leave out of the text.
type Options struct {
	// SkipNav leaves out <nav> blocks (site menus, breadcrumbs). A <nav>
	// left open ends at the next <main>, <article> or </body>, so a
	// malformed page does not lose its content.
	SkipNav bool
}

// Heading is one h1-h6 element.
type Heading struct {
	Level int    // 1 to 6
	Text  string // white space collapsed
}

// Page is what Extract finds in an HTML document.
type Page struct {
	Title    string            // the <title>, white space collapsed
	Headings []Heading         // in document order, outside skipped blocks
	Meta     map[string]string // <meta name|property=K content=V>, K lower-cased; first wins
	Text     string            // the readable text
}

// Text returns the readable text of an HTML document or fragment.
func Text(src string) string {
	p, _ := Extract(strings.NewReader(src), Options{})
	return p.Text
}

// Extract reads an HTML document from r, which must already be UTF-8 (see
// golang.org/x/net/html/charset for decoding), and returns its text, title,
// headings and meta values. Malformed markup is read as a browser would read
// it as far as the text goes; the only error is one from r.
func Extract(r io.Reader, opts Options) (Page, error) {
	x := extractor{opts: opts}
	z := html.NewTokenizer(r)
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			x.endHeading()
			p := Page{Title: x.title, Headings: x.headings, Meta: x.meta, Text: finish(x.b.String())}
			if err := z.Err(); err != io.EOF {
				return p, err
			}
			return p, nil
		}
		x.token(z, tt)
	}
}

// extractor is the state of one Extract run.
type extractor struct {
	opts     Options
	b        strings.Builder
	skip     int  // depth inside script, style, head, title, noscript
	nav      int  // depth inside <nav> when SkipNav
	pre      int  // depth inside <pre>
	space    bool // a space is owed before the next word
	inTitle  bool
	title    string
	heading  *strings.Builder // the open heading's text, nil outside one
	level    int
	headings []Heading
	meta     map[string]string
}

func (x *extractor) token(z *html.Tokenizer, tt html.TokenType) {
	switch tt {
	case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
		nameB, hasAttr := z.TagName()
		name := string(nameB)
		start, end := tt == html.StartTagToken, tt == html.EndTagToken
		switch name {
		case "meta":
			if hasAttr && !end {
				x.addMeta(z)
			}
			return
		case "title":
			x.inTitle = start && x.title == ""
		case "nav":
			if x.opts.SkipNav {
				if start {
					x.nav++
				} else if end && x.nav > 0 {
					x.nav--
				}
				x.lineBreak()
				return
			}
		case "main", "article":
			if start {
				x.nav = 0
			}
		case "body", "html":
			if end {
				x.nav = 0
			}
		case "h1", "h2", "h3", "h4", "h5", "h6":
			if start {
				x.endHeading()
				if x.skip == 0 && x.nav == 0 {
					x.heading, x.level = &strings.Builder{}, int(name[1]-'0')
				}
			} else if end {
				x.endHeading()
			}
		}
		switch name {
		case "script", "style", "head", "title", "noscript":
			if start {
				x.skip++
			} else if end && x.skip > 0 {
				x.skip--
			}
			return
		case "pre":
			if start {
				x.pre++
			} else if end && x.pre > 0 {
				x.pre--
			}
		case "td", "th":
			if end {
				x.b.WriteByte('\t')
				x.space = false
			}
			return
		}
		if isBlock(name) {
			x.lineBreak()
			if name == "p" && end && !strings.HasSuffix(x.b.String(), "\n\n") {
				x.b.WriteByte('\n')
			}
		}
	case html.TextToken:
		if x.inTitle {
			x.title = clip(collapse(string(z.Text())), maxHeadingRunes)
			return
		}
		if x.skip > 0 || x.nav > 0 {
			return
		}
		t := string(z.Text())
		if x.heading != nil && x.heading.Len() < 4*maxHeadingRunes {
			x.heading.WriteString(t)
		}
		if x.pre > 0 {
			x.b.WriteString(t)
			x.space = false
			return
		}
		words := strings.Fields(t)
		if len(words) == 0 {
			x.space = x.space || t != ""
			return
		}
		if (x.space || isSpaceByte(t[0])) && x.b.Len() > 0 && !isSpaceByte(x.b.String()[x.b.Len()-1]) {
			x.b.WriteByte(' ')
		}
		x.b.WriteString(strings.Join(words, " "))
		x.space = isSpaceByte(t[len(t)-1])
	}
}

// lineBreak ends the current line, if one was started: the boundaries of
// nested and adjacent blocks make one line break, not one each.
func (x *extractor) lineBreak() {
	if x.b.Len() > 0 && x.b.String()[x.b.Len()-1] != '\n' {
		x.b.WriteByte('\n')
	}
	x.space = false
}

// endHeading records the open heading, if any and not empty.
func (x *extractor) endHeading() {
	if x.heading == nil {
		return
	}
	if t := clip(collapse(x.heading.String()), maxHeadingRunes); t != "" && len(x.headings) < maxHeadings {
		x.headings = append(x.headings, Heading{Level: x.level, Text: t})
	}
	x.heading = nil
}

func (x *extractor) addMeta(z *html.Tokenizer) {
	var key, content string
	for {
		k, v, more := z.TagAttr()
		switch string(k) {
		case "name", "property", "itemprop":
			if key == "" {
				key = strings.ToLower(strings.TrimSpace(string(v)))
			}
		case "http-equiv":
			if key == "" {
				key = "http-equiv:" + strings.ToLower(strings.TrimSpace(string(v)))
			}
		case "content":
			content = string(v)
		case "charset":
			key, content = "charset", string(v)
		}
		if !more {
			break
		}
	}
	content = clip(collapse(content), maxMetaRunes)
	if key == "" || content == "" {
		return
	}
	if x.meta == nil {
		x.meta = map[string]string{}
	}
	if _, ok := x.meta[key]; !ok && len(x.meta) < maxMeta {
		x.meta[key] = content
	}
}

var manyNewlines = regexp.MustCompile(`\n{3,}`)

// finish trims trailing blanks from every line and folds runs of blank
// lines into one.
func finish(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	out := strings.Join(lines, "\n")
	return strings.TrimSpace(manyNewlines.ReplaceAllString(out, "\n\n"))
}

// isBlock reports whether an element ends a line of text when it opens or
// closes.
func isBlock(name string) bool {
	switch name {
	case "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt",
		"fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4",
		"h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section",
		"table", "tbody", "tfoot", "thead", "tr", "ul":
		return true
	}
	return false
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n runes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for count := 0; i < len(s) && count < n; count++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

package eml

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

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

var manyNewlines = regexp.MustCompile(`\n{3,}`)

// htmlToText returns the readable text of an HTML body: text nodes with
// white space collapsed, a line break for each block element, table cells
// separated by tabs, and no script, style or head content.
func htmlToText(src string) string {
	z := html.NewTokenizer(strings.NewReader(src))
	var b strings.Builder
	skip, pre := 0, 0
	space := false // a space is owed before the next word
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			lines := strings.Split(b.String(), "\n")
			for i, l := range lines {
				lines[i] = strings.TrimRight(l, " \t")
			}
			out := strings.Join(lines, "\n")
			return strings.TrimSpace(manyNewlines.ReplaceAllString(out, "\n\n"))
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			nameB, _ := z.TagName()
			name := string(nameB)
			switch name {
			case "script", "style", "head", "title", "noscript":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
				continue
			case "pre":
				if tt == html.StartTagToken {
					pre++
				} else if tt == html.EndTagToken && pre > 0 {
					pre--
				}
			case "td", "th":
				if tt == html.EndTagToken {
					b.WriteByte('\t')
					space = false
				}
				continue
			}
			if isBlock(name) {
				b.WriteByte('\n')
				if name == "p" && tt == html.EndTagToken {
					b.WriteByte('\n')
				}
				space = false
			}
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			if pre > 0 {
				b.WriteString(t)
				space = false
				continue
			}
			words := strings.Fields(t)
			if len(words) == 0 {
				space = space || t != ""
				continue
			}
			if (space || isSpaceByte(t[0])) && b.Len() > 0 && !isSpaceByte(b.String()[b.Len()-1]) {
				b.WriteByte(' ')
			}
			b.WriteString(strings.Join(words, " "))
			space = isSpaceByte(t[len(t)-1])
		}
	}
}

func isSpaceByte(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'
}

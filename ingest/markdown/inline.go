package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// kindWikiLink and kindTag are the AST kinds of the Obsidian syntax goldmark
// does not know. They are registered once, the way goldmark's own extensions
// register theirs.
var (
	kindWikiLink = ast.NewNodeKind("WikiLink")
	kindTag      = ast.NewNodeKind("Tag")
)

// wikiLinkNode is a parsed [[Target#Heading|Alias]] or ![[embed]].
type wikiLinkNode struct {
	ast.BaseInline
	link document.Link
}

func (n *wikiLinkNode) Kind() ast.NodeKind { return kindWikiLink }

func (n *wikiLinkNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Target": n.link.Target}, nil)
}

// display is the text Obsidian shows for the link, which is what a reader
// would search for.
func (n *wikiLinkNode) display() string {
	if n.link.Alias != "" {
		return n.link.Alias
	}
	if n.link.Target == "" {
		return n.link.Heading
	}
	if n.link.Heading != "" {
		return n.link.Target + " " + n.link.Heading
	}
	return n.link.Target
}

// tagNode is an inline #tag.
type tagNode struct {
	ast.BaseInline
	tag string // as written, without '#'
}

func (n *tagNode) Kind() ast.NodeKind { return kindTag }

func (n *tagNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Tag": n.tag}, nil)
}

// maxWikiLinkLen is the longest text between "[[" and "]]" read as a link.
const maxWikiLinkLen = 1024

// wikiLinkParser parses [[...]] and ![[...]]. It runs before goldmark's link
// parser; code spans come first, so links inside code are never seen.
type wikiLinkParser struct{}

func (wikiLinkParser) Trigger() []byte { return []byte{'[', '!'} }

func (wikiLinkParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, _ := block.PeekLine()
	embed := false
	if len(line) > 0 && line[0] == '!' {
		embed = true
		line = line[1:]
	}
	if len(line) < 4 || line[0] != '[' || line[1] != '[' {
		return nil
	}
	// Bounding the search keeps a long line full of "[[" linear.
	window := line[2:]
	if len(window) > maxWikiLinkLen+2 {
		window = window[:maxWikiLinkLen+2]
	}
	end := bytes.Index(window, []byte("]]"))
	if end < 0 {
		return nil
	}
	inner := string(line[2 : 2+end])
	if strings.TrimSpace(inner) == "" || strings.ContainsAny(inner, "[]\n") {
		return nil
	}
	link, ok := parseWikiLink(inner)
	if !ok {
		return nil
	}
	link.Embed = embed
	consumed := 2 + end + 2
	if embed {
		consumed++
	}
	block.Advance(consumed)
	return &wikiLinkNode{link: link}
}

// parseWikiLink splits the inside of [[...]] into target, heading and alias.
// Inside tables Obsidian escapes the pipe as `\|`, so a trailing backslash
// on the target part is dropped.
func parseWikiLink(inner string) (document.Link, bool) {
	var l document.Link
	target := inner
	if i := strings.IndexByte(inner, '|'); i >= 0 {
		target = inner[:i]
		l.Alias = strings.TrimSpace(inner[i+1:])
	}
	target = strings.TrimSuffix(target, `\`)
	if i := strings.IndexByte(target, '#'); i >= 0 {
		l.Heading = strings.TrimSpace(target[i+1:])
		target = target[:i]
	}
	l.Target = strings.TrimSpace(target)
	if l.Target == "" && l.Heading == "" {
		return l, false
	}
	return l, true
}

// tagParser parses Obsidian inline tags: '#' after white space or at the
// start of a line, followed by letters, digits, '_', '-' or '/', with at
// least one character that is not a digit. Headings never reach it (the
// block parser consumes their '#'), nor code, nor URL fragments (a '#'
// inside a URL follows a non-space character).
type tagParser struct{}

func (tagParser) Trigger() []byte { return []byte{'#'} }

func (tagParser) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	prev := block.PrecendingCharacter()
	if prev != '\n' && !unicode.IsSpace(prev) && prev != '(' {
		return nil
	}
	line, _ := block.PeekLine()
	if len(line) < 2 || line[0] != '#' {
		return nil
	}
	n := tagLen(line[1:])
	if n == 0 {
		return nil
	}
	tag := strings.TrimRight(string(line[1:1+n]), "/")
	if tag == "" || !strings.ContainsFunc(tag, func(r rune) bool { return !unicode.IsDigit(r) && r != '/' }) {
		return nil
	}
	block.Advance(1 + n)
	return &tagNode{tag: tag}
}

// tagLen returns the length in bytes of the tag characters at the start of b.
func tagLen(b []byte) int {
	n := 0
	for n < len(b) {
		r, size := utf8.DecodeRune(b[n:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		if !isTagRune(r) {
			break
		}
		n += size
	}
	return n
}

func isTagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) ||
		r == '_' || r == '-' || r == '/'
}

// normalizeTag lower-cases a tag and removes a leading '#'; it returns ""
// for text that is not a usable tag.
func normalizeTag(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimLeft(s, "#")
	s = strings.Trim(s, "/")
	if s == "" || strings.ContainsFunc(s, unicode.IsSpace) {
		return ""
	}
	return strings.ToLower(s)
}

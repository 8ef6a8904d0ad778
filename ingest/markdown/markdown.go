// Package markdown parses Markdown files and Obsidian notes into documents:
// YAML front matter (title, tags, aliases, dates and other keys), inline
// #tags, headings, [[wikilinks]] with headings, aliases and embeds, links to
// other local .md files, and a plain-text body for search.
package markdown

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// Kind is the parser kind registered with the ingest registry.
const Kind = "markdown"

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".md", ".markdown"} }

// Parser parses one Markdown file into one document. It is safe for
// concurrent use.
type Parser struct {
	md parser.Parser
}

// New returns a Markdown parser.
func New() ingest.Parser {
	md := goldmark.New(
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithParserOptions(parser.WithInlineParsers(
			// Before goldmark's link parser (200), after code spans (100).
			util.Prioritized(wikiLinkParser{}, 150),
			util.Prioritized(tagParser{}, 160),
		)),
	)
	return &Parser{md: md.Parser()}
}

// Parse reads f as a Markdown note. It returns an error wrapping
// ingest.ErrBadInput when f is not UTF-8 text, and ctx.Err() when ctx is
// done. Malformed front matter does not fail the note: the block is kept as
// body text and the reason is stored in Meta["frontmatter_error"].
func (p *Parser) Parse(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := ingest.CheckText(f.Data)
	if err != nil {
		return nil, fmt.Errorf("reading markdown %s: %w", f.Path, err)
	}
	doc := document.Document{
		Source: document.SourceMarkdown,
		Title:  noteName(f.Path),
		Meta:   map[string]string{},
	}
	var tags []string

	body := data
	prefix := ""
	if yamlText, rest, ok := splitFrontMatter(data); ok {
		fm, err := parseFrontMatter(yamlText)
		if err != nil {
			// Shown as written, not as Markdown: its closing "---" would
			// otherwise turn the YAML into a heading.
			doc.Meta["frontmatter_error"] = err.Error()
			prefix = strings.TrimSpace(string(yamlText))
			body = rest
		} else {
			body = rest
			tags = append(tags, fm.tags...)
			doc.Aliases = fm.aliases
			// The note's name stays its file name, which is what Obsidian
			// shows and what [[links]] target; a front-matter title is one
			// more name it is found by.
			if fm.title != "" && fm.title != doc.Title {
				doc.Aliases = append([]string{fm.title}, doc.Aliases...)
			}
			doc.Date = fm.date
			for k, v := range fm.meta {
				doc.Meta[k] = v
			}
		}
	}

	// The source as written (without front matter), for the reader to
	// render; the malformed block is not part of it.
	doc.Markdown = string(body)

	if tooComplex(body) {
		// goldmark's inline parsing is quadratic in the delimiters of a
		// paragraph; such a note is indexed as plain text instead.
		doc.Meta["markdown_error"] = "note too complex to parse as Markdown; indexed as plain text"
		doc.Body = strings.TrimSpace(string(body))
		if prefix != "" {
			doc.Body = strings.TrimSpace(prefix + "\n" + doc.Body)
		}
		doc.Links = scanWikiLinks(body)
		capLinks(&doc)
		doc.Tags = dedupe(tags)
		return []document.Document{doc}, nil
	}
	root, err := p.parse(ctx, body)
	if err != nil {
		return nil, err
	}
	w := walker{ctx: ctx, src: body}
	if err := w.walk(root); err != nil {
		return nil, err
	}
	doc.Body = strings.TrimSpace(calloutMarker.ReplaceAllString(w.body.String(), ""))
	if prefix != "" {
		doc.Body = strings.TrimSpace(prefix + "\n" + doc.Body)
	}
	doc.Headings = w.headings
	doc.Links = w.links
	capLinks(&doc)
	doc.Tags = dedupe(append(tags, w.tags...))
	if len(doc.Meta) == 0 {
		doc.Meta = nil
	}
	return []document.Document{doc}, nil
}

// parse runs goldmark, which takes no context, and returns early with
// ctx.Err() when ctx is done; tooComplex bounds how long the abandoned
// parse goes on.
func (p *Parser) parse(ctx context.Context, src []byte) (ast.Node, error) {
	done := make(chan ast.Node, 1)
	go func() { done <- p.md.Parse(text.NewReader(src)) }()
	select {
	case root := <-done:
		return root, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// maxDelimiterWork bounds the sum over paragraphs of the squared count of
// inline delimiters, which is what goldmark's worst case costs (about a
// second at this value).
const maxDelimiterWork = 40_000 * 40_000

// tooComplex reports whether src has paragraphs with so many inline
// delimiters that parsing it as Markdown would take too long.
func tooComplex(src []byte) bool {
	var work, n int64
	lineStart := true
	blank := true
	for _, c := range src {
		switch c {
		case '*', '_', '[', ']', '(', ')', '!', '`', '<', '>', '~', '|':
			n++
		case '\n':
			if lineStart || blank {
				work += n * n
				n = 0
			}
			lineStart, blank = true, true
			continue
		}
		if c != ' ' && c != '\t' && c != '\r' {
			blank = false
		}
		lineStart = false
	}
	work += n * n
	return work > maxDelimiterWork
}

// MaxLinks is how many links of one note are kept as links (graph edges,
// backlinks, placeholders for notes not imported yet). The busiest notes of
// real vaults (a map of content, a daily-notes index) hold a few hundred; a
// note with more keeps its first MaxLinks, its whole text stays searchable,
// and the import reports the cut on the file.
const MaxLinks = 2000

// capLinks keeps the first MaxLinks links of doc and says so when it cuts.
func capLinks(doc *document.Document) {
	if len(doc.Links) <= MaxLinks {
		return
	}
	if doc.Meta == nil {
		doc.Meta = map[string]string{}
	}
	doc.Meta[ingest.MetaCut] = fmt.Sprintf("the note has %d links; only its first %d are kept as links (all of its text is searchable)", len(doc.Links), MaxLinks)
	doc.Links = doc.Links[:MaxLinks:MaxLinks]
}

// scanWikiLinks finds [[wikilinks]] in text without parsing Markdown.
func scanWikiLinks(src []byte) []document.Link {
	var links []document.Link
	for i := 0; i+4 <= len(src); {
		j := bytes.Index(src[i:], []byte("[["))
		if j < 0 {
			break
		}
		start := i + j
		window := src[start+2:]
		if len(window) > maxWikiLinkLen+2 {
			window = window[:maxWikiLinkLen+2]
		}
		end := bytes.Index(window, []byte("]]"))
		if end < 0 {
			i = start + 2
			continue
		}
		inner := string(window[:end])
		if !strings.ContainsAny(inner, "[]\n") {
			if l, ok := parseWikiLink(inner); ok && l.Target != "" {
				l.Embed = start > 0 && src[start-1] == '!'
				links = append(links, l)
			}
		}
		i = start + 2 + end + 2
	}
	return links
}

// calloutMarker is the "[!type]" that opens an Obsidian callout; the type
// is styling, not text.
var calloutMarker = regexp.MustCompile(`(?m)^\[![A-Za-z][\w-]*\][+-]?[ \t]*`)

// noteName is Obsidian's name for a note: the file name without its
// extension, in NFC so names written on macOS match the links typed to them.
func noteName(p string) string {
	base := filepath.Base(p)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return norm.NFC.String(strings.TrimSuffix(base, filepath.Ext(base)))
}

// localNoteLink turns the destination of a standard Markdown link into a
// link to another note when it names a local .md file.
func localNoteLink(dest, label string) (document.Link, bool) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return document.Link{}, false
	}
	if u, err := url.Parse(dest); err == nil && (u.Scheme != "" || u.Host != "") {
		return document.Link{}, false
	}
	target, heading, _ := strings.Cut(dest, "#")
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	if h, err := url.PathUnescape(heading); err == nil {
		heading = h
	}
	if !strings.EqualFold(path.Ext(target), ".md") {
		return document.Link{}, false
	}
	target = strings.TrimPrefix(target[:len(target)-len(".md")], "./")
	if strings.TrimSpace(target) == "" {
		return document.Link{}, false
	}
	l := document.Link{Target: target, Heading: heading}
	if label = strings.TrimSpace(label); label != "" && label != target {
		l.Alias = label
	}
	return l, true
}

// dedupe keeps the first occurrence of each value.
func dedupe(in []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range in {
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}

// Package html parses HTML and XHTML files (saved web pages, exported notes)
// into documents: the readable text without scripts, styles and navigation,
// the title, the h1-h6 headings and the publication date from <meta>. Pages
// in legacy encodings (Latin-1, Shift_JIS, ...) are decoded as a browser
// would, from the byte order mark, the <meta charset> or http-equiv
// declaration, or the XML declaration.
package html

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/unicode/norm"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/htmltext"
)

// Kind is the parser kind registered with the ingest registry, and the
// Source of the documents it makes.
const Kind = "html"

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".html", ".htm", ".xhtml"} }

// Register adds the HTML parser to reg for its extensions.
func Register(reg *ingest.Registry) { reg.Register(Kind, Extensions(), New()) }

// Parser parses one HTML file into one document. It is safe for concurrent
// use.
type Parser struct{}

// New returns an HTML parser.
func New() ingest.Parser { return Parser{} }

// dateKeys are the <meta> names and properties that carry a publication
// date, most specific first.
var dateKeys = []string{
	"article:published_time", "og:published_time", "datepublished",
	"dcterms.created", "dc.date.created", "dcterms.date", "dc.date",
	"citation_publication_date", "date", "pubdate",
	"article:modified_time", "datemodified", "dcterms.modified", "last-modified",
}

// keptMeta are the <meta> values copied into Document.Meta.
var keptMeta = []string{"author", "description", "keywords"}

// Parse reads f as an HTML page. The title is the <title>, else the first
// <h1>, else the file name; Date is the first date found in <meta> (left
// empty otherwise, for the pipeline to fill from the file's mtime). It
// returns an error wrapping ingest.ErrBadInput for binary content, one
// wrapping ingest.ErrSkipped for a page with no readable text (a script-built
// page), and ctx.Err() when ctx is done.
func (Parser) Parse(ctx context.Context, f ingest.File, _ ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	src, enc, err := decode(f.Data)
	if err != nil {
		return nil, fmt.Errorf("reading HTML %s: %w", f.Path, err)
	}
	if _, err := ingest.CheckText([]byte(src)); err != nil {
		return nil, fmt.Errorf("reading HTML %s: %w", f.Path, err)
	}
	page, err := htmltext.Extract(strings.NewReader(src), htmltext.Options{SkipNav: true})
	if err != nil { // a strings.Reader does not fail; kept for the contract
		return nil, fmt.Errorf("reading HTML %s: %w: %v", f.Path, ingest.ErrBadInput, err)
	}
	if page.Text == "" {
		return nil, fmt.Errorf("%w: the page has no readable text (it may be built by JavaScript when opened)", ingest.ErrSkipped)
	}
	doc := document.Document{
		Source: Kind,
		Title:  title(page, f.Path),
		Body:   page.Text,
		Date:   date(page.Meta),
	}
	for _, h := range page.Headings {
		doc.Headings = append(doc.Headings, h.Text)
	}
	for _, k := range keptMeta {
		if v := page.Meta[k]; v != "" {
			if doc.Meta == nil {
				doc.Meta = map[string]string{}
			}
			doc.Meta[k] = v
		}
	}
	if enc != "utf-8" {
		if doc.Meta == nil {
			doc.Meta = map[string]string{}
		}
		doc.Meta["encoding"] = enc
	}
	return []document.Document{doc}, nil
}

var xmlEncoding = regexp.MustCompile(`^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// decode converts data to UTF-8 and returns it with the name of the encoding
// it was read in. The encoding comes from a byte order mark, else an XML
// declaration, else a <meta> declaration in the first 1024 bytes, else a
// guess: UTF-8 when the bytes are valid UTF-8, Windows-1252 (a superset of
// Latin-1) otherwise. A page that declares Latin-1 but is valid UTF-8 is
// read as UTF-8: such a declaration is a common mistake, and the reverse
// (Latin-1 text with accents that happens to be valid UTF-8) is rare.
func decode(data []byte) (string, string, error) {
	enc, name, certain := charset.DetermineEncoding(data, "")
	if !certain {
		head := data[:min(len(data), 256)]
		if m := xmlEncoding.FindSubmatch(head); m != nil {
			if e, n := charset.Lookup(string(m[1])); e != nil {
				enc, name = e, n
			}
		}
		if name == "windows-1252" && utf8.Valid(data) {
			enc, name = encoding.Nop, "utf-8"
		}
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", name, fmt.Errorf("%w: cannot decode the page as %s (%v)", ingest.ErrBadInput, name, err)
	}
	out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	return strings.TrimPrefix(string(out), "\uFEFF"), name, nil
}

// title returns the page's <title>, else its first h1, else the file name.
func title(p htmltext.Page, path string) string {
	if p.Title != "" {
		return p.Title
	}
	for _, h := range p.Headings {
		if h.Level == 1 {
			return h.Text
		}
	}
	base := filepath.Base(path)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return norm.NFC.String(strings.TrimSuffix(base, filepath.Ext(base)))
}

// dateLayouts are the forms dates take in <meta> content.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02",
	"2006-01",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"2 January 2006",
	"January 2, 2006",
	"Jan 2, 2006",
	"2006",
}

// date returns the first parseable date among the <meta> date keys, or the
// zero time.
func date(meta map[string]string) time.Time {
	for _, k := range dateKeys {
		v := strings.TrimSpace(meta[k])
		if v == "" {
			continue
		}
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				if t.Year() < 1000 || t.Year() > 9999 {
					break
				}
				return t
			}
		}
	}
	return time.Time{}
}

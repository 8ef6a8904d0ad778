// Package docx parses Word documents (.docx, Office Open XML) into documents:
// the text of every paragraph and table in word/document.xml, the headings
// (paragraphs styled Heading 1-6 or Title, in any language, through
// word/styles.xml), and the title, author and dates of docProps/core.xml.
//
// A .docx is a zip archive, so the parser is written against hostile ones:
// it refuses archives with more than 10,000 entries, stops reading
// document.xml after 64 MB of uncompressed XML, and limits XML nesting. It
// streams the XML with encoding/xml's tokenizer and never builds a tree.
package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Kind is the parser kind registered with the ingest registry, and the
// Source of the documents it makes.
const Kind = "docx"

// Limits that protect against zip bombs and hostile XML.
const (
	// MaxEntries is the most entries an archive may have; a Word document
	// has a few dozen.
	MaxEntries = 10_000
	// MaxDocumentXML is the most uncompressed bytes read of the document
	// part (word/document.xml).
	MaxDocumentXML = 64 << 20
	// maxSmallPart bounds the other parts read (styles, properties,
	// relationships).
	maxSmallPart = 8 << 20
	// maxXMLDepth is the deepest element nesting accepted; Word writes
	// about 10 levels, nested tables add 4 each.
	maxXMLDepth = 256
)

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".docx"} }

// Register adds the DOCX parser to reg for its extensions.
func Register(reg *ingest.Registry) { reg.Register(Kind, Extensions(), New()) }

// Parser parses one .docx file into one document. It is safe for concurrent
// use.
type Parser struct {
	maxXML int64 // the document part's size limit; zero means MaxDocumentXML
}

// New returns a DOCX parser.
func New() ingest.Parser { return Parser{} }

// Parse reads f as a Word document. Title is dc:title from
// docProps/core.xml, else the first Title-styled paragraph, else the file
// name; Date is dcterms:modified, else dcterms:created, else left for the
// pipeline to fill from the file's mtime. It returns an error wrapping
// ingest.ErrBadInput, with the reason, for a damaged or hostile archive or
// one without a document part; one wrapping ingest.ErrSkipped for a
// document with no text; and ctx.Err() when ctx is done.
func (p Parser) Parse(ctx context.Context, f ingest.File, _ ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	maxXML := p.maxXML
	if maxXML <= 0 {
		maxXML = MaxDocumentXML
	}
	doc, err := parse(ctx, f.Data, maxXML)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("reading DOCX %s: %w", f.Path, err)
	}
	if doc.Title == "" {
		doc.Title = fileTitle(f.Path)
	}
	return []document.Document{doc}, nil
}

// oleMagic starts a Compound File: an encrypted (password-protected) Office
// document, or an old binary .doc.
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

func parse(ctx context.Context, data []byte, maxXML int64) (document.Document, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return document.Document{}, fmt.Errorf("%w: the file is password-protected or an old Word 97-2003 document; remove the password or save it again as .docx", ingest.ErrBadInput)
	}
	if n, ok := zipEntryCount(data); ok && n > MaxEntries {
		return document.Document{}, fmt.Errorf("%w: the archive has %d entries, more than the %d a Word document can have", ingest.ErrBadInput, n, MaxEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return document.Document{}, fmt.Errorf("%w: not a Word document: the zip archive is damaged or truncated (%v)", ingest.ErrBadInput, err)
	}
	if len(zr.File) > MaxEntries {
		return document.Document{}, fmt.Errorf("%w: the archive has %d entries, more than the %d a Word document can have", ingest.ErrBadInput, len(zr.File), MaxEntries)
	}
	files := make(map[string]*zip.File, len(zr.File))
	for _, zf := range zr.File {
		files[strings.TrimPrefix(zf.Name, "/")] = zf
	}
	mainName := mainPart(files)
	main := files[mainName]
	if main == nil {
		return document.Document{}, fmt.Errorf("%w: the archive has no word/document.xml; it is not a Word document", ingest.ErrBadInput)
	}

	// Styles and properties are best effort: a document without them (or
	// with damaged ones) still has its text.
	styles := readStyles(files[path.Join(path.Dir(mainName), "styles.xml")])
	props := readCore(files["docProps/core.xml"])

	body, err := readBody(ctx, main, styles, maxXML)
	if err != nil {
		return document.Document{}, err
	}
	if strings.TrimSpace(body.text) == "" {
		return document.Document{}, fmt.Errorf("%w: the document has no text", ingest.ErrSkipped)
	}
	doc := document.Document{
		Source:   Kind,
		Title:    collapse(props.Title),
		Body:     body.text,
		Headings: body.headings,
		Date:     props.date(),
	}
	if doc.Title == "" {
		doc.Title = body.title
	}
	for k, v := range map[string]string{
		"author":      props.Creator,
		"description": props.Description,
		"subject":     props.Subject,
		"keywords":    props.Keywords,
	} {
		if v = clip(collapse(v), 1000); v != "" {
			if doc.Meta == nil {
				doc.Meta = map[string]string{}
			}
			doc.Meta[k] = v
		}
	}
	return doc, nil
}

// zipEntryCount reads the entry count of the end-of-central-directory
// record, so that an archive with a huge directory is refused before
// archive/zip reads all of it. ok is false when the record is not found or
// the count is in a zip64 record (then the count after reading decides).
func zipEntryCount(data []byte) (int, bool) {
	const eocdLen = 22
	start := max(0, len(data)-(eocdLen+0xFFFF))
	i := bytes.LastIndex(data[start:], []byte("PK\x05\x06"))
	if i < 0 || start+i+eocdLen > len(data) {
		return 0, false
	}
	n := binary.LittleEndian.Uint16(data[start+i+10:])
	if n == 0xFFFF {
		return 0, false
	}
	return int(n), true
}

// mainPart returns the name of the main document part: the target of the
// package's officeDocument relationship, else word/document.xml.
func mainPart(files map[string]*zip.File) string {
	const fallback = "word/document.xml"
	var rels struct {
		Rels []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := unmarshalPart(files["_rels/.rels"], &rels); err != nil {
		return fallback
	}
	for _, r := range rels.Rels {
		if strings.HasSuffix(r.Type, "/officeDocument") {
			name := strings.TrimPrefix(path.Clean("/"+r.Target), "/")
			if files[name] != nil {
				return name
			}
		}
	}
	return fallback
}

// coreProps are the document properties of docProps/core.xml.
type coreProps struct {
	Title       string `xml:"title"`
	Subject     string `xml:"subject"`
	Creator     string `xml:"creator"`
	Keywords    string `xml:"keywords"`
	Description string `xml:"description"`
	Created     string `xml:"created"`
	Modified    string `xml:"modified"`
}

func readCore(zf *zip.File) coreProps {
	var p coreProps
	if err := unmarshalPart(zf, &p); err != nil {
		return coreProps{}
	}
	return p
}

// date returns the modification date, else the creation date, else zero.
func (p coreProps) date() time.Time {
	for _, v := range []string{p.Modified, p.Created} {
		v = strings.TrimSpace(v)
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1900 && t.Year() <= 9999 {
				return t
			}
		}
	}
	return time.Time{}
}

// unmarshalPart decodes a small XML part of the archive.
func unmarshalPart(zf *zip.File, v any) error {
	if zf == nil {
		return errors.New("missing")
	}
	rc, err := zf.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxSmallPart+1))
	if err != nil {
		return err
	}
	if len(data) > maxSmallPart {
		return errors.New("too large")
	}
	return xmlUnmarshal(data, v)
}

func fileTitle(p string) string {
	base := filepath.Base(p)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return norm.NFC.String(strings.TrimSuffix(base, filepath.Ext(base)))
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }

package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html/charset"

	"github.com/engram-app/engram/ingest"
)

// style is what a paragraph style says about the paragraphs that use it.
type style struct {
	level int  // heading level 1-6, 0 for body text
	title bool // the Title style
}

// styleIDPattern recognises the built-in heading styles by ID when
// styles.xml is missing or does not name them.
var styleIDPattern = regexp.MustCompile(`^(?i)(?:heading ?([1-6])|(title))$`)

// readStyles maps paragraph style IDs to heading levels. Word names the
// built-in styles in English ("heading 1", "Title") in every language; the
// IDs are translated ("berschrift1"), so the name, an outline level or the
// style a style is based on decides. A missing or damaged styles.xml gives an
// empty map.
func readStyles(zf *zip.File) map[string]style {
	type val struct {
		Val string `xml:"val,attr"`
	}
	var doc struct {
		Styles []struct {
			Type    string `xml:"type,attr"`
			ID      string `xml:"styleId,attr"`
			Name    val    `xml:"name"`
			BasedOn val    `xml:"basedOn"`
			Outline *val   `xml:"pPr>outlineLvl"`
		} `xml:"style"`
	}
	if err := unmarshalPart(zf, &doc); err != nil {
		return map[string]style{}
	}
	type raw struct {
		name, basedOn string
		outline       int
	}
	raws := map[string]raw{}
	for _, s := range doc.Styles {
		if s.Type != "" && s.Type != "paragraph" {
			continue
		}
		r := raw{name: strings.ToLower(strings.TrimSpace(s.Name.Val)), basedOn: s.BasedOn.Val, outline: -1}
		if s.Outline != nil {
			if n, err := strconv.Atoi(s.Outline.Val); err == nil {
				r.outline = n
			}
		}
		raws[s.ID] = r
	}
	out := make(map[string]style, len(raws))
	for id := range raws {
		// Follow basedOn a few steps, which also stops at a cycle.
		for cur, hops := id, 0; hops < 10; hops++ {
			r, ok := raws[cur]
			if !ok {
				break
			}
			if m := styleIDPattern.FindStringSubmatch(r.name); m != nil {
				if m[2] != "" {
					out[id] = style{title: true}
				} else {
					out[id] = style{level: int(m[1][0] - '0')}
				}
				break
			}
			if r.outline >= 0 && r.outline <= 5 {
				out[id] = style{level: r.outline + 1}
				break
			}
			cur = r.basedOn
		}
	}
	return out
}

// styleOf returns the heading level of a style ID, from styles.xml or, for a
// style it does not list, from the ID itself.
func styleOf(styles map[string]style, id string) style {
	if s, ok := styles[id]; ok {
		return s
	}
	if m := styleIDPattern.FindStringSubmatch(id); m != nil {
		if m[2] != "" {
			return style{title: true}
		}
		return style{level: int(m[1][0] - '0')}
	}
	return style{}
}

// body is the text read from the main document part.
type body struct {
	text     string
	headings []string
	title    string // the first Title-styled paragraph
}

// errTooLarge reports that a part expands past its limit.
var errTooLarge = errors.New("part too large")

// capReader reads at most n bytes from r and then fails with errTooLarge,
// unlike io.LimitReader, which would end the XML quietly.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// readBody streams the main document part and collects its text.
func readBody(ctx context.Context, zf *zip.File, styles map[string]style, maxXML int64) (body, error) {
	rc, err := zf.Open()
	if err != nil {
		return body{}, fmt.Errorf("%w: %s cannot be opened (%v)", ingest.ErrBadInput, zf.Name, err)
	}
	defer rc.Close()
	d := xml.NewDecoder(&capReader{r: rc, n: maxXML})
	d.CharsetReader = charset.NewReaderLabel
	w := walker{styles: styles, sinks: []*sink{{}}}
	for i := 0; ; i++ {
		if i%4096 == 0 && ctx.Err() != nil {
			return body{}, ctx.Err()
		}
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errTooLarge) {
			return body{}, fmt.Errorf("%w: %s expands to more than %s of XML; it may be a zip bomb", ingest.ErrBadInput, zf.Name, megabytes(maxXML))
		}
		if err != nil {
			return body{}, fmt.Errorf("%w: %s is damaged (%v)", ingest.ErrBadInput, zf.Name, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(w.stack) >= maxXMLDepth {
				return body{}, fmt.Errorf("%w: %s nests elements more than %d deep", ingest.ErrBadInput, zf.Name, maxXMLDepth)
			}
			w.start(t)
		case xml.EndElement:
			w.end(t)
		case xml.CharData:
			w.chars(t)
		}
	}
	for len(w.paras) > 0 { // unreachable for well-formed XML; kept for safety
		w.endParagraph()
	}
	return body{text: w.sinks[0].b.String(), headings: w.headings, title: w.title}, nil
}

// para is an open paragraph. Text boxes put paragraphs inside paragraphs.
type para struct {
	b       strings.Builder
	style   string
	outline int // outline level set on the paragraph itself, -1 if none
	list    bool
}

// sink receives finished paragraphs: the document, a table row (cells
// joined by tabs) or a table cell (paragraphs joined by spaces).
type sink struct {
	kind  byte // 0 document, 'r' row, 'c' cell
	b     strings.Builder
	parts []string
	group byte // what the last paragraph written was part of: 'l' a list, 'r' a table, 0 neither
}

// walker turns the token stream into text.
type walker struct {
	styles   map[string]style
	stack    []string // local names of the open elements
	skipAt   int      // stack depth of a skipped subtree's root, 0 if none
	paras    []*para
	sinks    []*sink
	headings []string
	title    string
}

func (w *walker) start(t xml.StartElement) {
	parent := ""
	if len(w.stack) > 0 {
		parent = w.stack[len(w.stack)-1]
	}
	w.stack = append(w.stack, t.Name.Local)
	if w.skipAt > 0 {
		return
	}
	p := w.para()
	switch t.Name.Local {
	case "Fallback":
		// mc:AlternateContent repeats a text box or drawing for older
		// readers; reading both would repeat its text.
		w.skipAt = len(w.stack)
	case "p":
		w.paras = append(w.paras, &para{outline: -1})
	case "pStyle":
		if p != nil && parent == "pPr" {
			p.style = attr(t, "val")
		}
	case "outlineLvl":
		if p != nil && parent == "pPr" {
			if n, err := strconv.Atoi(attr(t, "val")); err == nil {
				p.outline = n
			}
		}
	case "numPr":
		if p != nil && parent == "pPr" {
			p.list = true
		}
	case "tab", "ptab":
		if p != nil && parent == "r" {
			p.b.WriteByte('\t')
		}
	case "br", "cr":
		if p != nil && parent == "r" {
			p.b.WriteByte('\n')
		}
	case "noBreakHyphen":
		if p != nil && parent == "r" {
			p.b.WriteByte('-')
		}
	case "tr":
		w.sinks = append(w.sinks, &sink{kind: 'r'})
	case "tc":
		w.sinks = append(w.sinks, &sink{kind: 'c'})
	}
}

func (w *walker) end(t xml.EndElement) {
	depth := len(w.stack)
	if depth > 0 {
		w.stack = w.stack[:depth-1]
	}
	if w.skipAt > 0 {
		if depth == w.skipAt {
			w.skipAt = 0
		}
		return
	}
	switch t.Name.Local {
	case "p":
		w.endParagraph()
	case "tc":
		if s := w.top(); s.kind == 'c' {
			w.sinks = w.sinks[:len(w.sinks)-1]
			w.add(strings.Join(s.parts, " "), 0)
		}
	case "tr":
		if s := w.top(); s.kind == 'r' {
			w.sinks = w.sinks[:len(w.sinks)-1]
			w.add(strings.TrimRight(strings.Join(s.parts, "\t"), "\t"), 'r')
		}
	}
}

func (w *walker) chars(c xml.CharData) {
	if w.skipAt > 0 || len(w.stack) == 0 || w.stack[len(w.stack)-1] != "t" {
		return
	}
	if p := w.para(); p != nil {
		p.b.Write(bytes.ToValidUTF8(c, []byte("\uFFFD")))
	}
}

func (w *walker) para() *para {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *walker) top() *sink { return w.sinks[len(w.sinks)-1] }

// endParagraph closes the innermost paragraph and hands its text on.
func (w *walker) endParagraph() {
	p := w.para()
	if p == nil {
		return
	}
	w.paras = w.paras[:len(w.paras)-1]
	text := strings.TrimSpace(p.b.String())
	if text == "" {
		return
	}
	st := styleOf(w.styles, p.style)
	if st.level == 0 && !st.title && p.outline >= 0 && p.outline <= 5 {
		st.level = p.outline + 1
	}
	if st.level > 0 || st.title {
		h := clip(collapse(text), 300)
		w.headings = append(w.headings, h)
		if st.title && w.title == "" {
			w.title = h
		}
	}
	group := byte(0)
	if p.list {
		group = 'l'
	}
	w.add(text, group)
}

// add writes a finished paragraph, cell or row to the innermost sink: a row
// collects cells, a cell collects paragraphs (and nested tables' rows), the
// document collects the rest. Items of one list, and rows of one table,
// are joined by a line break; anything else by a blank line.
func (w *walker) add(text string, group byte) {
	s := w.top()
	switch s.kind {
	case 'r': // a cell, or a paragraph directly in a row (not valid, but seen)
		s.parts = append(s.parts, text)
		return
	case 'c':
		if text != "" {
			s.parts = append(s.parts, text)
		}
		return
	}
	if text == "" {
		return
	}
	if s.b.Len() > 0 {
		if group != 0 && group == s.group {
			s.b.WriteByte('\n')
		} else {
			s.b.WriteString("\n\n")
		}
	}
	s.b.WriteString(text)
	s.group = group
}

// attr returns the value of the attribute with the given local name.
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// xmlUnmarshal decodes a small part, accepting the encodings an XML
// declaration may name.
func xmlUnmarshal(data []byte, v any) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charset.NewReaderLabel
	return d.Decode(v)
}

// megabytes formats a size limit for a message: "64 MB", "0.5 MB".
func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64) + " MB"
}

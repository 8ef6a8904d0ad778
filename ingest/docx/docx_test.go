package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

const (
	nsW  = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	nsMC = `xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`
)

// zipFile is one entry of a generated archive.
type zipFile struct{ name, body string }

// buildZip writes an archive with the files in order.
func buildZip(t testing.TB, files ...zipFile) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// wordXML wraps paragraphs in a document part.
func wordXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + nsW + ` ` + nsMC + `><w:body>` + body + `<w:sectPr/></w:body></w:document>`
}

// p returns a paragraph with an optional style and runs of text.
func p(style string, runs ...string) string {
	var b strings.Builder
	b.WriteString("<w:p>")
	if style != "" {
		b.WriteString(`<w:pPr><w:pStyle w:val="` + style + `"/></w:pPr>`)
	}
	for _, r := range runs {
		b.WriteString(`<w:r><w:t xml:space="preserve">` + r + `</w:t></w:r>`)
	}
	b.WriteString("</w:p>")
	return b.String()
}

const relsXML = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
</Relationships>`

const coreXML = `<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Quarterly   Review</dc:title><dc:creator>Jeff Skilling</dc:creator><cp:keywords>finance, q3</cp:keywords>
<dcterms:created xsi:type="dcterms:W3CDTF">2001-05-01T09:00:00Z</dcterms:created>
<dcterms:modified xsi:type="dcterms:W3CDTF">2001-06-14T16:30:00Z</dcterms:modified>
</cp:coreProperties>`

// stylesXML names the heading styles with translated IDs, as a German Word
// writes them.
const stylesXML = `<?xml version="1.0" encoding="UTF-8"?>
<w:styles ` + nsW + `>
<w:style w:type="paragraph" w:styleId="Standard"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/><w:basedOn w:val="Standard"/></w:style>
<w:style w:type="paragraph" w:styleId="berschrift2"><w:name w:val="heading 2"/></w:style>
<w:style w:type="paragraph" w:styleId="Titel"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="MeineUeberschrift"><w:name w:val="My heading"/><w:basedOn w:val="berschrift2"/></w:style>
<w:style w:type="paragraph" w:styleId="Gliederung"><w:name w:val="Outline"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Loop"><w:name w:val="Loop"/><w:basedOn w:val="Loop"/></w:style>
<w:style w:type="character" w:styleId="Heading1Char"><w:name w:val="heading 1 Char"/></w:style>
</w:styles>`

func fullDOCX(t testing.TB) []byte {
	body := p("Titel", "Review of Q3") +
		p("berschrift1", "Summary") +
		p("", "Revenue grew by ", "12%", " in Q3.") +
		`<w:p><w:r><w:t>Name</w:t><w:tab/><w:t>Value</w:t><w:br/><w:t>next line</w:t></w:r></w:p>` +
		p("MeineUeberschrift", "Details") +
		p("Gliederung", "Outline item") +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>first point</w:t></w:r></w:p>` +
		`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>second point</w:t></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc>` + p("", "Region") + `</w:tc><w:tc>` + p("", "Sales") + `</w:tc></w:tr>` +
		`<w:tr><w:tc>` + p("", "North") + p("", "America") + `</w:tc><w:tc>` + p("", "1,200") + `</w:tc></w:tr></w:tbl>` +
		`<w:p><w:r><w:t>Kept </w:t></w:r><w:del><w:r><w:delText>deleted words</w:delText></w:r></w:del>` +
		`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:t>text</w:t></w:r></w:p>` +
		`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent>` + p("", "Text box") +
		`</w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>` + p("", "Text box") +
		`</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>` +
		`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>Tab stops are not tabs</w:t></w:r></w:p>`
	return buildZip(t,
		zipFile{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		zipFile{"_rels/.rels", relsXML},
		zipFile{"docProps/core.xml", coreXML},
		zipFile{"word/styles.xml", stylesXML},
		zipFile{"word/document.xml", wordXML(body)},
	)
}

func parseBytes(name string, data []byte) (document.Document, error) {
	docs, err := New().Parse(context.Background(), ingest.File{Path: "/docs/" + name, Data: data}, ingest.DefaultLimits())
	if err != nil {
		return document.Document{}, err
	}
	if len(docs) != 1 {
		return document.Document{}, errors.New("not one document")
	}
	return docs[0], nil
}

func TestParse(t *testing.T) {
	tests := []struct {
		name         string
		file         string
		data         []byte
		wantTitle    string
		wantBody     string // exact, when set
		wantIn       []string
		wantHeadings []string
		wantDate     string
		wantMeta     map[string]string
	}{
		{
			name:      "full document",
			file:      "review.docx",
			data:      fullDOCX(t),
			wantTitle: "Quarterly Review",
			wantBody: "Review of Q3\n\nSummary\n\nRevenue grew by 12% in Q3.\n\nName\tValue\nnext line\n\nDetails\n\nOutline item\n\n" +
				"first point\nsecond point\n\nRegion\tSales\nNorth America\t1,200\n\nKept text\n\nText box\n\nTab stops are not tabs",
			wantHeadings: []string{"Review of Q3", "Summary", "Details", "Outline item"},
			wantDate:     "2001-06-14T16:30:00Z",
			wantMeta:     map[string]string{"author": "Jeff Skilling", "keywords": "finance, q3"},
		},
		{
			name: "title from Title paragraph, headings from style IDs",
			file: "plain.docx",
			data: buildZip(t, zipFile{"word/document.xml", wordXML(
				p("Heading2", "Intro") + p("Title", "The Real Title") + p("", "Body text.") + p("heading 3", "Deep"))}),
			wantTitle:    "The Real Title",
			wantIn:       []string{"Body text."},
			wantHeadings: []string{"Intro", "The Real Title", "Deep"},
		},
		{
			name:      "no title anywhere: the file name",
			file:      "Meeting notes.docx",
			data:      buildZip(t, zipFile{"word/document.xml", wordXML(p("", "Just text."))}),
			wantTitle: "Meeting notes",
			wantBody:  "Just text.",
		},
		{
			name: "outline level on the paragraph",
			file: "outline.docx",
			data: buildZip(t, zipFile{"word/document.xml", wordXML(
				`<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>Chapter</w:t></w:r></w:p>` +
					`<w:p><w:pPr><w:outlineLvl w:val="9"/></w:pPr><w:r><w:t>Body level</w:t></w:r></w:p>`)}),
			wantTitle:    "outline",
			wantHeadings: []string{"Chapter"},
			wantBody:     "Chapter\n\nBody level",
		},
		{
			name: "main part named by the package relationships",
			file: "renamed.docx",
			data: buildZip(t,
				zipFile{"_rels/.rels", strings.Replace(relsXML, "word/document.xml", "/word/main.xml", 1)},
				zipFile{"word/main.xml", wordXML(p("", "From the renamed part."))},
				zipFile{"docProps/core.xml", strings.Replace(coreXML, "2001-06-14T16:30:00Z", "", 1)}),
			wantTitle: "Quarterly Review",
			wantBody:  "From the renamed part.",
			wantDate:  "2001-05-01T09:00:00Z",
			wantMeta:  map[string]string{"author": "Jeff Skilling", "keywords": "finance, q3"},
		},
		{
			name: "damaged styles and properties are ignored",
			file: "damaged-meta.docx",
			data: buildZip(t,
				zipFile{"word/document.xml", wordXML(p("Heading1", "Still a heading"))},
				zipFile{"word/styles.xml", "<w:styles"},
				zipFile{"docProps/core.xml", "not xml"}),
			wantTitle:    "damaged-meta",
			wantBody:     "Still a heading",
			wantHeadings: []string{"Still a heading"},
		},
		{
			name:      "non-ASCII text",
			file:      "日本.docx",
			data:      buildZip(t, zipFile{"word/document.xml", wordXML(p("", "議事録: Müller &amp; Søn"))}),
			wantTitle: "日本",
			wantBody:  "議事録: Müller & Søn",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := parseBytes(tt.file, tt.data)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if d.Source != Kind {
				t.Errorf("Source = %q", d.Source)
			}
			if d.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", d.Title, tt.wantTitle)
			}
			if tt.wantBody != "" && d.Body != tt.wantBody {
				t.Errorf("Body =\n%q\nwant\n%q", d.Body, tt.wantBody)
			}
			for _, s := range tt.wantIn {
				if !strings.Contains(d.Body, s) {
					t.Errorf("Body = %q, want %q in it", d.Body, s)
				}
			}
			if !reflect.DeepEqual(d.Headings, tt.wantHeadings) {
				t.Errorf("Headings = %q, want %q", d.Headings, tt.wantHeadings)
			}
			if got := d.Date.Format(time.RFC3339); tt.wantDate != "" && got != tt.wantDate || tt.wantDate == "" && !d.Date.IsZero() {
				t.Errorf("Date = %v, want %q", d.Date, tt.wantDate)
			}
			if !reflect.DeepEqual(d.Meta, tt.wantMeta) {
				t.Errorf("Meta = %v, want %v", d.Meta, tt.wantMeta)
			}
		})
	}
}

func TestRejected(t *testing.T) {
	full := fullDOCX(t)
	var manyZip bytes.Buffer
	zw := zip.NewWriter(&manyZip)
	for i := range MaxEntries + 1 {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("f/%d", i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	deep := strings.Repeat("<w:sdt>", maxXMLDepth) + strings.Repeat("</w:sdt>", maxXMLDepth)
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		want    string
	}{
		{"not a zip", []byte("PK\x03\x04 this is not really a zip"), ingest.ErrBadInput, "zip archive is damaged or truncated"},
		{"truncated", full[:len(full)/2], ingest.ErrBadInput, "zip archive is damaged or truncated"},
		{"password-protected", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), ingest.ErrBadInput, "password-protected"},
		{"no document part", buildZip(t, zipFile{"xl/workbook.xml", "<workbook/>"}), ingest.ErrBadInput, "no word/document.xml"},
		{"too many entries", manyZip.Bytes(), ingest.ErrBadInput, "more than the 10000"},
		{"broken XML", buildZip(t, zipFile{"word/document.xml", wordXML(p("", "a")) + "<w:p"}), ingest.ErrBadInput, "word/document.xml is damaged"},
		{"unclosed XML", buildZip(t, zipFile{"word/document.xml", `<w:document ` + nsW + `><w:body><w:p><w:r><w:t>x`}), ingest.ErrBadInput, "word/document.xml is damaged"},
		{"deep nesting", buildZip(t, zipFile{"word/document.xml", wordXML(deep)}), ingest.ErrBadInput, "nests elements more than"},
		{"no text", buildZip(t, zipFile{"word/document.xml", wordXML(p("") + p("", "   "))}), ingest.ErrSkipped, "no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBytes("bad.docx", tt.data)
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %v with %q", err, tt.wantErr, tt.want)
			}
		})
	}
}

func TestZipBomb(t *testing.T) {
	// A small limit keeps the test fast; the check is the same at 64 MB.
	parser := Parser{maxXML: 1 << 20}
	bomb := buildZip(t, zipFile{"word/document.xml", wordXML(strings.Repeat("<w:p/>", 1<<18))})
	if len(bomb) > 64<<10 {
		t.Fatalf("the bomb is %d bytes; it should compress well", len(bomb))
	}
	_, err := parser.Parse(context.Background(), ingest.File{Path: "/bomb.docx", Data: bomb}, ingest.DefaultLimits())
	if !errors.Is(err, ingest.ErrBadInput) || !strings.Contains(err.Error(), "expands to more than 1 MB of XML; it may be a zip bomb") {
		t.Fatalf("err = %v, want a zip bomb error", err)
	}
	if MaxDocumentXML != 64<<20 || (Parser{}).maxXML != 0 {
		t.Fatal("the default limit must be 64 MB")
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New().Parse(ctx, ingest.File{Path: "/x.docx", Data: fullDOCX(t)}, ingest.DefaultLimits())
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestRegister(t *testing.T) {
	reg := ingest.NewRegistry()
	Register(reg)
	if _, kind, ok := reg.Lookup(".DOCX"); !ok || kind != Kind {
		t.Fatalf("Lookup(.DOCX) = %q, %v", kind, ok)
	}
}

// FuzzDOCX checks that no archive makes the parser panic, that it fails
// only with ErrBadInput or ErrSkipped, and that what it returns is UTF-8.
func FuzzDOCX(f *testing.F) {
	f.Add(fullDOCX(f))
	f.Add(buildZip(f, zipFile{"word/document.xml", wordXML(p("Title", "T") + `<w:tbl><w:tr><w:tc>` + p("", "c") + `</w:tc></w:tr></w:tbl>`)}))
	f.Add(buildZip(f, zipFile{"_rels/.rels", relsXML}, zipFile{"word/document.xml", "<w:document><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>"}))
	parser := New()
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := parser.Parse(context.Background(), ingest.File{Path: "/fuzz.docx", Data: data}, ingest.DefaultLimits())
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
			}
			return
		}
		if len(docs) != 1 {
			t.Fatalf("got %d documents", len(docs))
		}
		d := docs[0]
		if d.Title == "" || strings.TrimSpace(d.Body) == "" {
			t.Fatalf("empty title %q or body %q", d.Title, d.Body)
		}
		for _, s := range append([]string{d.Title, d.Body}, d.Headings...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
	})
}

// FuzzDocumentXML fuzzes the document part inside a valid archive, which
// reaches the XML walker far more often than fuzzing the zip bytes does.
func FuzzDocumentXML(f *testing.F) {
	f.Add(wordXML(p("Title", "T") + p("Heading1", "H") + `<w:tbl><w:tr><w:tc>` + p("", "c") + `</w:tc></w:tr></w:tbl>`))
	f.Add(wordXML(`<w:p><w:r><mc:AlternateContent><mc:Fallback>` + p("", "x") + `</mc:Fallback></mc:AlternateContent></w:r></w:p>`))
	f.Add(wordXML(`<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p>`))
	parser := New()
	f.Fuzz(func(t *testing.T, xml string) {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(xml))
		zw.Close()
		docs, err := parser.Parse(context.Background(), ingest.File{Path: "/fuzz.docx", Data: b.Bytes()}, ingest.DefaultLimits())
		if err != nil {
			if !errors.Is(err, ingest.ErrBadInput) && !errors.Is(err, ingest.ErrSkipped) {
				t.Fatalf("error %v wraps neither ErrBadInput nor ErrSkipped", err)
			}
			return
		}
		for _, s := range append([]string{docs[0].Title, docs[0].Body}, docs[0].Headings...) {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
		}
	})
}

package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	lpdf "github.com/ledongthuc/pdf"
)

// Bounds on the page tree: nodes visited and nesting. A tree that is its
// own child is cut off by them instead of being walked forever.
const (
	maxPageTreeNodes = 50_000
	maxPageTreeDepth = 64
)

// extract reads the text and the document information of a PDF. It runs
// in the worker: it may loop, exhaust memory or overflow the stack on a
// hostile file, which is why it runs there. A panic of the library, and any
// reason the PDF cannot be read, comes back in result.Error.
func extract(data []byte, maxOut int) (res result) {
	defer func() {
		if v := recover(); v != nil {
			res = result{Error: fmt.Sprintf("the PDF is damaged (%v)", v)}
		}
	}()
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if errors.Is(err, lpdf.ErrInvalidPassword) {
		return result{Error: "the PDF is protected by a password; remove the password (print it to a new PDF) and import it again"}
	}
	if err != nil && bytes.HasPrefix(data, []byte("%PDF-2.")) {
		// The library checks for "%PDF-1.x"; PDF 2.0 reads the same way
		// for text. The header has the same length either way.
		patched := append([]byte("%PDF-1.7"), data[8:]...)
		r, err = lpdf.NewReader(bytes.NewReader(patched), int64(len(patched)))
	}
	if err != nil {
		return result{Error: openError(err)}
	}

	info := r.Trailer().Key("Info")
	res.Title = info.Key("Title").Text()
	res.Author = info.Key("Author").Text()
	res.Subject = info.Key("Subject").Text()
	res.Keywords = info.Key("Keywords").Text()
	for _, k := range []string{"CreationDate", "ModDate"} {
		if t, ok := parseDate(info.Key(k).Text()); ok {
			res.Date = t.Format(time.RFC3339)
			break
		}
	}

	var b strings.Builder
	var firstErr error
	pageErrs := 0
	for _, page := range pageList(r.Trailer().Key("Root").Key("Pages")) {
		res.Pages++
		text, err := pageText(page)
		if err != nil {
			pageErrs++
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		if text == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString(text)
		if b.Len() > maxOut {
			res.Truncated = true
			break
		}
	}
	if res.Pages == 0 {
		return result{Error: "the PDF has no pages it can read; it may be damaged"}
	}
	if pageErrs == res.Pages {
		return result{Error: fmt.Sprintf("no page of the PDF could be read; it may be damaged (%v)", firstErr)}
	}
	res.Text = b.String()
	if len(res.Text) > maxOut {
		res.Text = clip(res.Text, maxOut)
	}
	return res
}

// pageList walks the page tree once, in order. The library's Reader.Page
// walks it from the root for every page, which is quadratic, and trusts
// /Count, which a hostile file sets to 2^31.
func pageList(root lpdf.Value) []lpdf.Page {
	var pages []lpdf.Page
	budget := maxPageTreeNodes
	var walk func(node lpdf.Value, depth int)
	walk = func(node lpdf.Value, depth int) {
		if budget <= 0 || depth > maxPageTreeDepth || node.Kind() != lpdf.Dict {
			return
		}
		budget--
		kids := node.Key("Kids")
		switch t := node.Key("Type").Name(); {
		case t == "Page" || t == "" && kids.Kind() != lpdf.Array && node.Key("Contents").Kind() != lpdf.Null:
			pages = append(pages, lpdf.Page{V: node})
		case kids.Kind() == lpdf.Array:
			for i := 0; i < kids.Len() && budget > 0; i++ {
				walk(kids.Index(i), depth+1)
			}
		}
	}
	walk(root, 0)
	return pages
}

// openError turns the library's error on opening into a reason for the user.
func openError(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "invalid header"):
		return "not a PDF file: it does not start with %PDF-1.x"
	case strings.Contains(msg, "EOF"):
		return "the PDF is truncated: its end (%%EOF) is missing; copy or download it again"
	case strings.Contains(msg, "encrypt"):
		return "the PDF is encrypted in a way Engram cannot read (" + msg + "); save an unprotected copy and import that"
	}
	return "the PDF is damaged or truncated (" + msg + ")"
}

// pageText returns the text of one page, laid out by layout.go. When the
// page's content cannot be read that way it falls back to the library's
// plain text, which knows no positions.
func pageText(p lpdf.Page) (text string, err error) {
	defer func() {
		if v := recover(); v != nil {
			text, err = p.GetPlainText(nil)
		}
	}()
	if p.V.Key("Contents").Kind() == lpdf.Null {
		return "", nil
	}
	l := newLayout()
	l.run(p.V.Key("Contents"), p.Resources(), identity, 0)
	return tidy(l.b.String()), nil
}

func endsWithSpace(b *strings.Builder) bool {
	s := b.String()
	return s == "" || s[len(s)-1] == ' ' || s[len(s)-1] == '\n'
}

var blankRuns = regexp.MustCompile(`\n{3,}`)

// tidy trims the lines and folds runs of blank lines.
func tidy(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.TrimSpace(blankRuns.ReplaceAllString(strings.Join(lines, "\n"), "\n\n"))
}

var pdfDatePattern = regexp.MustCompile(`^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?|[+-]\d{2})?`)

// parseDate reads a PDF date, "D:YYYYMMDDHHmmSSOHH'mm'", any suffix of
// which may be missing.
func parseDate(s string) (time.Time, bool) {
	m := pdfDatePattern.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	num := func(s string, def int) int {
		if s == "" {
			return def
		}
		n, _ := strconv.Atoi(s)
		return n
	}
	year, month, day := num(m[1], 0), num(m[2], 1), num(m[3], 1)
	hour, min, sec := num(m[4], 0), num(m[5], 0), num(m[6], 0)
	if year < 1900 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60 {
		return time.Time{}, false
	}
	loc := time.UTC
	if z := strings.ReplaceAll(m[7], "'", ""); z != "" && z != "Z" {
		sign := 1
		if z[0] == '-' {
			sign = -1
		}
		oh := num(z[1:3], 0)
		om := 0
		if len(z) >= 5 {
			om = num(z[3:5], 0)
		}
		loc = time.FixedZone("", sign*(oh*3600+om*60))
	}
	return time.Date(year, time.Month(month), day, hour, min, sec, 0, loc), true
}

package embed

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
)

// Chunk is one passage of a document, the unit that is embedded.
type Chunk struct {
	// Text is what is embedded: the document's title, the heading the
	// passage sits under, and the passage.
	Text string
	// Passage is the passage alone, shown as the snippet of a hit.
	Passage string
	// Hash identifies Text: the key of its vector in the cache, so the same
	// passage is embedded once per model, whichever document holds it.
	Hash string
}

// ChunkOptions bound the passages. Zero values take the defaults noted.
type ChunkOptions struct {
	// MaxChars bounds a passage, 200 to 8,000 bytes; zero means 1,200
	// (about 300 tokens, within every embedding model's context).
	MaxChars int
	// MaxChunks bounds the passages of one document, 1 to 1,024; zero means
	// 64. The rest of a longer document is not embedded (it is still found
	// by its words).
	MaxChunks int
}

func (o ChunkOptions) norm() ChunkOptions {
	o.MaxChars = clamp(o.MaxChars, 1200, 200, 8000)
	o.MaxChunks = clamp(o.MaxChunks, 64, 1, 1024)
	return o
}

// HashText is the cache key of a text: hex SHA-256, 128 bits.
func HashText(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

// Chunks splits a document into passages on its structure: a heading
// starts a new section (a line that is one of d.Headings, or a Markdown
// "#" line), a blank line ends a paragraph, and paragraphs are packed into
// passages of at most MaxChars bytes; a longer paragraph is cut at sentence
// ends, else at spaces, else at a rune boundary. In mail, quoted lines
// ("> ..."), the "On ... wrote:" line before them and everything from an
// "-----Original Message-----" or forwarded-message separator on are
// dropped: they are other messages, embedded where they were written.
// The same document always gives the same chunks.
func Chunks(d *document.Document, opts ChunkOptions) []Chunk {
	opts = opts.norm()
	body := d.Body
	if d.Source == document.SourceEmail {
		body = StripQuotes(body)
	}
	headings := make(map[string]bool, len(d.Headings))
	for _, h := range d.Headings {
		headings[strings.TrimSpace(h)] = true
	}
	title := oneLine(d.Title, 200)
	var out []Chunk
	var cur strings.Builder
	heading := ""
	emit := func() {
		p := strings.TrimSpace(cur.String())
		cur.Reset()
		if p == "" || len(out) >= opts.MaxChunks {
			return
		}
		text := p
		if heading != "" && heading != title {
			text = heading + "\n" + text
		}
		if title != "" {
			text = title + "\n" + text
		}
		out = append(out, Chunk{Text: text, Passage: p, Hash: HashText(text)})
	}
	add := func(para string) {
		for _, piece := range cut(para, opts.MaxChars) {
			if cur.Len() > 0 && cur.Len()+2+len(piece) > opts.MaxChars {
				emit()
			}
			if cur.Len() > 0 {
				cur.WriteString("\n\n")
			}
			cur.WriteString(piece)
		}
	}
	var para strings.Builder
	flush := func() {
		if p := strings.TrimSpace(para.String()); p != "" {
			add(p)
		}
		para.Reset()
	}
	for line := range strings.Lines(body) {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			flush()
		case headings[t] || isMarkdownHeading(t):
			flush()
			emit()
			heading = oneLine(strings.TrimLeft(t, "# "), 200)
		default:
			if para.Len() > 0 {
				para.WriteByte(' ')
			}
			para.WriteString(t)
		}
		if len(out) >= opts.MaxChunks {
			break
		}
	}
	flush()
	emit()
	if len(out) == 0 && title != "" {
		// A document with a title and no text is found by its title.
		out = append(out, Chunk{Text: title, Passage: title, Hash: HashText(title)})
	}
	return out
}

func isMarkdownHeading(t string) bool {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	return n >= 1 && n <= 6 && n < len(t) && t[n] == ' '
}

// oneLine collapses white space and bounds s to max bytes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > max {
		s = truncate(s, max)
	}
	return s
}

// truncate cuts s to at most n bytes at a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	if cut == 0 { // no rune starts in reach: not UTF-8; cut the bytes
		cut = n
	}
	return s[:cut]
}

// cut splits a paragraph into pieces of at most max bytes: at the last
// sentence end that fits, else the last space, else a rune boundary.
func cut(p string, max int) []string {
	var out []string
	for len(p) > max {
		head := truncate(p, max)
		i := lastSentenceEnd(head)
		if i < max/3 {
			i = strings.LastIndexFunc(head, unicode.IsSpace)
		}
		if i < max/3 {
			i = len(head)
		}
		if i < 1 {
			i = 1 // always progress
		}
		if piece := strings.TrimSpace(p[:i]); piece != "" {
			out = append(out, piece)
		}
		p = strings.TrimSpace(p[i:])
	}
	if p != "" {
		out = append(out, p)
	}
	return out
}

// lastSentenceEnd is the index just after the last ". ", "! " or "? " in s,
// or -1.
func lastSentenceEnd(s string) int {
	best := -1
	for _, sep := range []string{". ", "! ", "? ", "。"} {
		if i := strings.LastIndex(s, sep); i >= 0 && i+len(sep) > best {
			best = i + len(sep)
		}
	}
	return best
}

// StripQuotes removes what a message quotes of others: lines starting
// with '>', the attribution line before them ("On Mon, Ann wrote:"), and
// everything from an Outlook "-----Original Message-----" or a forwarded
// message's separator on.
func StripQuotes(body string) string {
	var b strings.Builder
	var pending string // a possible attribution line, kept until we see what follows
	for line := range strings.Lines(body) {
		t := strings.TrimSpace(line)
		if isQuoteCut(t) {
			break
		}
		if strings.HasPrefix(t, ">") {
			pending = ""
			continue
		}
		if pending != "" {
			b.WriteString(pending)
			pending = ""
		}
		if strings.HasSuffix(t, "wrote:") || strings.HasSuffix(t, "writes:") {
			pending = line
			continue
		}
		b.WriteString(line)
	}
	if pending != "" && !strings.HasSuffix(strings.TrimSpace(pending), "wrote:") {
		b.WriteString(pending)
	}
	return b.String()
}

func isQuoteCut(t string) bool {
	l := strings.ToLower(strings.Trim(t, "-_ *"))
	switch l {
	case "original message", "forwarded message", "begin forwarded message:", "forwarded by":
		return true
	}
	return strings.HasPrefix(t, "-----") && (strings.Contains(l, "original message") || strings.Contains(l, "forwarded"))
}

// Package eml parses a single RFC 5322 email message (an .eml file, or one
// file of a Maildir or an Enron-style folder) into a document: decoded
// headers, the text of the message (text/plain preferred, HTML converted to
// text), attachments listed, and text attachments appended to the body.
package eml

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	_ "github.com/emersion/go-message/charset" // every charset for message bodies and RFC 2047 words
	"github.com/emersion/go-message/mail"
	"github.com/emersion/go-message/textproto"
	"golang.org/x/text/encoding/charmap"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Kind is the parser kind registered with the ingest registry.
const Kind = "eml"

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".eml"} }

// MetaUnreadableDate is the Meta key holding a Date field that could not be
// read; the document then has no date (unknown), never the file's mtime.
const MetaUnreadableDate = "date_unreadable"

// NoSubject is the title of a message without a subject.
const NoSubject = "(no subject)"

// Parser parses one message into one document. It is safe for concurrent
// use.
type Parser struct{}

// New returns an email message parser.
func New() ingest.Parser { return Parser{} }

// mailHeaders are the header fields of which at least one must be present
// for a file to be taken as a message.
var mailHeaders = []string{
	"From", "To", "Subject", "Date", "Message-Id", "Received", "Return-Path",
	"Mime-Version", "Content-Type", "Cc", "Sender", "Delivered-To", "X-From",
}

// Parse reads f as one message. The document's ID is
// document.MessageDocID of its Message-ID, so a message found in several
// files is stored once; a message without one gets no ID and the pipeline
// names it by its path. Parse returns an error wrapping
// ingest.ErrBadInput when f has no mail headers at all (binary data, another
// kind of file), and ctx.Err() when ctx is done. A message whose headers can
// be read but whose body cannot still gives a document; what went wrong is
// in Meta["parse_warning"]. MIME parts nested deeper than lim.MaxDepth are
// ignored and noted the same way.
func (Parser) Parse(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data := bytes.TrimPrefix(f.Data, []byte{0xEF, 0xBB, 0xBF})
	if err := sniff(data); err != nil {
		return nil, fmt.Errorf("reading email %s: %w", f.Path, err)
	}
	data = skipMboxFromLine(data)
	data, headerCut := capHeader(data, MaxHeaderBytes)

	br := bufio.NewReader(bytes.NewReader(data))
	th, herr := textproto.ReadHeader(br)
	h := mail.Header{Header: message.Header{Header: th}}
	if !looksLikeMail(h) {
		reason := "it has no mail headers (From, To, Subject, Date)"
		if herr != nil {
			reason = "its header block cannot be read"
		}
		return nil, fmt.Errorf("reading email %s: %w: %s; it is not an email message", f.Path, ingest.ErrBadInput, reason)
	}

	doc := document.Document{Source: document.SourceEmail, Meta: map[string]string{}}
	c := collector{ctx: ctx, maxDepth: lim.MaxDepth, maxRead: int64(len(data))*4 + 4096}
	if c.maxDepth <= 0 {
		c.maxDepth = ingest.DefaultLimits().MaxDepth
	}
	if herr != nil {
		c.warn("header: " + herr.Error())
	}
	if headerCut {
		c.cut(fmt.Sprintf("the header is larger than %s; only its first %s were read", ingest.HumanBytes(MaxHeaderBytes), ingest.HumanBytes(MaxHeaderBytes)))
	}
	readHeader(&doc, h)
	// The same message found in two files or folders is one document.
	doc.ID = document.MessageDocID(doc.MessageID)

	entity, err := message.New(h.Header, br)
	if err != nil && entity == nil {
		c.warn("body: " + err.Error())
	}
	if entity != nil {
		if err != nil {
			c.warn(err.Error())
		}
		if err := c.walk(entity, 0); err != nil {
			return nil, err
		}
	}
	doc.Body = c.body()
	doc.Attachments = c.attachments
	if len(c.warnings) > 0 {
		doc.Meta["parse_warning"] = strings.Join(c.warnings, "; ")
	}
	if len(c.cuts) > 0 {
		doc.Meta[ingest.MetaCut] = strings.Join(c.cuts, "; ")
	}
	if len(doc.Meta) == 0 {
		doc.Meta = nil
	}
	return []document.Document{doc}, nil
}

// sniff rejects data that cannot be a message before any parsing.
func sniff(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return fmt.Errorf("%w: the file is empty", ingest.ErrBadInput)
	}
	head := data
	if len(head) > 8192 {
		head = head[:8192]
	}
	// The header block is 7-bit text; NUL bytes near the start mean a
	// binary file.
	end := bytes.Index(head, []byte("\n\n"))
	if end < 0 {
		end = len(head)
	}
	if bytes.IndexByte(head[:end], 0) >= 0 {
		return fmt.Errorf("%w: the file contains binary data; it is not an email message", ingest.ErrBadInput)
	}
	return nil
}

// skipMboxFromLine drops the "From sender date" separator line that mbox
// tools leave at the top of a saved message.
func skipMboxFromLine(data []byte) []byte {
	if !bytes.HasPrefix(data, []byte("From ")) {
		return data
	}
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return data[i+1:]
	}
	return data
}

// MaxHeaderBytes bounds the header block of a message; past it the header
// is cut at a line end and the body still read.
const MaxHeaderBytes = 1 << 20

// capHeader cuts a header block longer than max at the last line end
// before max, keeping the body after it. cut says whether it did.
func capHeader(data []byte, max int) ([]byte, bool) {
	end, body := len(data), len(data)
	for i := 0; i+1 < len(data); i++ {
		if data[i] != '\n' {
			continue
		}
		if data[i+1] == '\n' {
			end, body = i+1, i+2
			break
		}
		if data[i+1] == '\r' && i+2 < len(data) && data[i+2] == '\n' {
			end, body = i+1, i+3
			break
		}
		if i > max {
			// Past the limit with no blank line yet: find it without
			// scanning byte by byte.
			if j := bytes.Index(data[i:], []byte("\n\n")); j >= 0 {
				end, body = i+j+1, i+j+2
			} else if j := bytes.Index(data[i:], []byte("\n\r\n")); j >= 0 {
				end, body = i+j+1, i+j+3
			}
			break
		}
	}
	if end <= max {
		return data, false
	}
	keep := bytes.LastIndexByte(data[:max], '\n') + 1
	if keep <= 0 {
		keep = max
	}
	out := make([]byte, 0, keep+2+len(data)-body)
	out = append(out, data[:keep]...)
	if keep == max {
		out = append(out, '\n')
	}
	out = append(out, '\n')
	return append(out, data[body:]...), true
}

func looksLikeMail(h mail.Header) bool {
	for _, k := range mailHeaders {
		if h.Has(k) {
			return true
		}
	}
	return false
}

// readHeader fills the document fields that come from the message header.
func readHeader(doc *document.Document, h mail.Header) {
	subject, err := h.Subject()
	if err != nil {
		subject = h.Get("Subject")
	}
	// Unfolded only (line breaks of folded headers dropped): the subject
	// keeps its spacing as the sender typed it, so searching for it as
	// written finds it.
	doc.Title = strings.TrimSpace(strings.NewReplacer("\r", "", "\n", "").Replace(validUTF8(subject)))
	if doc.Title == "" {
		doc.Title = NoSubject
	}
	// The Enron corpus writes bare addresses in From/To/Cc and the names in
	// X-From/X-To/X-cc.
	doc.SetPeople(withEnronNames(addressList(h, "From"), headerText(h, "X-From")),
		withEnronNames(addressList(h, "To"), headerText(h, "X-To")),
		withEnronNames(addressList(h, "Cc"), headerText(h, "X-Cc")))
	if t, ok := messageDate(h); ok {
		doc.Date = t
	} else if v := strings.TrimSpace(h.Get("Date")); v != "" {
		// Date stays zero: the message's date is unknown, not the file's.
		doc.Meta[MetaUnreadableDate] = validUTF8(v)
	}
	doc.MessageID = firstID(msgIDs(h, "Message-Id"))
	doc.InReplyTo = firstID(msgIDs(h, "In-Reply-To"))
	doc.References = msgIDs(h, "References")

	for key, header := range map[string]string{
		"x-from": "X-From", "x-to": "X-To", "x-cc": "X-Cc", "x-folder": "X-Folder", "cc": "Cc",
	} {
		if v := strings.TrimSpace(headerText(h, header)); v != "" {
			doc.Meta[key] = v
		}
	}
}

// headerText returns a header field decoded from RFC 2047, or raw when it
// cannot be decoded, always as valid UTF-8 on one line.
func headerText(h mail.Header, key string) string {
	v, err := h.Text(key)
	if err != nil {
		v = h.Get(key)
	}
	return collapseSpace(validUTF8(v))
}

// messageDate reads the Date field: as RFC 5322, else leniently as
// Python's email package and GMime do (parseDate). A field that cannot be
// read gives no date, never a guess.
func messageDate(h mail.Header) (time.Time, bool) {
	if t, err := h.Date(); err == nil && !t.IsZero() {
		return t, true
	}
	return parseDate(h.Get("Date"))
}

var angleID = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs returns the message identifiers of a field without angle brackets.
func msgIDs(h mail.Header, key string) []string {
	raw := h.Get(key)
	if raw == "" {
		return nil
	}
	if ids, err := h.MsgIDList(key); err == nil && len(ids) > 0 {
		return ids
	}
	var out []string
	for _, m := range angleID.FindAllStringSubmatch(raw, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		for _, f := range strings.Fields(raw) {
			if f = strings.Trim(f, "<>,"); f != "" {
				out = append(out, f)
			}
		}
	}
	return out
}

func firstID(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// validUTF8 returns s as UTF-8. Headers sent as raw 8-bit text are, in the
// old mail Engram imports, almost always Windows-1252.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	out, err := charmap.Windows1252.NewDecoder().String(s)
	if err != nil {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	return out
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// bodyText is one text part of a message, HTML already turned to text.
type bodyText struct {
	text string
	html bool
}

// collector gathers the text and attachments of a message while walking its
// MIME tree.
type collector struct {
	ctx         context.Context
	maxDepth    int
	maxRead     int64
	texts       []bodyText // the text parts in message order
	attached    []string   // text of text attachments, each under its heading line
	attachments []document.Attachment
	warnings    []string
	cuts        []string // limits that cut the message, also warnings
}

// cut notes that a limit cut the message's input.
func (c *collector) cut(s string) {
	c.warn(s)
	for _, w := range c.cuts {
		if w == s {
			return
		}
	}
	c.cuts = append(c.cuts, s)
}

func (c *collector) warn(s string) {
	for _, w := range c.warnings {
		if w == s {
			return
		}
	}
	c.warnings = append(c.warnings, s)
}

// walk visits e and, for multipart entities, its parts, up to maxDepth
// levels of nesting. Only a done ctx stops it; damaged parts are noted and
// skipped.
func (c *collector) walk(e *message.Entity, depth int) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	mediaType, params, err := e.Header.ContentType()
	if err != nil || mediaType == "" {
		mediaType = "text/plain"
	}
	if mr := e.MultipartReader(); mr != nil {
		if depth >= c.maxDepth {
			c.cut(fmt.Sprintf("MIME parts nested deeper than %d levels were ignored", c.maxDepth))
			return nil
		}
		if mediaType == "multipart/alternative" {
			// The alternatives are one body: the plain text, else the HTML.
			start := len(c.texts)
			defer func() { c.texts = append(c.texts[:start], pickAlternative(c.texts[start:])...) }()
		}
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				return nil
			}
			if part == nil || (err != nil && !message.IsUnknownCharset(err) && !message.IsUnknownEncoding(err)) {
				if err != nil {
					c.warn("multipart: " + err.Error())
				}
				return nil
			}
			if err != nil {
				c.warn(err.Error())
			}
			if err := c.walk(part, depth+1); err != nil {
				return err
			}
		}
	}

	disp, dparams, _ := e.Header.ContentDisposition()
	name := dparams["filename"]
	if name == "" {
		name = params["name"]
	}
	name = validUTF8(decodeWord(name))
	isText := mediaType == "text/plain" || mediaType == "text/html"
	attachment := strings.EqualFold(disp, "attachment") || (name != "" && !isText) ||
		(name != "" && !strings.EqualFold(disp, "inline"))

	if mediaType == "message/rfc822" && !attachment {
		if depth >= c.maxDepth {
			c.cut(fmt.Sprintf("MIME parts nested deeper than %d levels were ignored", c.maxDepth))
			return nil
		}
		inner, err := message.Read(io.LimitReader(e.Body, c.maxRead))
		if inner == nil {
			c.warn("forwarded message: " + err.Error())
			return nil
		}
		ih := mail.Header{Header: inner.Header}
		c.texts = append(c.texts, bodyText{text: forwardedHeader(ih)})
		return c.walk(inner, depth+1)
	}

	if attachment {
		if name == "" {
			name = "attachment"
		}
		content, size := c.read(e.Body, mediaType == "text/plain")
		c.attachments = append(c.attachments, document.Attachment{Name: name, ContentType: mediaType, Size: size})
		if mediaType == "text/plain" {
			if t := strings.TrimSpace(normalizeNewlines(content)); t != "" {
				c.attached = append(c.attached, "Attachment: "+name+"\n"+t)
			}
		}
		return nil
	}

	switch mediaType {
	case "text/plain":
		content, _ := c.read(e.Body, true)
		c.texts = append(c.texts, bodyText{text: normalizeNewlines(content)})
	case "text/html":
		content, _ := c.read(e.Body, true)
		c.texts = append(c.texts, bodyText{text: htmlToText(content), html: true})
	default:
		if !strings.HasPrefix(mediaType, "text/") {
			// An inline image or other binary part without a name.
			_, size := c.read(e.Body, false)
			c.attachments = append(c.attachments, document.Attachment{Name: "part", ContentType: mediaType, Size: size})
			return nil
		}
		content, _ := c.read(e.Body, true)
		c.texts = append(c.texts, bodyText{text: normalizeNewlines(content)})
	}
	return nil
}

// read reads a part's decoded body, keeping it only when keep is set. A
// damaged encoding keeps what was decoded before the damage.
func (c *collector) read(r io.Reader, keep bool) (string, int64) {
	lr := io.LimitReader(r, c.maxRead)
	if !keep {
		n, err := io.Copy(io.Discard, lr)
		if err != nil {
			c.warn("attachment: " + err.Error())
		}
		return "", n
	}
	b, err := io.ReadAll(lr)
	if err != nil {
		c.warn("body: " + err.Error())
	}
	if int64(len(b)) >= c.maxRead {
		c.cut(fmt.Sprintf("a part decodes to more than %s; the rest of it was not read", ingest.HumanBytes(c.maxRead)))
	}
	return validUTF8(string(b)), int64(len(b))
}

// pickAlternative returns the parts of a multipart/alternative to keep:
// the plain-text ones when one has text, else the HTML ones.
func pickAlternative(parts []bodyText) []bodyText {
	var plain, html []bodyText
	hasPlain := false
	for _, p := range parts {
		if p.html {
			html = append(html, p)
			continue
		}
		plain = append(plain, p)
		hasPlain = hasPlain || strings.TrimSpace(p.text) != ""
	}
	if hasPlain {
		return plain
	}
	return html
}

// body is the message text: its text parts in order (an HTML part beside
// a plain one in multipart/mixed is text of its own; the alternatives of a
// multipart/alternative were already reduced to one), then the text
// attachments.
func (c *collector) body() string {
	var all []string
	for _, p := range c.texts {
		if t := strings.TrimSpace(p.text); t != "" {
			all = append(all, t)
		}
	}
	all = append(all, c.attached...)
	return strings.Join(all, "\n\n")
}

func forwardedHeader(h mail.Header) string {
	var b strings.Builder
	b.WriteString("Forwarded message")
	for _, k := range []string{"From", "Date", "Subject"} {
		if v := headerText(h, k); v != "" {
			b.WriteString("\n" + k + ": " + v)
		}
	}
	return b.String()
}

func normalizeNewlines(s string) string {
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// decodeWord decodes an RFC 2047 encoded file name; go-message already
// decodes RFC 2231 parameters.
func decodeWord(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	dec := mime.WordDecoder{CharsetReader: message.CharsetReader}
	out, err := dec.DecodeHeader(s)
	if err != nil {
		return s
	}
	return out
}

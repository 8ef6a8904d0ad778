// Package mbox reads mbox mailboxes (mboxo, mboxrd; Thunderbird folders,
// mutt folders, mailing-list archives) into one document per message. Each
// message is parsed by the eml parser, so MIME, charsets and HTML bodies are
// handled as for a single .eml file.
package mbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/eml"
)

// Kind is the parser kind registered with the ingest registry.
const Kind = "mbox"

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".mbox", ".mbx"} }

// DefaultMaxMessages is how many messages of one file are read at most, so
// that a huge or hostile file cannot take an import's memory.
const DefaultMaxMessages = 200_000

// MetaIndex is the Meta key holding a message's position in its mbox
// (0-based, counting every "From " separator).
const MetaIndex = "mbox_index"

// Parser splits an mbox into messages and parses each with the eml parser.
// It is safe for concurrent use.
type Parser struct {
	msg         ingest.Parser
	maxMessages int
}

// New returns an mbox parser that reads at most DefaultMaxMessages messages
// of a file.
func New() ingest.Parser { return &Parser{msg: eml.New(), maxMessages: DefaultMaxMessages} }

// Parse returns one document per message of f, in file order. Each keeps
// Path = f.Path and Meta[MetaIndex]; its ID is document.MessageDocID of its
// Message-ID, so a message also found elsewhere is stored once, and
// otherwise document.IDFor(path + "#" + index). A Message-ID seen twice in
// the same file gives one document (the first). A message whose headers are
// not a mail's (an archive's stub) is kept with what it says; a truncated
// last message gives what
// can be read. Past the message limit the rest of the file is ignored and
// the last document says so in Meta["parse_warning"]. Parse returns an error
// wrapping ingest.ErrBadInput when no message can be read, and ctx.Err()
// when ctx is done (checked between messages).
func (p *Parser) Parse(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data := bytes.TrimPrefix(f.Data, []byte{0xEF, 0xBB, 0xBF})
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("reading mbox %s: %w: the file is empty", f.Path, ingest.ErrBadInput)
	}
	if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
		return nil, fmt.Errorf("reading mbox %s: %w: the file contains binary data; it is not a mailbox", f.Path, ingest.ErrBadInput)
	}
	limit := p.maxMessages
	if limit <= 0 {
		limit = DefaultMaxMessages
	}
	var (
		docs    []document.Document
		seen    = map[string]bool{}
		sc      = scanner{data: data}
		index   = -1
		badErr  error
		limited bool
	)
	for {
		from, raw, ok := sc.next()
		if !ok {
			break
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		blank := len(bytes.TrimSpace(raw)) == 0
		if from == nil && blank {
			continue // blank lines before the first separator
		}
		index++
		if index >= limit {
			limited = true
			break
		}
		if blank {
			continue
		}
		raw = unescapeFrom(raw)
		got, err := p.msg.Parse(ctx, ingest.File{Path: f.Path, Data: raw, ModTime: f.ModTime, Size: f.Size}, lim)
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, ctxErr
			}
			if !errors.Is(err, ingest.ErrBadInput) {
				return nil, fmt.Errorf("reading mbox %s, message %d: %w", f.Path, index, err)
			}
			// The separator says a message is here even when its headers
			// are not a mail's (an archive's stub with only Archived-At):
			// keep it, with what it says, rather than lose a message.
			stub, ok := stubMessage(raw)
			if !ok {
				badErr = err
				continue
			}
			got = []document.Document{stub}
		}
		for _, d := range got {
			d.Path = f.Path
			if d.Meta == nil {
				d.Meta = map[string]string{}
			}
			d.Meta[MetaIndex] = strconv.Itoa(index)
			if d.ID == "" {
				d.ID = document.IDFor(f.Path + "#" + strconv.Itoa(index))
			}
			if seen[d.ID] {
				continue
			}
			seen[d.ID] = true
			if d.Date.IsZero() && d.Meta[eml.MetaUnreadableDate] == "" {
				d.Date = fromLineDate(from) // no Date field: the delivery date
			}
			d.ContentHash = document.HashContent(raw)
			docs = append(docs, d)
		}
	}
	if len(docs) == 0 {
		if badErr != nil {
			return nil, fmt.Errorf("reading mbox %s: %w: no message in it can be read (%v)", f.Path, ingest.ErrBadInput, badErr)
		}
		return nil, fmt.Errorf("reading mbox %s: %w: no messages found; an mbox starts each message with a \"From \" line", f.Path, ingest.ErrBadInput)
	}
	if limited {
		last := &docs[len(docs)-1]
		note := fmt.Sprintf("the mbox has more than %d messages; the rest were not imported", limit)
		if w := last.Meta["parse_warning"]; w != "" {
			note = w + "; " + note
		}
		last.Meta["parse_warning"] = note
	}
	return docs, nil
}

// Sniff reports whether a file that no extension claims is an mbox: its
// first line is a "From " separator with a sender and a date ("From
// MAILER-DAEMON Wed May 26 00:26:54 2021", "From jjl at pobox.com  Thu Nov
// 1 11:19:12 2001"). Only files without an extension, .mbox and .txt are
// claimed: pipermail archives are .txt mboxes, and the registry asks this
// sniffer before the text parser for .txt files. Files in a Maildir's tmp/
// are never claimed. Sniff is safe for concurrent use.
func Sniff(path string, head []byte) bool {
	if ext := strings.ToLower(filepath.Ext(path)); ext != "" && ext != "." && ext != ".mbox" && ext != ".txt" {
		return false
	}
	if eml.InMaildirTmp(path) {
		return false
	}
	head = bytes.TrimPrefix(head, []byte{0xEF, 0xBB, 0xBF})
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	return isFromLine(line)
}

// scanner cuts an mbox into messages at its "From " separator lines.
type scanner struct {
	data []byte
	off  int
}

// next returns the separator line (nil for text before the first one) and
// the message after it, without the separator, up to the next separator or
// the end of the data. ok is false at the end.
func (s *scanner) next() (from, msg []byte, ok bool) {
	if s.off >= len(s.data) {
		return nil, nil, false
	}
	start := s.off
	if line := lineAt(s.data, start); isFromLine(line) {
		from = line
		start += len(line)
		if start < len(s.data) {
			start++ // the newline
		}
	}
	end := len(s.data)
	pos := start
	if pos > 0 {
		pos-- // the newline before, so that a separator right at start is seen
	}
	for pos < len(s.data) {
		i := bytes.Index(s.data[pos:], []byte("\nFrom "))
		if i < 0 {
			break
		}
		cand := pos + i + 1
		if isFromLine(lineAt(s.data, cand)) {
			end = cand
			break
		}
		pos = cand
	}
	s.off = end
	return from, s.data[start:end], true
}

// lineAt returns the line starting at off, without its newline.
func lineAt(data []byte, off int) []byte {
	line := data[off:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i]
	}
	return line
}

var (
	fromTime = regexp.MustCompile(`\b[0-9]{1,2}:[0-9]{2}\b`)
	fromYear = regexp.MustCompile(`\b(19|20)[0-9]{2}\b`)
)

// isFromLine reports whether line is an mbox separator: "From ", a sender,
// then a date with a time and a year. Requiring the date keeps a body line
// such as "From the desk of..." (which a careless writer left unquoted)
// inside its message.
func isFromLine(line []byte) bool {
	line = bytes.TrimSuffix(line, []byte("\r"))
	if !bytes.HasPrefix(line, []byte("From ")) || len(line) > 1000 {
		return false
	}
	rest := line[5:]
	if len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' {
		return false
	}
	return fromTime.Match(rest) && fromYear.Match(rest)
}

// unescapeFrom undoes the quoting of mboxrd and mboxo writers: a body line
// ">From ..." (or ">>From ...") loses one ">".
func unescapeFrom(msg []byte) []byte {
	if !bytes.Contains(msg, []byte(">From ")) {
		return msg
	}
	out := make([]byte, 0, len(msg))
	for len(msg) > 0 {
		line := msg
		if i := bytes.IndexByte(msg, '\n'); i >= 0 {
			line = msg[:i+1]
		}
		msg = msg[len(line):]
		if quoted := bytes.TrimLeft(line, ">"); len(quoted) < len(line) && bytes.HasPrefix(quoted, []byte("From ")) {
			line = line[1:]
		}
		out = append(out, line...)
	}
	return out
}

// fromLineLayouts are the date forms of separator lines (asctime, with or
// without a zone).
var fromLineLayouts = []string{
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon, 2 Jan 2006 15:04:05 -0700",
}

// fromLineDate reads the date of a separator line, for a message without a
// Date field; zero when there is none.
func fromLineDate(line []byte) time.Time {
	fields := strings.Fields(string(bytes.TrimSpace(line)))
	// "From" sender date...: the sender is one word, or "user at host".
	for skip := 2; skip <= 4 && skip < len(fields); skip++ {
		v := strings.Join(fields[skip:], " ")
		for _, layout := range fromLineLayouts {
			if t, err := time.Parse(layout, v); err == nil {
				return t
			}
		}
	}
	return time.Time{}
}

// stubMessage makes a document of a message the mail parser refused, when
// it is text that starts with a header line ("Archived-At: <...>"): its
// header values go to Meta and the text after them to Body.
func stubMessage(raw []byte) (document.Document, bool) {
	if bytes.IndexByte(raw, 0) >= 0 || !utf8.Valid(raw) {
		return document.Document{}, false
	}
	head, body, _ := bytes.Cut(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), []byte("\n\n"))
	d := document.Document{Source: document.SourceEmail, Title: eml.NoSubject, Meta: map[string]string{}}
	for _, line := range strings.Split(string(head), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			if len(d.Meta) == 0 {
				return document.Document{}, false
			}
			continue
		}
		d.Meta[strings.ToLower(k)] = strings.TrimSpace(v)
	}
	d.Body = strings.TrimSpace(string(body))
	return d, len(d.Meta) > 0
}

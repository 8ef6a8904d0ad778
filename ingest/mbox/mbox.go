// Package mbox reads mbox mailboxes (mboxo, mboxrd; Thunderbird folders,
// mutt folders, mailing-list archives) into one document per message. Each
// message is parsed by the eml parser, so MIME, charsets and HTML bodies are
// handled as for a single .eml file.
package mbox

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
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

// recentIDs is how many of the last documents' IDs a stream remembers, so
// that a message repeated in a row (a mailer that wrote it twice) gives one
// document. A repeat further apart is the same document put again: the
// store holds it once, and memory stays bounded whatever the file's size.
const recentIDs = 4096

// MetaIndex is the Meta key holding a message's position in its mbox
// (0-based, counting every "From " separator).
const MetaIndex = "mbox_index"

// Parser splits an mbox into messages and parses each with the eml parser.
// It is safe for concurrent use.
type Parser struct {
	msg         ingest.Parser
	maxMessages int // 0: Limits.MaxMessages
}

// New returns an mbox parser that reads at most Limits.MaxMessages messages
// of a file.
func New() ingest.Parser { return &Parser{msg: eml.New()} }

// Parse returns one document per message of f, in file order; it is
// ParseStream over f.Data, with a note of a limit that cut the file added
// to the last document's Meta["parse_warning"] (and Meta[ingest.MetaCut]).
// Each document keeps Path = f.Path and Meta[MetaIndex]; its ID is
// document.MessageDocID of its Message-ID, so a message also found
// elsewhere is stored once, and otherwise document.IDFor(path + "#" +
// index). Parse returns an error wrapping ingest.ErrBadInput when no
// message can be read, and ctx.Err() when ctx is done.
func (p *Parser) Parse(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	var docs []document.Document
	for it, err := range p.ParseStream(ctx, ingest.StreamFile{Path: f.Path, R: bytes.NewReader(f.Data), ModTime: f.ModTime, Size: f.Size}, lim) {
		if err != nil {
			return nil, err
		}
		if it.Note != "" && len(docs) > 0 {
			last := &docs[len(docs)-1]
			addNote(last, "parse_warning", it.Note)
			addNote(last, ingest.MetaCut, it.Note)
			continue
		}
		docs = append(docs, it.Doc)
	}
	return docs, nil
}

func addNote(d *document.Document, key, note string) {
	if w := d.Meta[key]; w != "" {
		note = w + "; " + note
	}
	d.Meta[key] = note
}

// ParseStream yields the messages of f.R one at a time (see Parse for the
// documents), reading it line by line: at most one message is held, and a
// message larger than lim.MaxFileBytes is cut there (the rest of it is read
// past, and the document says so in Meta[ingest.MetaCut]). Each item's End
// is the byte offset of the next message's "From " line, so an import can
// resume there: f.Offset and f.Count say where reading starts and how
// many messages came before. Past the message limit (Limits.MaxMessages)
// an item with a Note ends the sequence.
func (p *Parser) ParseStream(ctx context.Context, f ingest.StreamFile, lim ingest.Limits) iter.Seq2[ingest.Item, error] {
	return func(yield func(ingest.Item, error) bool) {
		if err := ctx.Err(); err != nil {
			yield(ingest.Item{}, err)
			return
		}
		limit := p.maxMessages
		if limit <= 0 {
			limit = lim.MaxMessages
		}
		if limit <= 0 {
			limit = ingest.DefaultMaxMessages
		}
		maxMsg := lim.MaxFileBytes
		if maxMsg <= 0 {
			maxMsg = ingest.DefaultLimits().MaxFileBytes
		}
		br := bufio.NewReaderSize(f.R, 64<<10)
		pos := f.Offset
		if f.Offset == 0 {
			if head, _ := br.Peek(3); bytes.Equal(head, []byte{0xEF, 0xBB, 0xBF}) {
				n, _ := br.Discard(3)
				pos += int64(n)
			}
			head, _ := br.Peek(8192)
			if len(bytes.TrimSpace(head)) == 0 {
				yield(ingest.Item{}, fmt.Errorf("reading mbox %s: %w: the file is empty", f.Path, ingest.ErrBadInput))
				return
			}
			if bytes.IndexByte(head, 0) >= 0 {
				yield(ingest.Item{}, fmt.Errorf("reading mbox %s: %w: the file contains binary data; it is not a mailbox", f.Path, ingest.ErrBadInput))
				return
			}
		}
		seen := newRecent(recentIDs)
		var (
			index   = f.Count - 1
			yielded = f.Offset > 0
			badErr  error
			msg     bytes.Buffer
			from    []byte
			cut     bool
			inMsg   bool
			start   = true // at the start of a line
		)
		// finish parses the message read so far; end is where the next
		// one starts. It returns false when the sequence must stop.
		finish := func(end int64) bool {
			if !inMsg {
				return true
			}
			inMsg = false
			raw := msg.Bytes()
			blank := len(bytes.TrimSpace(raw)) == 0
			if from == nil && blank {
				return true // blank lines before the first separator
			}
			index++
			if index >= limit {
				yield(ingest.Item{End: end, Count: index, Note: fmt.Sprintf("the mbox has more than %d messages; the rest were not imported", limit)}, nil)
				return false
			}
			if blank {
				return true
			}
			d, ok, err := p.message(ctx, f, lim, from, raw, index, cut, maxMsg)
			if err != nil {
				if !errors.Is(err, ingest.ErrBadInput) {
					yield(ingest.Item{}, err)
					return false
				}
				badErr = err
				return true
			}
			if !ok || !seen.add(d.ID) {
				return true
			}
			yielded = true
			return yield(ingest.Item{Doc: d, End: end, Count: index + 1}, nil)
		}
		for {
			line, err := br.ReadSlice('\n')
			if len(line) > 0 {
				if start && isFromLine(line) {
					if !finish(pos) {
						return
					}
					if err := ctx.Err(); err != nil {
						yield(ingest.Item{}, err)
						return
					}
					from = append(from[:0], bytes.TrimRight(line, "\r\n")...)
					msg.Reset()
					cut, inMsg = false, true
				} else {
					inMsg = true
					if room := maxMsg - int64(msg.Len()); !cut && int64(len(line)) <= room {
						msg.Write(line)
					} else if !cut {
						// The first maxMsg bytes are kept; the rest of the
						// message is read past, never held.
						msg.Write(line[:room])
						cut = true
					}
				}
				pos += int64(len(line))
				start = line[len(line)-1] == '\n'
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err != nil {
				if err != io.EOF {
					if !yielded {
						yield(ingest.Item{}, fmt.Errorf("reading mbox %s: %w: %v", f.Path, ingest.ErrBadInput, err))
						return
					}
				}
				break
			}
		}
		if !finish(pos) {
			return
		}
		if !yielded {
			if badErr != nil {
				yield(ingest.Item{}, fmt.Errorf("reading mbox %s: %w: no message in it can be read (%v)", f.Path, ingest.ErrBadInput, badErr))
				return
			}
			yield(ingest.Item{}, fmt.Errorf("reading mbox %s: %w: no messages found; an mbox starts each message with a \"From \" line", f.Path, ingest.ErrBadInput))
		}
	}
}

// recent is a set of the last n strings added.
type recent struct {
	set  map[string]struct{}
	ring []string
	next int
}

func newRecent(n int) *recent {
	return &recent{set: make(map[string]struct{}, n), ring: make([]string, 0, n)}
}

// add adds s and reports whether it was not among the last n.
func (r *recent) add(s string) bool {
	if _, ok := r.set[s]; ok {
		return false
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, s)
	} else {
		delete(r.set, r.ring[r.next])
		r.ring[r.next] = s
		r.next = (r.next + 1) % len(r.ring)
	}
	r.set[s] = struct{}{}
	return true
}

// message parses one message of the mbox. ok is false for a message that
// gives no document; an error wrapping ingest.ErrBadInput is a message that
// cannot be read (the file goes on).
func (p *Parser) message(ctx context.Context, f ingest.StreamFile, lim ingest.Limits, from, raw []byte, index int, cut bool, maxMsg int64) (document.Document, bool, error) {
	raw = unescapeFrom(raw)
	got, err := p.msg.Parse(ctx, ingest.File{Path: f.Path, Data: raw, ModTime: f.ModTime, Size: f.Size}, lim)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return document.Document{}, false, ctxErr
		}
		if !errors.Is(err, ingest.ErrBadInput) {
			return document.Document{}, false, fmt.Errorf("reading mbox %s, message %d: %w", f.Path, index, err)
		}
		// The separator says a message is here even when its headers
		// are not a mail's (an archive's stub with only Archived-At):
		// keep it, with what it says, rather than lose a message.
		stub, ok := stubMessage(raw)
		if !ok {
			return document.Document{}, false, err
		}
		got = []document.Document{stub}
	}
	if len(got) == 0 {
		return document.Document{}, false, nil
	}
	d := got[0]
	d.Path = f.Path
	if d.Meta == nil {
		d.Meta = map[string]string{}
	}
	d.Meta[MetaIndex] = strconv.Itoa(index)
	if d.ID == "" {
		d.ID = document.IDFor(f.Path + "#" + strconv.Itoa(index))
	}
	if d.Date.IsZero() && d.Meta[eml.MetaUnreadableDate] == "" {
		d.Date = fromLineDate(from) // no Date field: the delivery date
	}
	if cut {
		addNote(&d, ingest.MetaCut, fmt.Sprintf("message %d is larger than %s; only its first %s were read", index, ingest.HumanBytes(maxMsg), ingest.HumanBytes(maxMsg)))
	}
	d.ContentHash = document.HashContent(raw)
	return d, true, nil
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

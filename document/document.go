// Package document holds the domain types that flow through Engram: a parsed
// Document, the links it makes to other notes, and the people it names. The
// importers produce them, the store persists them, and the search index and
// graph are derived from them. This package has no dependencies on any engine.
package document

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
	"unicode"
)

// Source kinds: the kind of thing a document was imported from. They are the
// values of Document.Source and of the search facet "source".
const (
	SourceMarkdown = "markdown" // a Markdown file or an Obsidian note
	SourceText     = "text"     // a plain-text file
	SourceEmail    = "email"    // a single message (.eml, Maildir, mbox)
	SourceSlack    = "slack"    // a message of a Slack export
)

// Document is one imported item: a note, a text file or an email message.
//
// ID is stable for the same source location (see IDFor), so re-importing a
// file updates the document in place. ContentHash identifies the content and
// is what incremental import and doctor compare.
type Document struct {
	ID          string            `json:"id"`
	Source      string            `json:"source"`             // one of the Source* kinds
	Path        string            `json:"path"`               // absolute file path, or a URL
	Title       string            `json:"title"`              // note name, subject, or file name
	Body        string            `json:"body"`               // plain text, markup removed
	Markdown    string            `json:"markdown,omitempty"` // a note's Markdown source without front matter; empty for other sources
	From        string            `json:"from,omitempty"`     // sender, "Name <addr>" or an address
	To          []string          `json:"to,omitempty"`       // recipients (To and Cc)
	Tags        []string          `json:"tags,omitempty"`     // lower-case, without '#'
	Headings    []string          `json:"headings,omitempty"`
	Aliases     []string          `json:"aliases,omitempty"` // other names of a note (front matter)
	Links       []Link            `json:"links,omitempty"`   // [[wikilinks]] and embeds
	Meta        map[string]string `json:"meta,omitempty"`    // front matter scalars, mail headers kept
	MessageID   string            `json:"message_id,omitempty"`
	InReplyTo   string            `json:"in_reply_to,omitempty"`
	References  []string          `json:"references,omitempty"`
	Attachments []Attachment      `json:"attachments,omitempty"`
	Date        time.Time         `json:"date"`     // when it was written or sent; file mtime otherwise
	ModTime     time.Time         `json:"mod_time"` // the source file's mtime at import
	Size        int64             `json:"size"`     // the source file's size in bytes
	ContentHash string            `json:"content_hash"`

	// The mailboxes of a message as (name, address), readable names and
	// lower-cased addresses; From and To above are their string forms
	// (see SetPeople, and People for documents stored before these).
	FromPeople []Person `json:"from_people,omitempty"`
	ToPeople   []Person `json:"to_people,omitempty"`
	CcPeople   []Person `json:"cc_people,omitempty"`
	// Dates are the dates of other copies of the same message (the same
	// Message-ID found in several files) that differ from Date.
	Dates []time.Time `json:"dates,omitempty" ts_type:"string[]"`
}

// Link is a reference from one note to another: [[Target]],
// [[Target#Heading]], [[Target|Alias]] or an embed ![[Target]].
type Link struct {
	Target  string `json:"target"`            // the note name as written, without heading or alias
	Heading string `json:"heading,omitempty"` // the part after '#', if any
	Alias   string `json:"alias,omitempty"`   // the display text after '|', if any
	Embed   bool   `json:"embed,omitempty"`
}

// Attachment is a file attached to a message, listed by name.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size,omitempty"`
}

// Participants returns the sender and recipients, without duplicates.
func (d *Document) Participants() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range append([]string{d.From}, d.To...) {
		if p == "" || seen[p] {
			continue
		}
		seen[p] = true
		out = append(out, p)
	}
	return out
}

// IDFor returns the stable document ID for an item at a source location (an
// absolute path, or a path plus a fragment such as a message number).
func IDFor(location string) string {
	sum := sha256.Sum256([]byte(location))
	return hex.EncodeToString(sum[:10])
}

// HashContent returns the content hash used for change detection and
// deduplication.
func HashContent(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// NormalizeName folds a note title, alias or link target to the key used to
// match them: case-folded, with surrounding space removed, runs of white
// space collapsed and a trailing ".md" dropped. It keeps every script, so
// Japanese and Chinese titles match themselves.
func NormalizeName(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(strings.ToLower(s), ".md") {
		s = s[:len(s)-3]
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// NormalizeMessageID folds a Message-ID as written in a header ("<ABC@x>",
// " abc@x ") to the key messages are matched by: angle brackets and
// surrounding space removed, lower-cased.
func NormalizeMessageID(id string) string {
	id = strings.TrimSpace(id)
	id = strings.TrimPrefix(id, "<")
	id = strings.TrimSuffix(id, ">")
	return strings.ToLower(strings.TrimSpace(id))
}

// MessageDocID is the document ID of the email with this Message-ID, the
// same whichever file or folder it is read from, so a message found twice
// is stored once and a reply can name its parent before reading it.
func MessageDocID(messageID string) string {
	n := NormalizeMessageID(messageID)
	if n == "" {
		return ""
	}
	return IDFor("message-id:" + n)
}

package ingest

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/engram-app/engram/document"
)

// File is one file handed to a Parser: its path, its whole content and its
// file-system facts. The pipeline reads it, after checking the size limit.
type File struct {
	Path    string // absolute path
	Data    []byte
	ModTime time.Time
	Size    int64
}

// Limits are the parser settings read from the store. A change of setting
// takes effect on the next import, with no restart.
type Limits struct {
	MaxFileBytes int64 // larger files are skipped (default 20 MB)
	MaxDepth     int   // deepest nesting a parser follows (MIME parts, folders)
	// MaxMessages is how many messages of one mailbox file (an mbox) are
	// read at most; the file says so when it cuts (config key
	// import.max_messages, 1 to 1,000,000,000; default 10,000,000, well
	// above a Google Takeout export). A streamed mailbox costs the same
	// memory whatever its size, so the limit only guards against a
	// runaway file.
	MaxMessages int
}

// DefaultMaxMessages is Limits.MaxMessages when the store sets none.
const DefaultMaxMessages = 10_000_000

// DefaultLimits are the limits used when the store holds none.
func DefaultLimits() Limits {
	return Limits{MaxFileBytes: 20 << 20, MaxDepth: 32, MaxMessages: DefaultMaxMessages}
}

// Parser turns one file into documents. Parse must not panic on any input,
// must return promptly, and returns an error wrapping ErrBadInput (with a
// reason a user can act on) when the file cannot be read as its kind.
//
// The pipeline fills in, after Parse, whatever the parser left empty: ID
// (document.IDFor(path)), Path, ModTime, Size, ContentHash and, except for
// email (whose unreadable date stays unknown), Date (the
// file's mtime).
type Parser interface {
	Parse(ctx context.Context, f File, lim Limits) ([]document.Document, error)
}

// ParserFunc adapts a function to a Parser.
type ParserFunc func(ctx context.Context, f File, lim Limits) ([]document.Document, error)

// Parse calls fn.
func (fn ParserFunc) Parse(ctx context.Context, f File, lim Limits) ([]document.Document, error) {
	return fn(ctx, f, lim)
}

// Errors returned by parsers and the pipeline.
var (
	// ErrBadInput means a file is not what its name says (binary garbage,
	// invalid encoding, truncated); the import records it and goes on.
	ErrBadInput = errors.New("bad input")
	// ErrSkipped means a file was deliberately not imported (empty, too
	// large, excluded); it is counted as skipped, not failed.
	ErrSkipped = errors.New("skipped")
	// ErrTooLarge means a file is larger than the size limit it is read with.
	ErrTooLarge = errors.New("larger than the file size limit")
	// ErrUnsupported means no parser reads the file (an image, a binary);
	// it is counted as skipped and not listed as an error.
	ErrUnsupported = fmt.Errorf("%w: not a kind of file Engram reads", ErrSkipped)
)

// Registry maps file extensions to parsers. The container builds one and
// registers every parser once; Register panics on a duplicate extension,
// which is a programmer error.
type Registry struct {
	byExt      map[string]registration
	sniffers   []sniffer
	sniffFirst map[string]bool // extensions whose files a sniffer may claim first
}

// Sniffer reports whether a file that no extension claims is of a parser's
// kind, from its path and its first bytes (at most SniffBytes): a Maildir
// message ("cur/1700000000.M1P2.host:2,S"), an Enron-style numbered file
// ("maildir/lay-k/inbox/12."), an mbox without an extension.
type Sniffer func(path string, head []byte) bool

// SniffBytes is how much of a file a Sniffer is shown.
const SniffBytes = 4096

type sniffer struct {
	kind   string
	match  Sniffer
	parser Parser
}

type registration struct {
	kind   string
	parser Parser
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{byExt: map[string]registration{}, sniffFirst: map[string]bool{}}
}

// Register adds a parser of the given kind for the extensions (with the dot,
// any case: ".md", ".eml").
func (r *Registry) Register(kind string, exts []string, p Parser) {
	for _, ext := range exts {
		ext = strings.ToLower(ext)
		if prev, ok := r.byExt[ext]; ok {
			panic(fmt.Sprintf("ingest: extension %s registered twice (%s and %s)", ext, prev.kind, kind))
		}
		r.byExt[ext] = registration{kind: kind, parser: p}
	}
}

// RegisterSniffer adds a parser for files no extension claims, tried in
// registration order after the extensions. For files with one of the
// takeOver extensions the sniffers are asked first: a mailing-list archive
// saved as .txt is an mbox, not a text file.
func (r *Registry) RegisterSniffer(kind string, match Sniffer, p Parser, takeOver ...string) {
	for _, ext := range takeOver {
		r.sniffFirst[strings.ToLower(ext)] = true
	}
	for _, s := range r.sniffers {
		if s.kind == kind {
			panic(fmt.Sprintf("ingest: sniffer %s registered twice", kind))
		}
	}
	r.sniffers = append(r.sniffers, sniffer{kind: kind, match: match, parser: p})
}

// Detect returns the parser of the first sniffer that recognises the file.
func (r *Registry) Detect(path string, head []byte) (Parser, string, bool) {
	for _, s := range r.sniffers {
		if s.match(path, head) {
			return s.parser, s.kind, true
		}
	}
	return nil, "", false
}

// SniffFirst reports whether sniffers may claim files of this extension
// before its own parser.
func (r *Registry) SniffFirst(ext string) bool { return r.sniffFirst[strings.ToLower(ext)] }

// Lookup returns the parser and kind registered for a file extension.
func (r *Registry) Lookup(ext string) (Parser, string, bool) {
	reg, ok := r.byExt[strings.ToLower(ext)]
	return reg.parser, reg.kind, ok
}

// Extensions lists the registered extensions, sorted.
func (r *Registry) Extensions() []string {
	out := make([]string, 0, len(r.byExt))
	for ext := range r.byExt {
		out = append(out, ext)
	}
	sort.Strings(out)
	return out
}

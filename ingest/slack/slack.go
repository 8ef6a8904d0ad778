package slack

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Kind is the parser kind registered with the ingest registry, and the
// Source of every document this package produces.
const Kind = "slack"

// Extensions returns the file extensions this parser claims: the zipped
// export. Day files of an unzipped export are claimed by Sniff instead.
func Extensions() []string { return []string{".zip"} }

// metaCacheSize bounds how many export roots keep their users and channels
// in memory between day files.
const metaCacheSize = 16

// Parser reads Slack exports. It is safe for concurrent use; it keeps the
// users and channels of the last few export folders it read in a bounded
// cache keyed by the folder and the metadata files' size and mtime, so an
// edited users.json is read again.
type Parser struct {
	meta *lru.Cache[string, *export]
	zip  zipLimits
}

// New returns a Slack export parser.
func New() *Parser {
	c, err := lru.New[string, *export](metaCacheSize)
	if err != nil {
		panic(err) // only for a size <= 0
	}
	return &Parser{meta: c, zip: zipLimits{entries: maxEntries, total: maxTotalBytes, ratio: maxRatio}}
}

// Register registers a new Parser for .zip files and, through Sniff, for
// the files of an unzipped export. It panics if either is already
// registered.
func Register(reg *ingest.Registry) {
	p := New()
	reg.Register(Kind, Extensions(), p)
	reg.RegisterSniffer(Kind, Sniff, p)
}

// metaFiles are the files at an export's root that describe it. Any one of
// the first two marks a folder as a Slack export.
var metaFiles = [...]string{"channels.json", "users.json", "groups.json", "dms.json", "mpims.json"}

// Sniff reports whether path is part of an unzipped Slack export: a day file
// <root>/<channel>/<YYYY-MM-DD>.json, or a .json file at <root>, where <root>
// holds channels.json or users.json. It looks at the path and the file
// system only, so a damaged day file is still claimed and reported.
func Sniff(path string, _ []byte) bool {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		return false
	}
	if isExportRoot(filepath.Dir(path)) {
		return true
	}
	return isDayName(filepath.Base(path)) && isExportRoot(filepath.Dir(filepath.Dir(path)))
}

func isExportRoot(dir string) bool {
	for _, name := range metaFiles[:2] {
		if info, err := os.Stat(filepath.Join(dir, name)); err == nil && info.Mode().IsRegular() {
			return true
		}
	}
	return false
}

// isDayName reports whether name is "YYYY-MM-DD.json".
func isDayName(name string) bool {
	if len(name) != len("2006-01-02.json") || !strings.EqualFold(name[10:], ".json") {
		return false
	}
	for i := range 10 {
		c := name[i]
		if i == 4 || i == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Parse reads a zipped export (every message of every conversation) or one
// day file of an unzipped export (its messages). A metadata file of an
// unzipped export gives no documents and an error wrapping
// ingest.ErrUnsupported, so it is counted as skipped and not listed.
//
// Errors wrap ingest.ErrBadInput and name the file (and the entry of a zip)
// when a day file is not a JSON array of messages, and when a zip breaks a
// limit: more than maxEntries entries, an entry larger than
// lim.MaxFileBytes, more than maxTotalBytes or maxRatio times the zip's
// size uncompressed in all, or an entry name that leaves the archive ("../").
// A .zip that is not a Slack export gives ErrUnsupported. Parse returns
// ctx.Err() when ctx is done.
func (p *Parser) Parse(ctx context.Context, f ingest.File, lim ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if lim.MaxFileBytes <= 0 {
		lim = ingest.DefaultLimits()
	}
	if strings.EqualFold(filepath.Ext(f.Path), ".zip") {
		return p.parseZip(ctx, f, lim)
	}
	dir := filepath.Dir(f.Path)
	if !isDayName(filepath.Base(f.Path)) || isExportRoot(dir) {
		return nil, fmt.Errorf("%w (Slack export metadata, read with the channel folders)", ingest.ErrUnsupported)
	}
	root := filepath.Dir(dir)
	exp, err := p.loadDir(root, lim)
	if err != nil {
		return nil, err
	}
	docs, err := exp.parseDay(filepath.Base(dir), f.Data)
	if err != nil {
		return nil, fmt.Errorf("reading Slack day file %s: %w", f.Path, err)
	}
	return docs, nil
}

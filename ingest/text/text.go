// Package text parses plain-text files into documents.
package text

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
	"golang.org/x/text/unicode/norm"
)

// Kind is the parser kind registered with the ingest registry.
const Kind = "text"

// maxTitleRunes is the longest first line used as a title; a longer one is
// a paragraph, not a title, and the file name is used instead.
const maxTitleRunes = 120

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".txt", ".text"} }

// Parser parses one plain-text file into one document. It is safe for
// concurrent use.
type Parser struct{}

// New returns a plain-text parser.
func New() ingest.Parser { return Parser{} }

// Parse reads f as UTF-8 text. The title is the first non-empty line when it
// is at most 120 characters, else the file name without its extension; the
// body is the whole text. It returns an error wrapping ingest.ErrBadInput
// for binary or non-UTF-8 content, and ctx.Err() when ctx is done.
func (Parser) Parse(ctx context.Context, f ingest.File, _ ingest.Limits) ([]document.Document, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := ingest.CheckText(f.Data)
	if err != nil {
		return nil, fmt.Errorf("reading text %s: %w", f.Path, err)
	}
	body := strings.ReplaceAll(string(data), "\r\n", "\n")
	return []document.Document{{
		Source: document.SourceText,
		Title:  title(body, f.Path),
		Body:   body,
	}}, nil
}

func title(body, path string) string {
	for line := range strings.Lines(body) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if utf8.RuneCountInString(line) <= maxTitleRunes {
			return line
		}
		break
	}
	base := filepath.Base(path)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return norm.NFC.String(strings.TrimSuffix(base, filepath.Ext(base)))
}

// Package notelinks finds, in a note's text, the line that links to another
// note: the context the reader shows under each backlink and outgoing link,
// as Obsidian does.
package notelinks

import (
	"strings"
	"unicode/utf8"
)

// MaxContext is the most runes of a context line returned; a longer line is
// cut at a word near the link and marked with "…".
const MaxContext = 200

// maxLinkLen is the longest text between "[[" and "]]" read as a link, as
// the Markdown parser reads them (ingest/markdown).
const maxLinkLen = 1000

// Targets returns the targets of the [[wikilinks]] and ![[embeds]] written
// in line, as written: without "#heading" or "|alias", trimmed.
func Targets(line string) []string {
	var out []string
	for {
		i := strings.Index(line, "[[")
		if i < 0 {
			return out
		}
		line = line[i+2:]
		j := strings.Index(line, "]]")
		if j < 0 {
			return out
		}
		if j > maxLinkLen || strings.Contains(line[:j], "[[") {
			continue
		}
		t := line[:j]
		line = line[j+2:]
		if k := strings.IndexAny(t, "|#"); k >= 0 {
			t = t[:k]
		}
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
}

// ContextLine returns the first line of text holding a [[wikilink]] whose
// target match accepts, without surrounding space and at most MaxContext
// runes around the link; "" when no line links so.
func ContextLine(text string, match func(target string) bool) string {
	for len(text) > 0 {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if !strings.Contains(line, "[[") {
			continue
		}
		for _, t := range Targets(line) {
			if match(t) {
				return cut(strings.TrimSpace(line), "[["+t)
			}
		}
	}
	return ""
}

// cut bounds line to MaxContext runes, keeping the part around the first
// occurrence of near.
func cut(line, near string) string {
	if utf8.RuneCountInString(line) <= MaxContext {
		return line
	}
	at := max(0, strings.Index(line, near))
	// Start about a third of the window before the link, at a word.
	start := at
	for n := 0; start > 0 && n < MaxContext/3; n++ {
		_, size := utf8.DecodeLastRuneInString(line[:start])
		start -= size
	}
	if start > 0 {
		if sp := strings.IndexByte(line[start:at], ' '); sp >= 0 {
			start += sp + 1
		}
	}
	end := start
	for n := 0; end < len(line) && n < MaxContext; n++ {
		_, size := utf8.DecodeRuneInString(line[end:])
		end += size
	}
	out := line[start:end]
	if start > 0 {
		out = "…" + out
	}
	if end < len(line) {
		out += "…"
	}
	return out
}

package search

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ClauseKind says what a query clause matches.
type ClauseKind int

// Clause kinds.
const (
	ClauseTerm   ClauseKind = iota // a word, matched in title, aliases and body
	ClausePhrase                   // "words in order"
	ClausePrefix                   // word*
	ClauseFilter                   // field:value (from, to, person, tag, source, before, after)
)

// Filter fields accepted before a colon.
const (
	FilterFrom   = "from"
	FilterTo     = "to"
	FilterPerson = "person"
	FilterTag    = "tag"
	FilterSource = "source"
	FilterBefore = "before"
	FilterAfter  = "after"
)

// MaxClauses is the number of clauses of a query that are searched; see
// ParseQuery.
const MaxClauses = 32

// Clause is one part of a parsed query.
type Clause struct {
	Kind   ClauseKind
	Field  string // for ClauseFilter: one of the Filter* names
	Value  string // the word, phrase, prefix (without '*') or filter value
	Negate bool   // written with a leading '-'
}

// Query is a parsed search query: clauses in the order they were written.
type Query struct {
	Clauses []Clause
}

// Empty reports whether the query has no clause at all.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// HasText reports whether the query has a positive word, phrase or prefix
// clause; a query without one is a filter-only listing, newest first.
func (q Query) HasText() bool {
	for _, c := range q.Clauses {
		if c.Kind != ClauseFilter && !c.Negate {
			return true
		}
	}
	return false
}

// String writes the query back in the syntax ParseQuery reads.
func (q Query) String() string {
	parts := make([]string, 0, len(q.Clauses))
	for _, c := range q.Clauses {
		var s string
		switch c.Kind {
		case ClausePhrase:
			s = `"` + c.Value + `"`
		case ClausePrefix:
			s = c.Value + "*"
		case ClauseFilter:
			v := c.Value
			if strings.ContainsAny(v, " \t\"") {
				v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
			}
			s = c.Field + ":" + v
		default:
			s = c.Value
		}
		if c.Negate {
			s = "-" + s
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

// ParseQuery parses user search text. It never fails: anything it does not
// understand is searched as words. The syntax:
//
//	word            must appear (stemmed, typo-tolerant from 5 letters)
//	"a phrase"      words in this order; an unclosed quote runs to the end
//	pre*            words starting with pre (at least 2 characters)
//	-word -"phrase" -tag:x   exclude
//	from:x to:x person:x     sender, recipient, either (name or address)
//	tag:x #x        tag x or its children x/...
//	source:email    markdown, text or email
//	after:2024 after:2024-03 after:2024-03-05    on or after the start of that period
//	before:2024 before:2024-03 before:2024-03-05 before the start of that period
//
// Filter names are case-insensitive; a filter value can be quoted:
// from:"Jeff Skilling". An unknown name (http://x, note:) or a bad date is
// searched as a word. Only the first MaxClauses clauses count: every
// clause walks postings, so a pasted page of text would otherwise take
// seconds.
func ParseQuery(s string) Query {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	var q Query
	i := 0
	for i < len(s) && len(q.Clauses) < MaxClauses {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		var c Clause
		if r == '-' {
			c.Negate = true
			i += size
		}
		if i < len(s) && s[i] == '"' {
			val, next := readQuoted(s, i)
			i = next
			if v := strings.Join(strings.Fields(val), " "); v != "" {
				c.Kind, c.Value = ClausePhrase, v
				q.Clauses = append(q.Clauses, c)
			}
			continue
		}
		// A bare word, possibly name:"quoted value".
		start := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				break
			}
			if r == '"' {
				break
			}
			i += size
		}
		word := s[start:i]
		if colon := strings.IndexByte(word, ':'); colon > 0 {
			name := strings.ToLower(word[:colon])
			val, next := word[colon+1:], i
			if val == "" && i < len(s) && s[i] == '"' {
				val, next = readQuoted(s, i)
			}
			val = strings.Join(strings.Fields(val), " ")
			if f, ok := filterValue(name, val); ok {
				c.Kind, c.Field, c.Value = ClauseFilter, name, f
				q.Clauses = append(q.Clauses, c)
				i = next
				continue
			}
		}
		if word == "" {
			// A lone '-' before a space, or '-' followed by nothing.
			continue
		}
		switch {
		case strings.HasPrefix(word, "#") && hasLetter(normTag(word)):
			// "#2" and "#123" are numbers ("Update #2"), not tags.
			c.Kind, c.Field, c.Value = ClauseFilter, FilterTag, normTag(word)
		case strings.HasSuffix(word, "*") && utf8.RuneCountInString(strings.TrimRight(word, "*")) >= 2:
			c.Kind, c.Value = ClausePrefix, strings.TrimRight(word, "*")
		case strings.Trim(word, "*+") == "":
			continue
		default:
			// Kept as written; the analyzer drops punctuation.
			c.Kind, c.Value = ClauseTerm, word
		}
		q.Clauses = append(q.Clauses, c)
	}
	return q
}

// readQuoted reads a quoted string starting at s[i] == '"'. It returns the
// content and the index after the closing quote, or the rest of s when the
// quote is never closed.
func readQuoted(s string, i int) (string, int) {
	i++ // opening quote
	end := strings.IndexByte(s[i:], '"')
	if end < 0 {
		return s[i:], len(s)
	}
	return s[i : i+end], i + end + 1
}

// filterValue validates a filter and normalises its value.
func filterValue(name, val string) (string, bool) {
	if val == "" {
		return "", false
	}
	switch name {
	case FilterFrom, FilterTo, FilterPerson:
		return val, true
	case FilterTag:
		t := normTag(val)
		return t, t != ""
	case FilterSource:
		return strings.ToLower(val), true
	case FilterBefore, FilterAfter:
		if _, _, ok := parsePeriod(val); ok {
			return val, true
		}
	}
	return "", false
}

// parsePeriod reads YYYY, YYYY-MM or YYYY-MM-DD (also with '/' or '.') and
// returns the start of that period and the start of the next, in UTC.
func parsePeriod(s string) (start, end time.Time, ok bool) {
	s = strings.NewReplacer("/", "-", ".", "-").Replace(s)
	for _, f := range []struct {
		layout string
		years  int
		months int
		days   int
	}{
		{"2006-01-02", 0, 0, 1},
		{"2006-1-2", 0, 0, 1},
		{"2006-01", 0, 1, 0},
		{"2006-1", 0, 1, 0},
		{"2006", 1, 0, 0},
	} {
		t, err := time.ParseInLocation(f.layout, s, time.UTC)
		if err == nil {
			return t, t.AddDate(f.years, f.months, f.days), true
		}
	}
	return time.Time{}, time.Time{}, false
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

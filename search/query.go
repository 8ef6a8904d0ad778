package search

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// ClauseKind says what a query clause matches.
type ClauseKind int

// Clause kinds.
const (
	ClauseTerm   ClauseKind = iota // a word, matched in title, aliases, body and people
	ClausePhrase                   // "words in order"
	ClausePrefix                   // word*
	ClauseFilter                   // field:value (see the Filter* names)
	ClauseGroup                    // (a OR b): any of Clause.Any matches
)

// Filter fields accepted before a colon.
const (
	FilterFrom    = "from"
	FilterTo      = "to"
	FilterPerson  = "person"
	FilterSubject = "subject"
	FilterPath    = "path"
	FilterTag     = "tag"
	FilterSource  = "source"
	FilterBefore  = "before"
	FilterAfter   = "after"
)

// Operators lists the filter names ParseQuery accepts, in the order error
// messages list them.
func Operators() []string {
	return []string{FilterFrom, FilterTo, FilterPerson, FilterSubject, FilterPath, FilterTag, FilterSource, FilterBefore, FilterAfter}
}

// MaxClauses is the number of clauses of a query that are searched; see
// ParseQuery.
const MaxClauses = 32

// MaxQueryLen is the longest query ParseQuery accepts, in characters.
const MaxQueryLen = 1000

// Clause is one part of a parsed query.
type Clause struct {
	Kind   ClauseKind
	Field  string // for ClauseFilter: one of the Filter* names
	Value  string // the word, phrase, prefix (without '*') or filter value
	Negate bool   // written with a leading '-' or NOT
	// Any holds the alternatives of a ClauseGroup, each a conjunction;
	// the group matches when one of them does.
	Any []Query
}

// Query is a parsed search query: clauses in the order they were
// written, all of which must match.
type Query struct {
	Clauses []Clause
}

// Empty reports whether the query has no clause at all.
func (q Query) Empty() bool { return len(q.Clauses) == 0 }

// HasText reports whether the query has a positive word, phrase or prefix
// clause (also inside a group); a query without one is a filter-only
// listing, newest first.
func (q Query) HasText() bool {
	for _, c := range q.Clauses {
		if c.Negate || c.Kind == ClauseFilter {
			continue
		}
		if c.Kind != ClauseGroup {
			return true
		}
		for _, alt := range c.Any {
			if alt.HasText() {
				return true
			}
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
			if strings.ContainsAny(v, " \t\"()|") {
				v = `"` + strings.ReplaceAll(v, `"`, "") + `"`
			}
			s = c.Field + ":" + v
		case ClauseGroup:
			alts := make([]string, len(c.Any))
			for i, a := range c.Any {
				alts[i] = a.String()
			}
			s = "(" + strings.Join(alts, " OR ") + ")"
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

// ParseQuery parses user search text. The syntax:
//
//	word            must appear (stemmed, typo-tolerant from 4 letters)
//	"a phrase"      words in this order
//	pre*            words starting with pre (at least 2 characters)
//	a OR b, a | b   either (OR binds looser than the implicit AND)
//	(a b) OR c      parentheses group
//	-x, NOT x       exclude a word, phrase, filter or group
//	from:x to:x person:x     sender, recipient, either (name or address)
//	subject:x       in the title (subject:"two words" in a row)
//	path:x          in the file path or URL (its words in a row)
//	tag:x #x        tag x or its children x/...
//	source:email    markdown, text, email or slack
//	after:2024 after:2024-03 after:2024-03-05    on or after the start of that period
//	before:2024 before:2024-03 before:2024-03-05 before the start of that period
//
// OR and NOT are operators only in capitals; "or" and "not" are words.
// Filter names are case-insensitive; a filter value can be quoted:
// from:"Jeff Skilling". Words are taken as written, up to the analyzer,
// which drops punctuation; a URL (http://x) is a word.
//
// The error, a *QueryError (errors.Is ErrInvalidQuery), says what is
// wrong: a query longer than MaxQueryLen characters, an unknown operator
// (note:), a filter without a value, a date that does not parse, an
// unclosed quote or bracket, a stray ')' or an OR or NOT with nothing
// to apply to, or a query with nothing to search (only punctuation). A
// blank query is valid and lists every document. Only the first
// MaxClauses words, phrases, prefixes and filters count: every clause
// walks postings, so a pasted page of text would otherwise take seconds.
func ParseQuery(s string) (Query, error) {
	if n := utf8.RuneCountInString(s); n > MaxQueryLen {
		return Query{}, &QueryError{Kind: QueryTooLong, Value: strconv.Itoa(n)}
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	p := &parser{s: s}
	q := p.expr()
	if p.err == nil && p.i < len(p.s) {
		// expr stops only at the end or at a ')' it did not open.
		p.fail(&QueryError{Kind: QueryStrayBracket})
	}
	if p.err != nil {
		return Query{}, p.err
	}
	if q.Empty() && strings.TrimSpace(s) != "" {
		return Query{}, &QueryError{Kind: QueryNothingToSearch}
	}
	return q, nil
}

// parser reads a query by recursive descent:
//
//	expr  = and { ("OR" | "|") and }
//	and   = { unary }
//	unary = { "-" | "NOT" } primary
//	primary = "(" expr ")" | phrase | filter | word
type parser struct {
	s      string
	i      int
	leaves int // clauses read; those past MaxClauses are dropped
	depth  int
	err    error
}

func (p *parser) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

func (p *parser) skipSpace() {
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if !unicode.IsSpace(r) {
			return
		}
		p.i += size
	}
}

// keyword reports whether the upper-case operator kw (OR, NOT) starts at
// p.i as a word of its own.
func (p *parser) keyword(kw string) bool {
	if !strings.HasPrefix(p.s[p.i:], kw) {
		return false
	}
	rest := p.s[p.i+len(kw):]
	if rest == "" {
		return true
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return unicode.IsSpace(r) || r == '(' || r == '"' || (kw == "NOT" && r == '-')
}

// orNext consumes an OR or '|' at p.i.
func (p *parser) orNext() bool {
	p.skipSpace()
	switch {
	case p.i < len(p.s) && p.s[p.i] == '|':
		p.i++
		for p.i < len(p.s) && p.s[p.i] == '|' { // a || b
			p.i++
		}
		return true
	case p.keyword("OR"):
		p.i += 2
		return true
	}
	return false
}

func (p *parser) expr() Query {
	alts := []Query{p.and()}
	for p.err == nil && p.orNext() {
		alts = append(alts, p.and())
	}
	if len(alts) == 1 {
		return alts[0]
	}
	for _, a := range alts {
		if a.Empty() {
			p.fail(&QueryError{Kind: QueryDanglingOperator, Operator: "OR"})
			return Query{}
		}
	}
	return Query{Clauses: []Clause{{Kind: ClauseGroup, Any: alts}}}
}

func (p *parser) and() Query {
	var q Query
	for p.err == nil {
		p.skipSpace()
		if p.i >= len(p.s) || p.s[p.i] == ')' || p.s[p.i] == '|' || p.keyword("OR") {
			return q
		}
		if c, ok := p.unary(); ok {
			if c.Kind == ClauseGroup && !c.Negate && len(c.Any) == 1 {
				// (a b) within a conjunction is a b.
				q.Clauses = append(q.Clauses, c.Any[0].Clauses...)
			} else {
				q.Clauses = append(q.Clauses, c)
			}
		}
	}
	return q
}

// unary reads one clause with its negations. ok is false when it read
// something that searches nothing (a stray '-', "", a dropped clause).
func (p *parser) unary() (Clause, bool) {
	negate, not := false, false
	for {
		p.skipSpace()
		switch {
		case p.keyword("NOT"):
			p.i += 3
			negate, not = !negate, true
			continue
		case p.i+1 < len(p.s) && p.s[p.i] == '-' && !isSpaceAt(p.s, p.i+1):
			p.i++
			negate = !negate
			continue
		}
		break
	}
	p.skipSpace()
	if p.i >= len(p.s) || p.s[p.i] == ')' || p.s[p.i] == '|' || p.keyword("OR") {
		if not {
			p.fail(&QueryError{Kind: QueryDanglingOperator, Operator: "NOT"})
		}
		return Clause{}, false
	}
	c, ok := p.primary()
	c.Negate = negate
	return c, ok
}

func isSpaceAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsSpace(r)
}

// leaf counts one clause and reports whether it is within MaxClauses.
func (p *parser) leaf() bool {
	p.leaves++
	return p.leaves <= MaxClauses
}

func (p *parser) primary() (Clause, bool) {
	switch p.s[p.i] {
	case '(':
		p.i++
		p.depth++
		q := p.expr()
		p.depth--
		if p.err != nil {
			return Clause{}, false
		}
		if p.i >= len(p.s) || p.s[p.i] != ')' {
			p.fail(&QueryError{Kind: QueryUnclosedBracket})
			return Clause{}, false
		}
		p.i++
		if q.Empty() {
			return Clause{}, false
		}
		if len(q.Clauses) == 1 && q.Clauses[0].Kind == ClauseGroup {
			return q.Clauses[0], true
		}
		return Clause{Kind: ClauseGroup, Any: []Query{q}}, true
	case '"':
		val, ok := p.quoted()
		if !ok {
			return Clause{}, false
		}
		v := strings.Join(strings.Fields(val), " ")
		if !searchable(v) || !p.leaf() {
			return Clause{}, false
		}
		return Clause{Kind: ClausePhrase, Value: v}, true
	}
	// A bare word, possibly name:value or name:"quoted value".
	start := p.i
	for p.i < len(p.s) {
		r, size := utf8.DecodeRuneInString(p.s[p.i:])
		if unicode.IsSpace(r) || r == '"' || r == '(' || r == ')' || r == '|' {
			break
		}
		p.i += size
	}
	word := p.s[start:p.i]
	if colon := strings.IndexByte(word, ':'); colon > 0 && isOperatorName(word[:colon]) && !strings.HasPrefix(word[colon+1:], "//") {
		name := strings.ToLower(word[:colon])
		val := word[colon+1:]
		if val == "" && p.i < len(p.s) && p.s[p.i] == '"' {
			var ok bool
			if val, ok = p.quoted(); !ok {
				return Clause{}, false
			}
		}
		val = strings.Join(strings.Fields(val), " ")
		f, err := filterValue(name, val)
		if err != nil {
			p.fail(err)
			return Clause{}, false
		}
		if !p.leaf() {
			return Clause{}, false
		}
		return Clause{Kind: ClauseFilter, Field: name, Value: f}, true
	}
	var c Clause
	switch {
	case word == "":
		// A '(' or ')' right after a word, read next.
		return Clause{}, false
	case strings.HasPrefix(word, "#") && hasLetter(normTag(word)):
		// "#2" and "#123" are numbers ("Update #2"), not tags.
		c = Clause{Kind: ClauseFilter, Field: FilterTag, Value: normTag(word)}
	case strings.HasSuffix(word, "*") && utf8.RuneCountInString(strings.TrimRight(word, "*")) >= 2 && searchable(word):
		c = Clause{Kind: ClausePrefix, Value: strings.TrimRight(word, "*")}
	case !searchable(word):
		// Punctuation alone: nothing the analyzer would keep.
		return Clause{}, false
	default:
		// Kept as written; the analyzer drops punctuation.
		c = Clause{Kind: ClauseTerm, Value: word}
	}
	return c, p.leaf()
}

// quoted reads a quoted string at p.i (s[p.i] == '"'); an unclosed quote
// is an error.
func (p *parser) quoted() (string, bool) {
	val, next, ok := readQuoted(p.s, p.i)
	if !ok {
		p.fail(&QueryError{Kind: QueryUnclosedQuote})
		return "", false
	}
	p.i = next
	return val, true
}

// isOperatorName reports whether s looks like an operator name (letters
// only), so that "10:30" stays a word while "note:" is an unknown
// operator.
func isOperatorName(s string) bool {
	for _, r := range s {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return s != ""
}

// searchable reports whether s has a letter or digit for the analyzer to
// keep.
func searchable(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// readQuoted reads a quoted string starting at s[i] == '"'. It returns the
// content and the index after the closing quote; ok is false when the
// quote is never closed.
func readQuoted(s string, i int) (string, int, bool) {
	i++ // opening quote
	end := strings.IndexByte(s[i:], '"')
	if end < 0 {
		return s[i:], len(s), false
	}
	return s[i : i+end], i + end + 1, true
}

// filterValue validates a filter and normalises its value.
func filterValue(name, val string) (string, error) {
	known := false
	for _, op := range Operators() {
		known = known || op == name
	}
	if !known {
		return "", &QueryError{Kind: QueryUnknownOperator, Operator: name}
	}
	if val == "" {
		return "", &QueryError{Kind: QueryMissingValue, Operator: name}
	}
	switch name {
	case FilterTag:
		if t := normTag(val); t != "" {
			return t, nil
		}
		return "", &QueryError{Kind: QueryMissingValue, Operator: name}
	case FilterSource:
		return strings.ToLower(val), nil
	case FilterBefore, FilterAfter:
		if _, _, ok := parsePeriod(val); !ok {
			return "", &QueryError{Kind: QueryBadDate, Operator: name, Value: val}
		}
	}
	if !searchable(val) {
		return "", &QueryError{Kind: QueryMissingValue, Operator: name}
	}
	return val, nil
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

// PlainWords turns free text (a question, a pasted sentence) into a query
// of its words alone: operators, quotes, brackets and filter colons become
// spaces and OR and NOT plain words, and it is cut to MaxQueryLen
// characters, so ParseQuery reads it without an error unless it has
// nothing to search.
func PlainWords(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n >= MaxQueryLen {
			break
		}
		n++
		switch {
		case r == '"' || r == '(' || r == ')' || r == '|' || r == ':' || r == '*' || r == '#':
			r = ' '
		case r == '-' && (b.Len() == 0 || strings.HasSuffix(b.String(), " ")):
			r = ' '
		}
		b.WriteRune(r)
	}
	words := strings.Fields(b.String())
	for i, w := range words {
		if w == "OR" || w == "NOT" {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

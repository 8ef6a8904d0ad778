package search

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

const (
	snippetLen     = 200       // bytes of text in a snippet, about
	snippetLead    = 40        // bytes of context before the first match
	snippetMaxScan = 256 << 10 // bytes of body looked at to find the window
)

// matcher knows which analysed terms of a text the query matched: its
// words, phrases and expansions (stemmed like the index), its prefixes,
// and words one or two typos away.
type matcher struct {
	terms    map[string]bool
	prefixes []string
	fuzzy    []fuzzyTerm
	// seen holds the spans of the words already analysed, relative to
	// the word: running the analyzer is most of a snippet's cost and
	// texts repeat their words.
	seen map[string][]span
}

type fuzzyTerm struct {
	term string
	dist int
}

func newMatcher(an analysis.Analyzer, q Query) *matcher {
	m := &matcher{terms: map[string]bool{}, seen: map[string][]span{}}
	m.add(an, q)
	return m
}

// add adds the positive clauses of q, also those inside groups.
func (m *matcher) add(an analysis.Analyzer, q Query) {
	for _, c := range q.Clauses {
		if c.Negate {
			continue
		}
		switch c.Kind {
		case ClauseTerm:
			ts := analyzeTerms(an, c.Value)
			for _, t := range ts {
				m.terms[t] = true
			}
			if d := fuzziness(c.Value, ts); d > 0 {
				m.fuzzy = append(m.fuzzy, fuzzyTerm{ts[0], d})
			}
		case ClausePhrase:
			for _, t := range analyzeTerms(an, c.Value) {
				m.terms[t] = true
			}
		case ClausePrefix:
			m.prefixes = append(m.prefixes, strings.ToLower(c.Value))
			if ts := analyzeTerms(an, c.Value); len(ts) == 1 {
				m.prefixes = append(m.prefixes, ts[0])
			}
		case ClauseGroup:
			for _, alt := range c.Any {
				m.add(an, alt)
			}
		}
	}
}

func (m *matcher) match(term string) bool {
	if m.terms[term] {
		return true
	}
	for _, p := range m.prefixes {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	for _, f := range m.fuzzy {
		if withinDistance(term, f.term, f.dist) {
			return true
		}
	}
	return false
}

// spans finds the matched words of text. Analysing a whole body is most
// of a snippet's cost, so text is first split into runs of letters and
// digits, and only a run that starts like a matched term (its first
// letters, case and accents folded) is analysed, alone, to see whether its
// terms match. Spans cover the whole run (a CJK run: the matched part).
func (m *matcher) spans(an analysis.Analyzer, text string) []span {
	needles := m.needles()
	var out []span
	fold := asciifolding.New()
	i := 0
	for i < len(text) {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			i += n
			continue
		}
		j := i + n
		for j < len(text) {
			r2, n2 := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r2) {
				break
			}
			j += n2
		}
		word := text[i:j]
		if match, ascii := mayMatchASCII(word, needles); ascii && !match {
			// Most words of a body: skipped without a copy or a
			// map entry.
			i = j
			continue
		}
		rel, ok := m.seen[word]
		if !ok {
			if mayMatch(foldLower(fold, word), needles) {
				rel = m.wordSpans(an, word, 0)
			}
			m.seen[word] = rel
		}
		for _, sp := range rel {
			out = append(out, span{sp.start + i, sp.end + i, sp.term})
		}
		i = j
	}
	return out
}

// wordSpans analyses one run of letters and returns the spans of its
// matched terms, offset by at.
func (m *matcher) wordSpans(an analysis.Analyzer, word string, at int) []span {
	var out []span
	orig := foldedOffsets(word)
	for _, t := range an.Analyze([]byte(word)) {
		if !m.match(string(t.Term)) {
			continue
		}
		st, en := t.Start, t.End
		if orig != nil {
			st, en = orig[min(st, len(orig)-1)], orig[min(en, len(orig)-1)]
		}
		if !hasCJK(word) { // a Latin word is marked whole, not just its stem
			st, en = 0, len(word)
		}
		if st < en {
			out = append(out, span{at + st, at + en, string(t.Term)})
		}
	}
	return out
}

// needles are the first letters of every term and prefix the query
// matches; a word that starts with none of them cannot match. With typo
// matching the first letter is all that is certain.
func (m *matcher) needles() []string {
	n := 3
	if len(m.fuzzy) > 0 {
		n = 1
	}
	var out []string
	add := func(t string) {
		if len(t) > n && !hasCJK(t) {
			t = truncateUTF8(t, n)
		}
		if t != "" {
			out = append(out, t)
		}
	}
	for t := range m.terms {
		add(t)
	}
	for _, p := range m.prefixes {
		add(p)
	}
	for _, f := range m.fuzzy {
		add(f.term)
	}
	return out
}

func mayMatch(word string, needles []string) bool {
	for _, n := range needles {
		if strings.HasPrefix(word, n) || (hasCJK(n) && strings.Contains(word, n)) || strings.HasPrefix(n, word) {
			return true
		}
	}
	return false
}

// mayMatchASCII is mayMatch for a word of ASCII bytes, compared
// case-insensitively in place instead of lower-cased into a new string;
// ascii is false, and match meaningless, for any other word. A needle and
// the word agree on their common length exactly when one is a prefix of
// the other, which is mayMatch's test (an ASCII word contains no CJK).
func mayMatchASCII(word string, needles []string) (match, ascii bool) {
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			return false, false
		}
	}
	for _, n := range needles {
		k := min(len(n), len(word))
		same := true
		for i := 0; i < k && same; i++ {
			c := word[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			same = c == n[i]
		}
		if same {
			return true, true
		}
	}
	return false, true
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func hasCJK(s string) bool {
	for _, r := range s {
		if isCJK(r) {
			return true
		}
	}
	return false
}

// foldLower lower-cases a word and folds its accents, as the analyzer does.
func foldLower(fold *asciifolding.AsciiFoldingFilter, w string) string {
	w = strings.ToLower(w)
	for i := 0; i < len(w); i++ {
		if w[i] >= utf8.RuneSelf {
			return string(fold.Filter([]byte(w)))
		}
	}
	return w
}

type span struct {
	start, end int
	term       string
}

// snippet returns about snippetLen bytes of body around the densest group
// of matched words, HTML-escaped, with the matches wrapped in <mark>. With
// no match it returns the start of body.
func (m *matcher) snippet(an analysis.Analyzer, body string) string {
	if body == "" {
		return ""
	}
	scan := body
	if len(scan) > snippetMaxScan {
		scan = truncateUTF8(scan, snippetMaxScan)
	}
	spans := m.spans(an, scan)
	if len(spans) == 0 {
		return render(body, 0, cut(body, 0, snippetLen), nil)
	}
	// The window with the most distinct terms, then the most matches.
	best, bestDistinct, bestCount := 0, -1, -1
	for i := range spans {
		distinct := map[string]bool{}
		j := i
		for ; j < len(spans) && spans[j].end-spans[i].start <= snippetLen-snippetLead; j++ {
			distinct[spans[j].term] = true
		}
		if len(distinct) > bestDistinct || (len(distinct) == bestDistinct && j-i > bestCount) {
			best, bestDistinct, bestCount = i, len(distinct), j-i
		}
	}
	start := spans[best].start - snippetLead
	if start < 0 {
		start = 0
	} else {
		// Begin at a word boundary, when there is one close by.
		if sp := strings.IndexAny(body[start:spans[best].start], " \t\n"); sp >= 0 {
			start += sp + 1
		}
		for start > 0 && !utf8.RuneStart(body[start]) {
			start++
		}
	}
	end := cut(body, start, snippetLen)
	return render(body, start, end, spans)
}

// cut returns the end of a window of about n bytes from start, on a rune
// boundary and preferably at a space.
func cut(s string, start, n int) int {
	end := start + n
	if end >= len(s) {
		return len(s)
	}
	for end > start && !utf8.RuneStart(s[end]) {
		end--
	}
	if sp := strings.LastIndexAny(s[start:end], " \t\n"); sp > n/2 {
		end = start + sp
	}
	return end
}

// render escapes s[start:end] and marks the spans inside it. Overlapping
// spans (CJK bigrams) are merged.
func render(s string, start, end int, spans []span) string {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if sp.end <= pos || sp.start >= end {
			continue
		}
		e := sp.end
		for i+1 < len(spans) && spans[i+1].start <= e {
			i++
			e = max(e, spans[i].end)
		}
		e = min(e, end)
		st := max(sp.start, pos)
		b.WriteString(html.EscapeString(s[pos:st]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(s[st:e]))
		b.WriteString("</mark>")
		pos = e
	}
	b.WriteString(html.EscapeString(s[pos:end]))
	if end < len(s) {
		b.WriteString("…")
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// foldedOffsets returns, for every byte offset of the accent-folded form of
// s (as the text analyzer's char filter makes it) and one past its end, the
// offset in s of the character that produced it. It returns nil when
// folding changes nothing, the common case of ASCII text.
func foldedOffsets(s string) []int {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return nil
	}
	f := asciifolding.New()
	orig := make([]int, 0, len(s)+1)
	var buf [utf8.UTFMax]byte
	for i, r := range s {
		n := 1
		if r >= utf8.RuneSelf {
			n = len(f.Filter(buf[:utf8.EncodeRune(buf[:], r)]))
		}
		for range n {
			orig = append(orig, i)
		}
	}
	return append(orig, len(s))
}

// truncateUTF8 cuts s to at most n bytes, on a rune boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// withinDistance reports whether the Levenshtein distance between a and b
// is at most k.
func withinDistance(a, b string, k int) bool {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > k || -d > k {
		return false
	}
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)] <= k
}

package search

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Boosts. Title words count three times body words; a fuzzy (typo) match
// counts far less than an exact one, an expansion a bit less.
const (
	boostTitle   = 3.0
	boostAliases = 2.5
	boostBody    = 1.0
	// boostPeople weighs a plain word found in the names and addresses
	// of From, To and Cc: below the text, as notmuch also finds them.
	boostPeople    = 0.5
	factorFuzzy    = 0.2
	factorExpanded = 0.7
)

type textField struct {
	name  string
	boost float64
	// term, when set, is searched in this field instead of the query's:
	// the people fields have their own analyzer.
	term string
}

func (f textField) termOr(t string) string {
	if f.term != "" {
		return f.term
	}
	return t
}

// textFields returns the fields searched by words, phrases and prefixes.
func textFields() [3]textField {
	return [3]textField{{fTitle, boostTitle, ""}, {fAliases, boostAliases, ""}, {fBody, boostBody, ""}}
}

// builder turns a parsed Query into a Bleve query.
type builder struct {
	an analysis.Analyzer // the text analyzer of the index
	// person is the person analyzer of the index, for addresses in
	// from:, to: and person:; nil leaves their analysis to Bleve.
	person analysis.Analyzer
	exp    Expander // may be nil
	// known reports whether an analysed term occurs in the index's text
	// fields; a word the index knows is not also matched with typos. May be
	// nil (every word gets typo tolerance).
	known func(term string) bool
	// fix, when set, finds the correction of a word the index does not
	// know, and fixes records the corrections made; without it such a
	// word is matched by every term a typo away.
	fix   *corrector
	fixes *[]correction
	// expanded, when set, records the alternatives the expander gave, so
	// the result cache can tell two dictionaries apart.
	expanded *strings.Builder
}

// expand asks the expander for the alternatives of s and records them.
func (b builder) expand(s string) []string {
	if b.exp == nil {
		return nil
	}
	alts := b.exp.Expand(s)
	if b.expanded != nil && len(alts) > 0 {
		b.expanded.WriteString(s)
		for _, a := range alts {
			b.expanded.WriteByte(0)
			b.expanded.WriteString(a)
		}
		b.expanded.WriteByte(1)
	}
	return alts
}

// build returns the Bleve query for q. It never panics and never returns
// nil: an empty query matches every document.
func (b builder) build(q Query) query.Query {
	var must, should, mustNot []query.Query

	// Consecutive positive words are grouped so a dictionary can expand
	// phrases ("paid time off" -> "pto"); every group must match, except
	// stop words when something else must match.
	var run []string
	var stops []query.Query
	flush := func() {
		for _, g := range b.wordGroups(run) {
			if g.stop {
				stops = append(stops, g.q)
			} else {
				must = append(must, g.q)
			}
		}
		run = run[:0]
	}
	for _, c := range q.Clauses {
		if c.Kind == ClauseTerm && !c.Negate {
			run = append(run, c.Value)
			continue
		}
		flush()
		var cq query.Query
		switch c.Kind {
		case ClauseTerm:
			cq = b.exact(c.Value, 1)
		case ClausePhrase:
			cq = b.exact(c.Value, 1)
		case ClausePrefix:
			cq = b.prefix(c.Value)
		case ClauseFilter:
			cq = b.filter(c.Field, c.Value)
		case ClauseGroup:
			cq = b.group(c.Any)
		}
		if cq == nil {
			continue
		}
		if c.Negate {
			mustNot = append(mustNot, cq)
		} else {
			must = append(must, cq)
		}
	}
	flush()
	if len(must) == 0 {
		must = stops
	} else {
		should = stops
	}
	if len(must) == 0 {
		must = []query.Query{query.NewMatchAllQuery()}
	}
	// Bleve would wrap a single clause in a conjunction of one, a layer
	// per hit, and leapfrog several scored ones (see andQuery).
	var all query.Query = &andQuery{clauses: must}
	if len(must) == 1 {
		all = must[0]
	}
	if len(should) == 0 && len(mustNot) == 0 {
		return all
	}
	bq := query.NewBooleanQuery(nil, nil, mustNot)
	bq.Must = all
	if len(should) > 0 {
		// Optional: they only add to the score.
		bq.AddShould(should...)
		bq.SetMinShould(0)
	}
	return bq
}

// group matches any of the alternatives, each built as a query of its
// own.
func (b builder) group(alts []Query) query.Query {
	qs := make([]query.Query, 0, len(alts))
	for _, a := range alts {
		qs = append(qs, b.build(a))
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

type group struct {
	q    query.Query
	stop bool
}

// wordGroups builds one group per word, or per phrase of 2 or 3 words the
// expander knows.
func (b builder) wordGroups(words []string) []group {
	var out []group
	for i := 0; i < len(words); {
		n := 1
		var alts []string
		if b.exp != nil {
			for k := min(3, len(words)-i); k >= 2; k-- {
				if a := b.expand(strings.ToLower(strings.Join(words[i:i+k], " "))); len(a) > 0 {
					n, alts = k, a
					break
				}
			}
		}
		if n == 1 {
			if q := b.word(words[i]); q != nil {
				out = append(out, group{q: q, stop: isStopWord(words[i])})
			}
			i++
			continue
		}
		var all []query.Query
		for _, w := range words[i : i+n] {
			if q := b.word(w); q != nil {
				all = append(all, q)
			}
		}
		var dis []query.Query
		if len(all) > 0 {
			dis = append(dis, query.NewConjunctionQuery(all))
		}
		for _, a := range alts {
			if q := b.exact(a, factorExpanded); q != nil {
				dis = append(dis, q)
			}
		}
		if len(dis) > 0 {
			out = append(out, group{q: query.NewDisjunctionQuery(dis)})
		}
		i += n
	}
	return out
}

// word matches one query word: exactly (stemmed) in any text field, with a
// typo when long enough, or as one of its expansions.
func (b builder) word(w string) query.Query {
	terms := analyzeTerms(b.an, w)
	if len(terms) == 0 {
		return nil
	}
	var dis []query.Query
	pt := b.personTerm(w)
	if q := b.terms(terms, 1); q != nil {
		if wq, ok := q.(*wordQuery); ok && pt != "" {
			wq.fields = append(wq.fields, textField{fParticipants, boostPeople, pt})
		}
		dis = append(dis, q)
	}
	d := fuzziness(w, terms)
	switch {
	case d == 0 || b.known != nil && b.known(terms[0]):
	case b.fix != nil:
		if pt != "" && b.fix.knownIn(pt, fParticipants) {
			break
		}
		// One correction, the nearest indexed word, searched as a word:
		// the result can say what it searched for.
		if c, ok := b.fix.correct([]string{terms[0], strings.ToLower(w)}, d); ok {
			fs := textFields()
			dis = append(dis, &wordQuery{term: c, fields: fs[:], factor: 1})
			if b.fixes != nil {
				*b.fixes = append(*b.fixes, correction{word: w, term: c})
			}
		}
	default:
		for _, f := range textFields() {
			fq := query.NewFuzzyQuery(terms[0])
			fq.SetField(f.name)
			fq.SetFuzziness(d)
			fq.SetPrefix(1)
			fq.SetBoost(f.boost * factorFuzzy)
			dis = append(dis, fq)
		}
	}
	for _, a := range b.expand(strings.ToLower(w)) {
		if q := b.exact(a, factorExpanded); q != nil {
			dis = append(dis, q)
		}
	}
	if len(dis) == 1 {
		return dis[0]
	}
	return query.NewDisjunctionQuery(dis)
}

// personTerm is w as the people fields hold it, when it is one term
// there ("notmuch", "skilling"); "" otherwise.
func (b builder) personTerm(w string) string {
	if ts := analyzeTerms(b.person, w); len(ts) == 1 {
		return ts[0]
	}
	return ""
}

// exact matches text as analyzed terms in a row (a term query for one
// term, a phrase otherwise; CJK words are phrases of bigrams) in any text
// field. It returns nil if text has no terms.
func (b builder) exact(text string, factor float64) query.Query {
	return b.terms(analyzeTerms(b.an, text), factor)
}

func (b builder) terms(terms []string, factor float64) query.Query {
	if len(terms) == 0 {
		return nil
	}
	fs := textFields()
	if len(terms) == 1 {
		return &wordQuery{term: terms[0], fields: fs[:], factor: factor}
	}
	dis := make([]query.Query, 0, len(fs))
	for _, f := range fs {
		dis = append(dis, &phraseQuery{terms: terms, field: f.name, boost: f.boost * factor})
	}
	return query.NewDisjunctionQuery(dis)
}

// prefix matches words starting with p: its most frequent ones (see
// prefixQuery). The index holds stemmed terms, so both p and its stem are
// tried ("manage*" must find "management", stored as "manag"), unless the
// stem is a stop word: "thes*" is not "the*".
func (b builder) prefix(p string) query.Query {
	lower := strings.ToLower(p)
	cands := []string{lower}
	if ts := analyzeTerms(b.an, p); len(ts) == 1 && ts[0] != lower && !isStopWord(ts[0]) {
		cands = append(cands, ts[0])
	}
	fs := textFields()
	return &prefixQuery{prefixes: cands, fields: fs[:]}
}

// filter builds the query of a field:value clause; nil if it cannot match
// anything meaningful.
func (b builder) filter(field, val string) query.Query {
	switch field {
	case FilterFrom, FilterTo, FilterPerson:
		f, keys := fFrom, fFromKey // the field of names and address parts, that of whole addresses
		switch field {
		case FilterTo:
			f, keys = fTo, fToKey
		case FilterPerson:
			f, keys = fParticipants, fPerson
		}
		// An address is matched as written (its parts in a row); a name by
		// all its words in any order, so from:"Vince Kaminski" finds
		// "Kaminski, Vince J" <j.kaminski@enron.com>.
		if strings.Contains(val, "@") {
			// A whole address is one keyword term: a phrase of its parts
			// costs a search at 100,000 messages ten times as much, since
			// "enron" and "com" are in nearly every one of them.
			if key, ok := wholeAddress(val); ok {
				tq := query.NewTermQuery(key)
				tq.SetField(keys)
				return tq
			}
			// Part of one (from:@enron.com, from:steffes@): its parts in a
			// row, on this package's phrase searcher.
			return b.inField(b.person, f, val)
		}
		mq := query.NewMatchQuery(val)
		mq.SetField(f)
		mq.SetOperator(query.MatchQueryOperatorAnd)
		return mq
	case FilterSubject:
		return b.inField(b.an, fTitle, val)
	case FilterPath:
		return b.inField(b.person, fPathText, val)
	case FilterTag:
		t := normTag(val)
		tq := query.NewTermQuery(t)
		tq.SetField(fTags)
		pq := query.NewPrefixQuery(t + "/")
		pq.SetField(fTags)
		return query.NewDisjunctionQuery([]query.Query{tq, pq})
	case FilterSource:
		tq := query.NewTermQuery(strings.ToLower(val))
		tq.SetField(fSource)
		return tq
	case FilterBefore, FilterAfter:
		start, _, ok := parsePeriod(val)
		if !ok {
			return nil
		}
		yes := true
		var dq *query.DateRangeQuery
		if field == FilterAfter {
			dq = query.NewDateRangeInclusiveQuery(start, time.Time{}, &yes, nil)
		} else {
			no := false
			dq = query.NewDateRangeInclusiveQuery(time.Time{}, start, nil, &no)
		}
		dq.SetField(fDate)
		return dq
	}
	return nil
}

// inField matches the terms of val, analysed by an, in a row in field.
func (b builder) inField(an analysis.Analyzer, field, val string) query.Query {
	if an == nil {
		mq := query.NewMatchPhraseQuery(val)
		mq.SetField(field)
		return mq
	}
	switch terms := analyzeTerms(an, val); len(terms) {
	case 0:
		return nil
	case 1:
		tq := query.NewTermQuery(terms[0])
		tq.SetField(field)
		return tq
	default:
		return &phraseQuery{terms: terms, field: field, boost: 1}
	}
}

// fuzziness is the edit distance allowed for a typo in the word w, whose
// analysed terms are terms: none below 4 letters, 1 from 4, 2 from 8,
// counted on the word as written ("veiw" is one swap from "view").
// Corrections are looked for from the word and from its stem (see
// corrector.correct). Words of several
// terms, CJK words, words with digits (codes and identifiers: a typo
// there is a different thing) and words over maxFuzzyLen get none.
func fuzziness(w string, terms []string) int {
	if len(terms) != 1 {
		return 0
	}
	n := utf8.RuneCountInString(w)
	for _, r := range w {
		if isCJK(r) || !unicode.IsLetter(r) {
			return 0
		}
	}
	switch {
	case n > maxFuzzyLen:
		return 0
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// isStopWord reports common English words that should not be required.
func isStopWord(w string) bool {
	switch strings.ToLower(w) {
	case "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in",
		"into", "is", "it", "no", "not", "of", "on", "or", "such", "that", "the",
		"their", "then", "there", "these", "they", "this", "to", "was", "will", "with":
		return true
	}
	return false
}

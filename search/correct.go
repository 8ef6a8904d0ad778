package search

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	index "github.com/blevesearch/bleve_index_api"
	lru "github.com/hashicorp/golang-lru/v2"
)

// maxCorrectionScan is how many dictionary terms near a word are looked
// at to choose its correction.
const maxCorrectionScan = 2000

// maxFuzzyLen is the longest word, in characters, that typo tolerance
// is tried for: the automaton of a longer one grows past what Bleve
// builds, and nobody misspells a 30-letter word.
const maxFuzzyLen = 24

// correction is a query word the index did not know and the indexed
// term searched in its place.
type correction struct {
	word, term string
}

// corrector looks words up in the term dictionaries of one snapshot.
// With a cache, corrections are kept under the snapshot's index and
// version (see correctionKey).
type corrector struct {
	ctx     context.Context
	r       index.IndexReader
	cache   *lru.Cache[correctionKey, correctionResult]
	index   string
	version uint64
}

// knownIn reports whether term occurs in any of fields.
func (c corrector) knownIn(term string, fields ...string) bool {
	for _, f := range fields {
		tfr, err := c.r.TermFieldReader(c.ctx, []byte(term), f, false, false, false)
		if err != nil {
			return false
		}
		n := tfr.Count()
		_ = tfr.Close()
		if n > 0 {
			return true
		}
	}
	return false
}

// correct returns the indexed term of the text fields nearest to one of
// sources (the word's stem and the word as written), within d edits
// (a swap of two letters is one) and with the same first letter: the
// nearest, then the one nearest to all sources together, then the one in
// most documents, then the first in order.
// ok is false when no term is that near.
func (c corrector) correct(sources []string, d int) (string, bool) {
	if c.cache == nil {
		return c.lookUp(sources, d)
	}
	k := correctionKey{index: c.index, version: c.version, sources: strings.Join(sources, "\x00"), edits: d}
	if r, ok := c.cache.Get(k); ok {
		return r.term, r.found
	}
	term, found := c.lookUp(sources, d)
	if c.ctx.Err() == nil { // a cancelled scan may have stopped short
		c.cache.Add(k, correctionResult{term, found})
	}
	return term, found
}

// lookUp is correct without the cache.
func (c corrector) lookUp(sources []string, d int) (string, bool) {
	fr, isFuzzy := c.r.(index.IndexReaderFuzzy)
	if !isFuzzy {
		return "", false
	}
	type cand struct {
		dist  int
		count uint64
	}
	cands := map[string]*cand{}
	for _, src := range sources {
		if src == "" {
			continue
		}
		first, _ := utf8.DecodeRuneInString(src)
		for _, f := range textFields() {
			dict, err := fr.FieldDictFuzzy(f.name, src, d, string(first))
			if err != nil {
				continue
			}
			for n := 0; n < maxCorrectionScan; n++ {
				e, err := dict.Next()
				if err != nil || e == nil {
					break
				}
				dist := editDistance(src, e.Term)
				if dist > d {
					continue
				}
				if k, ok := cands[e.Term]; ok {
					k.dist = min(k.dist, dist)
					k.count += e.Count
				} else {
					cands[e.Term] = &cand{dist, e.Count}
				}
			}
			_ = dict.Close()
		}
	}
	// Among the nearest, the term near both the stem and the word as
	// written wins ("canvs": "canva", the stem of canvas, is one edit from
	// both, "can" one from the stem "canv" but two from the word).
	total := func(t string) int {
		n := 0
		for _, src := range sources {
			if src != "" {
				n += editDistance(src, t)
			}
		}
		return n
	}
	best, found := "", false
	var bc cand
	bt := 0
	for t, k := range cands {
		kt := total(t)
		if !found || k.dist < bc.dist || k.dist == bc.dist && (kt < bt || kt == bt && (k.count > bc.count || k.count == bc.count && t < best)) {
			best, bc, bt, found = t, *k, kt, true
		}
	}
	return best, found
}

// editDistance is the optimal string alignment distance of a and b: the
// insertions, deletions, substitutions and swaps of adjacent letters
// that turn one into the other.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// surfaceOf returns the shortest word of text (as written, lower-cased)
// that an analyses to term: the word a user would recognise for a stem
// ("energy" for "energi", "view" rather than "views"). It returns term
// when no word does.
func surfaceOf(an analysis.Analyzer, text, term string) string {
	first, _ := utf8.DecodeRuneInString(term)
	best := ""
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		lw := strings.ToLower(w)
		if r, _ := utf8.DecodeRuneInString(lw); r != first || len(lw) < len(term) || len(lw) > len(term)+6 || best != "" && len(lw) >= len(best) {
			continue
		}
		if ts := analyzeTerms(an, lw); len(ts) == 1 && ts[0] == term {
			if best = lw; lw == term {
				break
			}
		}
	}
	if best == "" {
		return term
	}
	return best
}

// correctedQuery writes raw with each corrected word replaced by what it
// was corrected to, keeping the brackets and signs around it.
func correctedQuery(raw string, fixes map[string]string) string {
	fields := strings.Fields(raw)
	for i, f := range fields {
		core := strings.Trim(f, `()|-"`)
		if to, ok := fixes[core]; ok && core != "" {
			fields[i] = strings.Replace(f, core, to, 1)
		}
	}
	return strings.Join(fields, " ")
}

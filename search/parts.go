package search

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// partsFilter is the name of the token filter that adds the parts of a
// joined token.
const partsFilter = "engram_parts"

// Bleve finds the filters of a stored mapping by name in its registry,
// which is filled at init, so the filter is registered there: an index
// reopened later must find it under the same name.
func init() {
	if err := registry.RegisterTokenFilter(partsFilter, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return partsTokenFilter{}, nil
	}); err != nil {
		panic(fmt.Sprintf("search: %v", err))
	}
}

// maxParts is how many parts of one token are indexed.
const maxParts = 16

// partsTokenFilter keeps every token and adds, after a token that joins
// words with punctuation the tokenizer does not split on (stdint.h,
// decoded_value, tag:inbox, o'brien, 1.30), its runs of letters and
// digits: the first part at the token's position, the next ones at the
// positions after it. So the whole token is found as written and by a
// phrase with its neighbours, and each part alone or in a phrase with
// the parts after it and with the token before ("notmuch new" in
// notmuch-new.c, which the tokenizer gives as notmuch and new.c).
type partsTokenFilter struct{}

func (partsTokenFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, t := range in {
		if t.Type != analysis.AlphaNumeric && t.Type != analysis.Numeric || !joined(t.Term) {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = make(analysis.TokenStream, i, len(in)+8)
			copy(out, in[:i])
		}
		out = append(out, t)
		out = appendParts(out, t)
	}
	if out == nil {
		return in
	}
	return out
}

// joined reports whether term has a letter or digit on both sides of
// something that is neither.
func joined(term []byte) bool {
	seenWord, gap := false, false
	for len(term) > 0 {
		r, n := utf8.DecodeRune(term)
		term = term[n:]
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if gap && seenWord {
				return true
			}
			seenWord = true
			continue
		}
		gap = true
	}
	return false
}

func appendParts(out analysis.TokenStream, t *analysis.Token) analysis.TokenStream {
	term := t.Term
	k, start := 0, -1
	emit := func(end int) {
		if start < 0 || k >= maxParts {
			return
		}
		// Offsets point into the original text when the term has its
		// length there (no folding changed it), else at the token.
		s, e := t.Start, t.End
		if t.End-t.Start == len(term) {
			s, e = t.Start+start, t.Start+end
		}
		out = append(out, &analysis.Token{Start: s, End: e, Term: append([]byte(nil), term[start:end]...), Position: t.Position + k, Type: t.Type})
		k++
	}
	for i := 0; i < len(term); {
		r, n := utf8.DecodeRune(term[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
		} else {
			emit(i)
			start = -1
		}
		i += n
	}
	emit(len(term))
	return out
}

package search

import (
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// alnumTokenizer is the name of the tokenizer of engram_person: runs of
// letters and digits. It replaced a regexp tokenizer ([\p{L}\p{N}]+) that
// gives the same tokens at about a tenth of the speed; the people fields
// of every message go through it.
const alnumTokenizer = "engram_alnum"

// Registered at init for the same reason as partsFilter: a stored mapping
// names it.
func init() {
	if err := registry.RegisterTokenizer(alnumTokenizer, func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
		return alnumTokens{}, nil
	}); err != nil {
		panic(fmt.Sprintf("search: %v", err))
	}
}

// alnumTokens splits on anything but letters and digits. Bytes that are not
// UTF-8 separate tokens like punctuation does.
type alnumTokens struct{}

func (alnumTokens) Tokenize(in []byte) analysis.TokenStream {
	var out analysis.TokenStream
	start := -1
	emit := func(end int) {
		if start >= 0 {
			out = append(out, &analysis.Token{Term: in[start:end], Start: start, End: end, Position: len(out) + 1, Type: analysis.AlphaNumeric})
			start = -1
		}
	}
	for i := 0; i < len(in); {
		r, size := rune(in[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(in[i:])
		}
		word := r != utf8.RuneError && (r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsNumber(r)))
		switch {
		case word && start < 0:
			start = i
		case !word:
			emit(i)
		}
		i += size
	}
	emit(len(in))
	return out
}

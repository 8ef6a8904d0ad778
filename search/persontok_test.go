package search

import (
	"regexp"
	"slices"
	"testing"
)

// TestAlnumTokensMatchTheRegexp: the tokenizer gives the tokens, offsets
// and positions of the regexp [\p{L}\p{N}]+ it replaced, on people as
// headers write them and on bytes that are not UTF-8.
func TestAlnumTokensMatchTheRegexp(t *testing.T) {
	re := regexp.MustCompile(`[\p{L}\p{N}]+`)
	for _, in := range []string{
		"",
		"Jeff Skilling <jeff.skilling@enron.com>",
		`"Steffes, James D." <d..steffes@enron.com>`,
		"Thorsten Hertel thorsten.hertel@KEYSIGHT.COM",
		"Zoë Ölçer <zoe@example.org>",
		"李小龍 <li@example.cn>",
		"x\xff\xfey z",
		"\ufffdab\ufffd",
		"٣٤ numbers ½ and ²",
		"tail",
		"  spaced   out  ",
	} {
		var want []string
		for _, m := range re.FindAllStringIndex(in, -1) {
			want = append(want, in[m[0]:m[1]])
		}
		var got []string
		for i, tok := range (alnumTokens{}).Tokenize([]byte(in)) {
			got = append(got, string(tok.Term))
			if tok.Position != i+1 || in[tok.Start:tok.End] != string(tok.Term) {
				t.Errorf("%q: token %d %+v", in, i, tok)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: %q, the regexp gives %q", in, got, want)
		}
	}
}

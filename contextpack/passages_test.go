package contextpack

import (
	"slices"
	"testing"
	"unicode/utf8"
)

func TestAnalyse(t *testing.T) {
	tests := []struct {
		q            string
		words, names []string
	}{
		{"what did Ken Lay say about the bankruptcy", []string{"ken", "lay", "bankruptcy"}, []string{"Ken Lay"}},
		{"What did Kenneth Lay tell employees about bankruptcy?", []string{"kenneth", "lay", "employees", "bankruptcy"}, []string{"Kenneth Lay"}},
		{"Ken Lay's memo on the merger", []string{"ken", "lay", "memo", "merger"}, []string{"Ken Lay"}},
		{"did Skilling mention California and Dabhol", []string{"skilling", "california", "dabhol"}, []string{"Skilling", "California", "Dabhol"}},
		{"what is the weather", []string{"weather"}, nil},
		{"who what where", nil, nil},
	}
	for _, tc := range tests {
		q := Analyse(tc.q)
		if !slices.Equal(q.Words, tc.words) || !slices.Equal(q.Names, tc.names) {
			t.Errorf("%q: words %q names %q, want %q %q", tc.q, q.Words, q.Names, tc.words, tc.names)
		}
	}
}

func TestFromOrTo(t *testing.T) {
	d := Doc{From: "kenneth.lay@enron.com", To: []string{"Jeff Skilling <jeff.skilling@enron.com>"}}
	if !fromOrTo(d, [][]string{{"ken", "lay"}}) || !fromOrTo(d, [][]string{{"jeff", "skilling"}}) {
		t.Error("a named person's mail was not recognised")
	}
	if fromOrTo(d, [][]string{{"sherri", "sera"}}) || fromOrTo(d, nil) {
		t.Error("mail recognised as the mail of someone not on it")
	}
}

func FuzzAnalyse(f *testing.F) {
	for _, s := range []string{"what did Ken Lay say about the bankruptcy", "", "Ä Ö ü", "\"person:x\" -y", "A B C D E F G H I J K"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Analyse(s)
		if len(q.Words) > maxWords || len(q.Names) > maxNames {
			t.Fatalf("%q: %d words, %d names", s, len(q.Words), len(q.Names))
		}
		for _, w := range q.Words {
			if w == "" || !utf8.ValidString(w) && utf8.ValidString(s) {
				t.Fatalf("%q: word %q", s, w)
			}
		}
	})
}

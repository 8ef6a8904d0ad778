package search

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
)

// FuzzMayMatchASCII checks the allocation-free test against mayMatch on
// the lower-cased word, which it replaces for ASCII words.
func FuzzMayMatchASCII(f *testing.F) {
	f.Add("Walrus", "wal", "nar")
	f.Add("wa", "wal", "")
	f.Add("ENRON", "enr", "co")
	f.Add("x", "é", "中文")
	f.Add("Zürich", "zur", "")
	fold := asciifolding.New()
	f.Fuzz(func(t *testing.T, word, n1, n2 string) {
		var needles []string
		for _, n := range []string{n1, n2} {
			if n != "" {
				needles = append(needles, foldLower(fold, n))
			}
		}
		got, ascii := mayMatchASCII(word, needles)
		if !ascii {
			for i := 0; i < len(word); i++ {
				if word[i] < 0x80 {
					continue
				}
				return // not ASCII: the caller takes mayMatch's path
			}
			t.Fatalf("%q is ASCII but mayMatchASCII says it is not", word)
		}
		if want := mayMatch(foldLower(fold, word), needles); got != want {
			t.Fatalf("mayMatchASCII(%q, %q) = %v, mayMatch says %v", word, needles, got, want)
		}
	})
}

package corpus

import (
	"math/rand/v2"
	"strings"
)

// Vocabulary is the generator's word list in frequency order: index 0 is
// drawn most often. Word draws follow a Zipf law over the ranks.
type Vocabulary struct {
	// Words holds every word, most frequent first.
	Words []string
	// Function is the number of leading function words ("the", "to", ...),
	// which search engines treat as stop words.
	Function int
	// Phrases are the stock phrases sprinkled into sentences.
	Phrases []string
}

// ContentWords returns the words after the function words, most frequent
// first: the ones worth searching for.
func (v Vocabulary) ContentWords() []string { return v.Words[v.Function:] }

// newVocabulary builds size words from its own stream of the seed, so that
// the vocabulary does not depend on how many messages are generated.
func newVocabulary(seed uint64, size int) Vocabulary {
	r := rand.New(rand.NewPCG(seed, 0x766f6361)) // "voca"
	seen := make(map[string]bool, size)
	words := make([]string, 0, size)
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, w := range functionWords {
		add(w)
	}
	fn := len(words)
	biz := append([]string(nil), businessWords...)
	r.Shuffle(len(biz), func(i, j int) { biz[i], biz[j] = biz[j], biz[i] })
	for _, w := range biz {
		add(w)
	}
	for _, w := range firstNames {
		seen[w] = true // a pseudo-word that is also a name would blur from: queries
	}
	for _, w := range lastNames {
		seen[w] = true
	}
	for len(words) < size {
		add(pseudoWord(r))
	}
	return Vocabulary{Words: words, Function: fn, Phrases: append([]string(nil), phrases...)}
}

// pseudoWord makes a pronounceable word of two or three syllables.
func pseudoWord(r *rand.Rand) string {
	var b strings.Builder
	n := 2
	if r.IntN(4) == 0 {
		n = 3
	}
	for i := 0; i < n; i++ {
		if i == 0 || r.IntN(4) > 0 {
			b.WriteString(onsets[r.IntN(len(onsets))])
		}
		b.WriteString(vowels[r.IntN(len(vowels))])
		if i == n-1 && r.IntN(3) > 0 {
			b.WriteString(codas[r.IntN(len(codas))])
		}
	}
	return b.String()
}

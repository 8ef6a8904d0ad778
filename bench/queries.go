package bench

import (
	"math/rand/v2"

	"github.com/engram-app/engram/bench/corpus"
)

// queryKind is one kind of query of the search mix.
type queryKind struct {
	name   string
	weight int // percent of the mix
	make   func(q *querySource) string
}

// querySource draws queries from what the generator put in the corpus.
type querySource struct {
	r       *rand.Rand
	content []string // content words, most frequent first
	phrases []string
	senders []string // addresses of people who sent at least one message
}

// queryKinds is the mix of the search benchmark: single words of high,
// middle and low frequency, two words, a phrase, a from: filter (alone or
// with a word) and a prefix.
var queryKinds = []queryKind{
	{"word, frequent", 12, func(q *querySource) string { return q.word(0, 50) }},
	{"word, middle", 12, func(q *querySource) string { return q.word(200, 1000) }},
	{"word, rare", 11, func(q *querySource) string { return q.word(1500, len(q.content)) }},
	{"two words", 20, func(q *querySource) string { return q.word(0, 400) + " " + q.word(0, 400) }},
	{"phrase", 15, func(q *querySource) string { return `"` + q.phrases[q.r.IntN(len(q.phrases))] + `"` }},
	{"from:", 15, func(q *querySource) string {
		s := "from:" + q.senders[q.r.IntN(len(q.senders))]
		if q.r.IntN(2) == 0 {
			s += " " + q.word(0, 200)
		}
		return s
	}},
	{"prefix*", 15, func(q *querySource) string {
		for {
			w := q.word(50, 800)
			if len(w) >= 5 {
				return w[:4] + "*"
			}
		}
	}},
}

func newQuerySource(seed uint64, g *corpus.Generator, st corpus.Stats) *querySource {
	q := &querySource{
		r:       rand.New(rand.NewPCG(seed, 0x71756572)), // "quer"
		content: g.Vocabulary().ContentWords(),
		phrases: g.Vocabulary().Phrases,
	}
	for i, p := range g.People() {
		if i < len(st.Sent) && st.Sent[i] > 0 {
			q.senders = append(q.senders, p.Address)
		}
	}
	if len(q.senders) == 0 {
		q.senders = []string{g.People()[0].Address}
	}
	return q
}

// word draws a content word of frequency rank in [lo, hi), uniformly.
func (q *querySource) word(lo, hi int) string {
	hi = min(hi, len(q.content))
	lo = min(lo, hi-1)
	return q.content[lo+q.r.IntN(hi-lo)]
}

// query draws one query and the index of its kind.
func (q *querySource) query() (string, int) {
	x := q.r.IntN(100)
	for i, k := range queryKinds {
		if x < k.weight {
			return k.make(q), i
		}
		x -= k.weight
	}
	return queryKinds[0].make(q), 0
}

// realQueries are searched on real folders, whose vocabulary we do not know:
// words common in any mail or notes.
var realQueries = []string{
	"meeting", "please", "thanks", "project", "report", "time", "call",
	"week", "question", "update", `"next week"`, "pre*",
}

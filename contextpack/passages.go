// Package contextpack builds context packs, what an assistant is given to
// answer a user's question within a token budget (pack.go: the profile,
// memories, entities, passages and gaps, from Parts the container adapts;
// a Builder bounds the builds at once and caches the finished packs), and
// finds the document passages that answer a natural question (this file).
//
// A question is not a search query: "what did Ken Lay say about the
// bankruptcy" has words that no passage holds all of. The finder drops the
// stop words (question words, auxiliaries, reporting verbs such as "say"),
// keeps the content words and the names (runs of capitalised words), and
// gathers candidate documents with one search per content word (any word
// may match) and, for each name that is a person in the index, that
// person's mail (about each content word, and in general). It then splits
// each candidate into passages and ranks them by BM25 over the content
// words, with the document frequencies the searches reported, boosted when
// the passage's document is from or to a person named in the question, or
// mentions a name. The best passage of each document is kept.
//
// The finder holds no state between calls and is safe for concurrent use;
// it does not know the search engine or the store, only the two small
// interfaces below, which the container adapts.
package contextpack

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	porterstemmer "github.com/blevesearch/go-porterstemmer"
)

// Searcher runs a query in the search package's syntax (words, "phrases",
// person:"Name") and returns the best hits and how many documents match.
type Searcher interface {
	Search(ctx context.Context, query string, limit int) (ids []string, total uint64, err error)
	// Count is the number of documents searched.
	Count() (uint64, error)
}

// Loader reads a document by ID.
type Loader interface {
	Load(ctx context.Context, id string) (Doc, error)
}

// Doc is what the finder reads of a document.
type Doc struct {
	ID, Title, Source, Body, From string
	To                            []string
	Date                          time.Time
}

// Passage is a piece of a document, cited by the document's ID.
type Passage struct {
	ID     string  `json:"id"`
	Title  string  `json:"title"`
	Source string  `json:"source"`
	Text   string  `json:"text"`
	Score  float64 `json:"score"`
}

// Limits of one call, whatever the question: they bound the searches and
// the documents read, so a pasted page of text costs what a question does.
const (
	maxWords      = 8   // content words searched
	maxNames      = 3   // names found in a question
	maxPeople     = 2   // names tried as people
	maxTopicWords = 3   // words searched in each person's mail
	perWord       = 10  // hits per word search
	perPerson     = 10  // hits per person search
	maxCandidates = 30  // documents read
	passageWords  = 60  // words of a passage
	maxBodyRunes  = 1e5 // of a document read
	bm25K1        = 1.2
	bm25B         = 0.75
	personBoost   = 0.5  // a passage from or to a person named: its topic score grows by half
	personFloor   = 0.05 // and it counts even without a topic word, below any that has one
	mentionBoost  = 0.3  // a passage that names a name
)

// stopWords are dropped from a question: they carry its form, not its
// topic.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`a an the and or but of to in on at for from by with about as into over under
		is am are was were be been being do does did doing have has had having i me my mine myself we us our you your
		he him his she her it its they them their this that these those there here what which who whom whose where
		when why how any some all no not very really just so too can could would should will shall may might must
		also than then now again still ever say says said saying tell tells told talk talks talked talking mention
		mentioned write wrote written think thought know knew ask asked regarding concerning re anything something
		everything email emails mail mails message messages letter note notes please find show give me let`) {
		m[w] = true
	}
	return m
}()

// Question is a question analysed: its content words (lower case, in
// order, each once) and the names in it (runs of capitalised words).
type Question struct {
	Words []string
	Names []string
}

// Analyse reads a question.
func Analyse(q string) Question {
	var out Question
	seen := map[string]bool{}
	toks := tokens(q)
	var run []string
	flush := func() {
		if len(run) > 0 {
			name := strings.Join(run, " ")
			if !slices.Contains(out.Names, name) && len(out.Names) < maxNames {
				out.Names = append(out.Names, name)
			}
			run = run[:0]
		}
	}
	for i, t := range toks {
		lw := strings.ToLower(t)
		capital := unicode.IsUpper([]rune(t)[0])
		// A capital that only starts the sentence is not a name ("What").
		if capital && !(i == 0 && stopWords[lw]) && !stopWords[lw] {
			run = append(run, t)
		} else {
			flush()
		}
		if !stopWords[lw] && len([]rune(lw)) > 1 && !seen[lw] && len(out.Words) < maxWords {
			seen[lw] = true
			out.Words = append(out.Words, lw)
		}
	}
	flush()
	return out
}

// tokens splits text into words (letters and digits, inner apostrophes,
// hyphens and dots kept out).
func tokens(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

func stem(w string) string {
	w = strings.ToLower(w)
	if len(w) <= 3 {
		return w
	}
	return porterstemmer.StemString(w)
}

// quote makes a name safe inside person:"...".
func quote(s string) string { return strings.ReplaceAll(s, `"`, "") }

// Find returns the best passages for question, at most limit (1 to 50), one
// per document, best first; ties go to the lower document ID.
func Find(ctx context.Context, s Searcher, l Loader, question string, limit int) ([]Passage, error) {
	limit = max(1, min(limit, 50))
	q := Analyse(question)
	if len(q.Words) == 0 {
		return nil, nil
	}
	n, err := s.Count()
	if err != nil {
		return nil, err
	}
	var order []string
	have := map[string]bool{}
	gather := func(ids []string) {
		for _, id := range ids {
			if !have[id] && len(order) < maxCandidates {
				have[id] = true
				order = append(order, id)
			}
		}
	}
	// Each word on its own first: its total is its document frequency.
	df := map[string]float64{}
	var byWord [][]string
	for _, w := range q.Words {
		ids, total, err := s.Search(ctx, w, perWord)
		if err != nil {
			return nil, fmt.Errorf("searching %q: %w", w, err)
		}
		df[stem(w)] = float64(total)
		byWord = append(byWord, ids)
	}
	// People's mail first among the candidates: their mail about the topic
	// (its rarest words) is the best evidence, then their mail at all.
	var people [][]string // each person's name words, lower case
	nameWords := map[string]bool{}
	for _, full := range q.Names {
		for _, w := range tokens(full) {
			nameWords[strings.ToLower(w)] = true
		}
	}
	var topic []string
	for _, w := range q.Words {
		if !nameWords[w] && df[stem(w)] > 0 {
			topic = append(topic, w)
		}
	}
	sort.SliceStable(topic, func(i, j int) bool { return df[stem(topic[i])] < df[stem(topic[j])] })
	topic = topic[:min(len(topic), maxTopicWords)]
	for i, full := range q.Names {
		if i == maxPeople {
			break
		}
		name := full
		ids, total, err := s.Search(ctx, fmt.Sprintf(`person:"%s"`, quote(name)), perPerson)
		if err != nil {
			return nil, fmt.Errorf("searching the mail of %s: %w", name, err)
		}
		if ws := lowerWords(name); total == 0 && len(ws) > 1 && len(ws[len(ws)-1]) >= 3 {
			// "Ken Lay" may be "Kenneth Lay" in the mail: try the surname,
			// and keep what the first name's start also fits (fromOrTo).
			name = ws[len(ws)-1]
			if ids, total, err = s.Search(ctx, fmt.Sprintf(`person:"%s"`, quote(name)), perPerson); err != nil {
				return nil, err
			}
		}
		if total == 0 {
			continue
		}
		people = append(people, lowerWords(full))
		for _, w := range topic {
			about, _, err := s.Search(ctx, fmt.Sprintf(`person:"%s" %s`, quote(name), w), perPerson)
			if err != nil {
				return nil, err
			}
			gather(about)
		}
		gather(ids)
	}
	for _, ids := range byWord {
		gather(ids)
	}
	terms := make([]string, 0, len(q.Words))
	for _, w := range q.Words {
		if t := stem(w); !slices.Contains(terms, t) {
			terms = append(terms, t)
		}
	}
	prefixes := map[string]bool{}
	for _, t := range terms {
		prefixes[t[:min(3, len(t))]] = true
	}
	type scored struct {
		p     Passage
		words int
		tf    map[string]int
		doc   int
	}
	var ps []scored
	var docs []Doc
	var theirs []bool // of docs: from or to a person named
	totalWords := 0
	for _, id := range order {
		d, err := l.Load(ctx, id)
		if err != nil {
			continue // removed since it was indexed
		}
		docs = append(docs, d)
		theirs = append(theirs, fromOrTo(d, people))
		for i, text := range passages(d) {
			toks := tokens(text)
			if i == 0 && text != d.Title {
				toks = append(toks, tokens(d.Title)...)
			}
			tf := map[string]int{}
			for _, t := range toks {
				// Stemming is the cost of a pack: only words that start
				// like a term can stem to it.
				lt := strings.ToLower(t)
				if len(lt) >= 3 && prefixes[lt[:3]] {
					tf[stem(lt)]++
				} else if len(lt) < 3 && prefixes[lt] {
					tf[lt]++
				}
			}
			ps = append(ps, scored{p: Passage{ID: d.ID, Title: d.Title, Source: d.Source, Text: text}, words: len(toks), tf: tf, doc: len(docs) - 1})
			totalWords += len(toks)
		}
	}
	if len(ps) == 0 {
		return nil, nil
	}
	avg := float64(totalWords) / float64(len(ps))
	names := make([]string, 0, len(q.Names))
	for _, name := range q.Names {
		names = append(names, strings.ToLower(name))
	}
	best := map[string]int{} // document ID -> index in out
	var out []Passage
	for _, sp := range ps {
		var score float64
		for _, t := range terms {
			tf := float64(sp.tf[t])
			if tf == 0 {
				continue
			}
			d := df[t]
			idf := math.Log(1 + (float64(n)-d+0.5)/(d+0.5))
			score += idf * tf * (bm25K1 + 1) / (tf + bm25K1*(1-bm25B+bm25B*float64(sp.words)/avg))
		}
		if theirs[sp.doc] {
			score = score*(1+personBoost) + personFloor
		}
		lower := strings.ToLower(sp.p.Text)
		for _, name := range names {
			if strings.Contains(lower, name) {
				score += mentionBoost
				break
			}
		}
		if score == 0 {
			continue
		}
		sp.p.Score = math.Round(score*1000) / 1000
		if i, ok := best[sp.p.ID]; ok {
			if sp.p.Score > out[i].Score {
				out[i] = sp.p
			}
			continue
		}
		best[sp.p.ID] = len(out)
		out = append(out, sp.p)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

func lowerWords(s string) []string {
	var out []string
	for _, w := range tokens(s) {
		out = append(out, strings.ToLower(w))
	}
	return out
}

// fromOrTo reports whether one of people (each a name's words) sent or
// received d: every word of the name is in the sender's or a recipient's
// name or address ("Ken Lay" is "Lay, Kenneth <ken.lay@enron.com>"; a
// word also counts as the start of a longer one, Ken of Kenneth).
func fromOrTo(d Doc, people [][]string) bool {
	if len(people) == 0 {
		return false
	}
	parts := append([]string{d.From}, d.To...)
	for _, p := range parts {
		ws := lowerWords(p)
		for _, name := range people {
			all := len(name) > 0
			for _, nw := range name {
				found := false
				for _, w := range ws {
					if w == nw || (len(nw) >= 3 && strings.HasPrefix(w, nw)) {
						found = true
						break
					}
				}
				if !found {
					all = false
					break
				}
			}
			if all {
				return true
			}
		}
	}
	return false
}

// passages splits a document into passages: its paragraphs, long ones cut
// into windows of passageWords words; a document without a body is its
// title. The title's words count for the first passage (see Find).
func passages(d Doc) []string {
	body := d.Body
	if len(body) > maxBodyRunes {
		body = body[:maxBodyRunes]
	}
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		f := strings.Fields(para)
		for i := 0; i < len(f); i += passageWords {
			out = append(out, strings.Join(f[i:min(i+passageWords, len(f))], " "))
		}
	}
	if len(out) == 0 && d.Title != "" {
		out = append(out, d.Title)
	}
	return out
}

package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/engram-app/engram/document"
)

// randomCorpus indexes n documents made of a few words, so that words
// repeat, phrases occur in some documents and not in others, and titles,
// bodies and alias lists all hold them.
func randomCorpus(tb testing.TB, n int) (*Index, []string) {
	tb.Helper()
	words := []string{"alpha", "beta", "gamma", "delta", "omega", "sigma", "kappa", "zeta"}
	r := rand.New(rand.NewPCG(7, 11))
	text := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[min(r.IntN(len(words)), r.IntN(len(words)))] // skewed: some words are common
		}
		return strings.Join(ws, " ")
	}
	docs := make([]document.Document, n)
	for i := range docs {
		docs[i] = document.Document{ID: fmt.Sprintf("d%04d", i), Source: "text", Title: text(1 + r.IntN(4)), Body: text(5 + r.IntN(60))}
		if i%5 == 0 {
			docs[i].Aliases = []string{text(2), text(2)}
		}
	}
	ix, _ := openTest(tb, Options{BatchSize: n/3 + 1}) // several segments
	if err := ix.Put(context.Background(), docs); err != nil {
		tb.Fatal(err)
	}
	return ix, words
}

// scores runs each query on one snapshot of the index (a background
// merge of segments changes BM25's average length) with Bleve's top-N
// collector and returns every hit's score by id, per query.
func scores(tb testing.TB, ix *Index, qs ...query.Query) []map[string]float64 {
	tb.Helper()
	r := openReader(tb, ix)
	ctx := bm25Context(context.Background())
	var out []map[string]float64
	for _, q := range qs {
		s, err := q.Searcher(ctx, r, ix.idx.Mapping(), bsearch.SearcherOptions{})
		if err != nil {
			tb.Fatal(err)
		}
		coll := collector.NewTopNCollector(10000, 0, bsearch.SortOrder{&bsearch.SortScore{Desc: true}})
		if err := coll.Collect(ctx, s, r); err != nil {
			tb.Fatal(err)
		}
		m := map[string]float64{}
		for _, h := range coll.Results() {
			m[h.ID] = h.Score
		}
		s.Close()
		out = append(out, m)
	}
	return out
}

// sameScores checks that mine finds the documents bleves finds, with the
// same scores.
func sameScores(tb testing.TB, what string, ix *Index, mine, bleves query.Query) int {
	tb.Helper()
	s := scores(tb, ix, mine, bleves)
	got, want := s[0], s[1]
	if len(got) != len(want) {
		tb.Errorf("%s: %d hits, Bleve finds %d", what, len(got), len(want))
	}
	for id, w := range want {
		g, ok := got[id]
		if !ok {
			tb.Errorf("%s: %s missing", what, id)
			continue
		}
		if math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			tb.Errorf("%s: %s scores %v, Bleve %v", what, id, g, w)
		}
	}
	return len(want)
}

// TestPhraseQueryIsBlevesPhrase checks that phraseQuery finds the same
// documents as Bleve's PhraseQuery and scores them the same, in a field
// of one value and in a list of aliases, with repeated words.
func TestPhraseQueryIsBlevesPhrase(t *testing.T) {
	ix, words := randomCorpus(t, 300)
	r := rand.New(rand.NewPCG(3, 5))
	phrases := []string{"alpha alpha", "alpha beta alpha", "zeta alpha", "alpha nosuchword"}
	for range 40 {
		k := 2 + r.IntN(3)
		ws := make([]string, k)
		for i := range ws {
			ws[i] = words[r.IntN(4)] // the common ones, so phrases match
		}
		phrases = append(phrases, strings.Join(ws, " "))
	}
	matched := 0
	for _, p := range phrases {
		terms := analyzeTerms(ix.an, p)
		for _, f := range textFields() {
			bq := query.NewPhraseQuery(terms, f.name)
			bq.SetBoost(f.boost)
			matched += sameScores(t, fmt.Sprintf("%q in %s", p, f.name), ix, &phraseQuery{terms: terms, field: f.name, boost: f.boost}, bq)
		}
	}
	if matched == 0 {
		t.Fatal("no phrase matched anything: the test corpus does not test phrases")
	}
}

// TestWordQueryIsBlevesDisjunction checks that wordQuery finds and scores
// documents as Bleve's disjunction of one term query per field.
func TestWordQueryIsBlevesDisjunction(t *testing.T) {
	ix, words := randomCorpus(t, 300)
	fs := textFields()
	for _, w := range append(words, "nosuchword") {
		var dis []query.Query
		for _, f := range fs {
			tq := query.NewTermQuery(w)
			tq.SetField(f.name)
			tq.SetBoost(f.boost * 0.7)
			dis = append(dis, tq)
		}
		sameScores(t, w, ix, &wordQuery{term: w, fields: fs[:], factor: 0.7}, query.NewDisjunctionQuery(dis))
		// And inside a conjunction, where Advance is used.
		other := &wordQuery{term: "alpha", fields: fs[:], factor: 1}
		var odis []query.Query
		for _, f := range fs {
			tq := query.NewTermQuery("alpha")
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			odis = append(odis, tq)
		}
		bleves := query.NewConjunctionQuery([]query.Query{query.NewDisjunctionQuery(odis), query.NewDisjunctionQuery(dis)})
		sameScores(t, "alpha "+w, ix, query.NewConjunctionQuery([]query.Query{other, &wordQuery{term: w, fields: fs[:], factor: 0.7}}), bleves)
		// And through andQuery, which intersects bitmaps first.
		sameScores(t, "and: alpha "+w, ix, &andQuery{clauses: []query.Query{other, &wordQuery{term: w, fields: fs[:], factor: 0.7}}}, bleves)
	}
}

// TestWordQueryWithoutAliases checks wordQuery where no document has
// aliases, so that field has no postings at all (a mailbox).
func TestWordQueryWithoutAliases(t *testing.T) {
	ix := openCorpus(t)
	fs := textFields()
	for _, w := range []string{"project", "handbook", "the", "nosuchword"} {
		var dis []query.Query
		for _, f := range fs {
			tq := query.NewTermQuery(w)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			dis = append(dis, tq)
		}
		sameScores(t, w, ix, &wordQuery{term: w, fields: fs[:], factor: 1}, query.NewDisjunctionQuery(dis))
	}
}

// TestAndQueryIsBlevesConjunction checks andQuery against Bleve's
// conjunction with phrases, words and a filter among the clauses, where
// the unscored filter of a phrase lets through documents the phrase does
// not match.
func TestAndQueryIsBlevesConjunction(t *testing.T) {
	ix, _ := randomCorpus(t, 300)
	fs := textFields()
	phrase := func(p string) (mine, bleves query.Query) {
		terms := analyzeTerms(ix.an, p)
		var a, b []query.Query
		for _, f := range fs {
			a = append(a, &phraseQuery{terms: terms, field: f.name, boost: f.boost})
			pq := query.NewPhraseQuery(terms, f.name)
			pq.SetBoost(f.boost)
			b = append(b, pq)
		}
		return query.NewDisjunctionQuery(a), query.NewDisjunctionQuery(b)
	}
	word := func(w string) (mine, bleves query.Query) {
		var b []query.Query
		for _, f := range fs {
			tq := query.NewTermQuery(w)
			tq.SetField(f.name)
			tq.SetBoost(f.boost)
			b = append(b, tq)
		}
		return &wordQuery{term: w, fields: fs[:], factor: 1}, query.NewDisjunctionQuery(b)
	}
	source := query.NewTermQuery("text")
	source.SetField(fSource)
	matched := 0
	for _, c := range [][2]string{{"alpha beta", "gamma"}, {"beta alpha", "delta"}, {"alpha alpha", "beta"}, {"gamma delta", "zeta"}, {"delta alpha", "nosuchword"}} {
		pm, pb := phrase(c[0])
		wm, wb := word(c[1])
		matched += sameScores(t, fmt.Sprintf("%q %s", c[0], c[1]), ix, &andQuery{clauses: []query.Query{pm, wm, source}}, query.NewConjunctionQuery([]query.Query{pb, wb, source}))
	}
	if matched == 0 {
		t.Fatal("nothing matched: the test does not test andQuery")
	}
}

// TestPhraseBudget checks that a phrase with more candidates than a
// search may check returns the matches found so far and says so.
func TestPhraseBudget(t *testing.T) {
	ix, _ := openTest(t, Options{})
	docs := make([]document.Document, 60)
	for i := range docs {
		docs[i] = document.Document{ID: fmt.Sprintf("d%02d", i), Source: "text", Title: fmt.Sprintf("note %d", i), Body: "one of the notes of the day"}
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, Request{Query: `"of the"`, Limit: 5})
	if res.Total != 60 || res.Partial {
		t.Fatalf("within budget: total %d, partial %v; want 60, false", res.Total, res.Partial)
	}
	ix.phraseChecks = 20
	ix.written() // drop the cached result
	res = search(t, ix, Request{Query: `"of the"`, Limit: 5})
	if !res.Partial || res.Total == 0 || res.Total > 20 || len(res.Hits) != 5 {
		t.Errorf("over budget: total %d, partial %v, %d hits; want 1..20, true, 5", res.Total, res.Partial, len(res.Hits))
	}
}

// TestCacheInvalidation checks that cached results never outlive a write
// or a change of dictionary.
func TestCacheInvalidation(t *testing.T) {
	ctx := context.Background()
	ix := openCorpus(t)
	total := func(req Request) uint64 { t.Helper(); return search(t, ix, req).Total }
	if n := total(Request{Query: "handbook"}); n != 2 {
		t.Fatalf("handbook: %d hits, want 2", n)
	}
	if err := ix.Put(ctx, []document.Document{{ID: "new", Source: "text", Title: "Another handbook", Date: day("2025-01-01")}}); err != nil {
		t.Fatal(err)
	}
	if n := total(Request{Query: "handbook"}); n != 3 {
		t.Errorf("after Put: %d hits, want 3", n)
	}
	if err := ix.Delete(ctx, []string{"new", "weekly"}); err != nil {
		t.Fatal(err)
	}
	if n := total(Request{Query: "handbook"}); n != 1 {
		t.Errorf("after Delete: %d hits, want 1", n)
	}

	if n := total(Request{Query: "k8s", Expander: NewDictionary()}); n != 0 {
		t.Errorf("k8s without expansion: %d hits", n)
	}
	d := NewDictionary([]Entry{{Kind: KindAcronym, Term: "k8s", Expansions: []string{"kubernetes"}}})
	if n := total(Request{Query: "k8s", Expander: d}); n != 1 {
		t.Errorf("k8s with expansion: %d hits, want 1", n)
	}

	// A cached result still gets the caller's boost.
	a := search(t, ix, Request{Query: "project"})
	b := search(t, ix, Request{Query: "project", Boost: map[string]float64{a.Hits[len(a.Hits)-1].ID: 100}})
	if b.Hits[0].ID != a.Hits[len(a.Hits)-1].ID {
		t.Errorf("boost ignored on a cached result: %v then %v", ids(a), ids(b))
	}
	if !slices.Equal(ids(a), ids(search(t, ix, Request{Query: "project"}))) {
		t.Errorf("a boosted search changed the cached result")
	}
}

// TestMayReach checks that the candidates left without a date could not
// have reached the page: ranking with only the dates mayReach asks for
// gives the page that ranking with every date gives.
func TestMayReach(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 500 {
		n := 1 + r.IntN(60)
		tr := &textResult{cands: make([]candidate, n)}
		dates := make([]time.Time, n)
		boost := map[string]float64{}
		score := 10.0
		for i := range tr.cands {
			score *= 0.9 + 0.1*r.Float64() // descending, as the collector returns them
			tr.cands[i] = candidate{id: fmt.Sprint(i), score: score}
			dates[i] = now.AddDate(0, 0, -r.IntN(2000))
			if r.IntN(5) == 0 {
				boost[fmt.Sprint(i)] = []float64{0.5, 1.2, 1.5, 3}[r.IntN(4)]
			}
		}
		page := 1 + r.IntN(20)
		rank := func(known []bool) []string {
			type h struct {
				id string
				s  float64
			}
			hs := make([]h, n)
			for i, c := range tr.cands {
				var d time.Time
				if known[i] {
					d = dates[i]
				}
				hs[i] = h{c.id, c.score * recency(d, now)}
				if b, ok := boost[c.id]; ok {
					hs[i].s *= b
				}
			}
			slices.SortStableFunc(hs, func(a, b h) int { return cmp.Compare(b.s, a.s) })
			var out []string
			for _, x := range hs[:min(page, n)] {
				out = append(out, x.id)
			}
			return out
		}
		all := make([]bool, n)
		for i := range all {
			all[i] = true
		}
		need := tr.mayReach(page, boost)
		if got, want := rank(need), rank(all); !slices.Equal(got, want) {
			t.Fatalf("trial %d: page %v with the dates mayReach asks for, %v with all", trial, got, want)
		}
	}
}

// TestPrefixExpansion checks that a prefix stands for its most frequent
// words only, that a longer prefix still finds the rarer ones, and that
// overlapping prefixes (a word and its stem) count each word once.
func TestPrefixExpansion(t *testing.T) {
	ix, _ := openTest(t, Options{BatchSize: 50})
	var docs []document.Document
	add := func(word string, n int) {
		for i := range n {
			docs = append(docs, document.Document{ID: fmt.Sprintf("%s-%d", word, i), Source: "text", Body: "note about " + word})
		}
	}
	for i := range maxPrefixTerms {
		add(fmt.Sprintf("zqa%02d", i), 2)
	}
	for i := range 6 {
		add(fmt.Sprintf("zqb%d", i), 1)
	}
	add("abc1", 2)
	add("abd", 3)
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	if res := search(t, ix, Request{Query: "zq*"}); res.Total != 2*maxPrefixTerms {
		t.Errorf("zq*: %d matches, want the %d documents of its %d most frequent words", res.Total, 2*maxPrefixTerms, maxPrefixTerms)
	}
	if res := search(t, ix, Request{Query: "zqb*"}); res.Total != 6 {
		t.Errorf("zqb*: %d matches, want 6", res.Total)
	}

	r := openReader(t, ix)
	got, err := prefixTerms(r, fBody, []string{"abc", "ab"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"about", "abd", "abc1"}; !slices.Equal(got, want) {
		t.Errorf("prefixTerms(ab, abc) = %v, want %v (most frequent first, each word once)", got, want)
	}
}

// TestSearchWaitsForASlot checks that a search waiting for one of the
// GOMAXPROCS slots gives up when its context ends, and runs once a slot
// is free.
func TestSearchWaitsForASlot(t *testing.T) {
	ix := openCorpus(t)
	for range cap(ix.slots) {
		ix.slots <- struct{}{}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := ix.Search(ctx, Request{Query: "project", Now: now}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Search with every slot taken: %v, want DeadlineExceeded", err)
	}
	<-ix.slots
	if res := search(t, ix, Request{Query: "project"}); res.Total == 0 {
		t.Error("Search with a free slot found nothing")
	}
}

// TestTopHitsIsBlevesCollector checks that topHits, with the floor it
// gives word searchers, returns the page and the total of Bleve's top-N
// collector, ties included (the random corpus has many equal scores).
func TestTopHitsIsBlevesCollector(t *testing.T) {
	ix, words := randomCorpus(t, 400)
	fs := textFields()
	var qs []query.Query
	for _, w := range words {
		qs = append(qs, &wordQuery{term: w, fields: fs[:], factor: 1})
	}
	qs = append(qs,
		&andQuery{clauses: []query.Query{&wordQuery{term: "alpha", fields: fs[:], factor: 1}, &wordQuery{term: "zeta", fields: fs[:], factor: 1}}},
		&phraseQuery{terms: []string{"alpha", "beta"}, field: fBody, boost: 1},
	)
	ctx := bm25Context(context.Background())
	for qi, q := range qs {
		for _, k := range []int{1, 7, 50, 1000} {
			// One snapshot for both: ties go to the earlier match, and a
			// background merge of segments reorders the documents.
			adv, _ := ix.idx.Advanced()
			r, err := adv.Reader()
			if err != nil {
				t.Fatal(err)
			}
			run := func(collect func(s bsearch.Searcher) ([]*bsearch.DocumentMatch, uint64)) ([]string, uint64) {
				s, err := q.Searcher(ctx, r, ix.idx.Mapping(), bsearch.SearcherOptions{})
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				dm, total := collect(s)
				var ids []string
				for _, h := range dm {
					ids = append(ids, h.ID)
				}
				return ids, total
			}
			got, total := run(func(s bsearch.Searcher) ([]*bsearch.DocumentMatch, uint64) {
				dm, total, err := topHits(ctx, s, r, k)
				if err != nil {
					t.Fatal(err)
				}
				return dm, total
			})
			want, wantTotal := run(func(s bsearch.Searcher) ([]*bsearch.DocumentMatch, uint64) {
				coll := collector.NewTopNCollector(k, 0, bsearch.SortOrder{&bsearch.SortScore{Desc: true}})
				if err := coll.Collect(ctx, s, r); err != nil {
					t.Fatal(err)
				}
				return coll.Results(), coll.Total()
			})
			r.Close()
			if total != wantTotal || !slices.Equal(got, want) {
				t.Errorf("query %d, k %d: total %d, %v; Bleve's collector: %d, %v", qi, k, total, got, wantTotal, want)
			}
		}
	}
}

// TestStoredReader checks that a hit's stored fields are read by its
// internal id, and that an internal id naming another document (as after
// a merge of segments) is caught and the document read by its id.
func TestStoredReader(t *testing.T) {
	ix := openCorpus(t)
	r := openReader(t, ix)
	iid := func(id string) index.IndexInternalID {
		t.Helper()
		x, err := r.InternalID(id)
		if err != nil || x == nil {
			t.Fatalf("InternalID(%s): %v, %v", id, x, err)
		}
		return x
	}
	sr := newStoredReader(r)
	for _, c := range []struct {
		name string
		iid  index.IndexInternalID
	}{
		{"own internal id", iid("budget")},
		{"another document's internal id", iid("lunch")},
		{"no internal id", nil},
	} {
		d, ok, err := sr.load("budget", c.iid, true)
		if err != nil || !ok {
			t.Fatalf("%s: load: %v, %v", c.name, ok, err)
		}
		if d.title != "Q3 budget review" || d.source != "email" || !strings.Contains(d.body, "third quarter") || !d.date.Equal(day("2001-08-14")) {
			t.Errorf("%s: %+v", c.name, d)
		}
	}
	if _, ok, err := sr.load("no-such-doc", nil, false); ok || err != nil {
		t.Errorf("unknown document: %v, %v", ok, err)
	}
}

// openReader opens a reader on the index's current snapshot, closed when
// the test ends.
func openReader(tb testing.TB, ix *Index) index.IndexReader {
	tb.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		tb.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { r.Close() })
	return r
}

package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
)

// pagingCorpus returns n documents over a small vocabulary, so that many
// of them tie on text score, with random dates (some undated) and people.
func pagingCorpus(rng *rand.Rand, n int) []document.Document {
	vocab := strings.Fields("alpha beta gamma delta epsilon zeta theta kappa lambda sigma omega river mountain budget meeting report project calendar energy canvas")
	people := []string{"Ann Lee <ann@example.org>", "bob@example.com", "Carla Diaz <carla@example.net>", ""}
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = vocab[rng.IntN(len(vocab))]
		}
		return strings.Join(ws, " ")
	}
	docs := make([]document.Document, n)
	for i := range docs {
		d := document.Document{
			ID:     fmt.Sprintf("doc%03d", i),
			Source: []string{document.SourceMarkdown, document.SourceEmail, document.SourceText}[rng.IntN(3)],
			Title:  words(1 + rng.IntN(2)),
			Body:   words(2 + rng.IntN(12)),
			From:   people[rng.IntN(len(people))],
		}
		// Identical bodies give identical scores: ties must break by id.
		if rng.IntN(5) == 0 {
			d.Title, d.Body = "alpha", "alpha beta"
		}
		if rng.IntN(6) != 0 {
			d.Date = now.AddDate(0, 0, -rng.IntN(5*365))
		}
		d.Path = "/r/" + d.ID
		docs[i] = d
	}
	return docs
}

// pageAll pages through q with limit and returns the ids in order and the
// totals reported.
func pageAll(t *testing.T, ix *Index, req Request, limit int) ([]string, []uint64) {
	t.Helper()
	var out []string
	var totals []uint64
	for off := 0; ; off += limit {
		req.Limit, req.Offset = limit, off
		res := search(t, ix, req)
		totals = append(totals, res.Total)
		if len(res.Hits) == 0 {
			return out, totals
		}
		if len(res.Hits) > limit {
			t.Fatalf("%q offset %d: %d hits for limit %d", req.Query, off, len(res.Hits), limit)
		}
		out = append(out, ids(res)...)
		if off > 5000 {
			t.Fatalf("%q: paging does not end", req.Query)
		}
	}
}

// TestPagingIsPartition pages through random queries on a random index
// with several page sizes, with and without a boost and facets, and
// checks that the pages are one order of every hit, each once, and that
// Total is the number of hits.
func TestPagingIsPartition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 9))
	ix, _ := openTest(t, Options{})
	docs := pagingCorpus(rng, 160)
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	queries := []string{
		"alpha", "beta", "alpha beta", `"alpha beta"`, "al*", "river -alpha", "",
		"source:email", "from:ann", "after:2023", "budget OR meeting", "calender",
		"(alpha OR gamma) -beta", "the", "sigma omega",
	}
	for i := 0; i < 5; i++ {
		queries = append(queries, pagingCorpus(rng, 1)[0].Title)
	}
	boost := map[string]float64{}
	for i := 0; i < 30; i++ {
		boost[docs[rng.IntN(len(docs))].ID] = []float64{1.2, 1.5, 0.5}[rng.IntN(3)]
	}
	for _, q := range queries {
		for _, variant := range []struct {
			name   string
			boost  map[string]float64
			facets bool
		}{{"plain", nil, false}, {"boost", boost, false}, {"facets", nil, true}} {
			t.Run(q+"/"+variant.name, func(t *testing.T) {
				req := Request{Query: q, Boost: variant.boost, Facets: variant.facets}
				req.Limit = MaxLimit
				all := search(t, ix, req)
				want := ids(all)
				if uint64(len(want)) != all.Total {
					t.Fatalf("one page of %d: %d hits, total %d", MaxLimit, len(want), all.Total)
				}
				seen := map[string]bool{}
				for _, id := range want {
					if seen[id] {
						t.Fatalf("%s twice in one page", id)
					}
					seen[id] = true
				}
				for _, limit := range []int{1 + rng.IntN(3), 7, 50} {
					got, totals := pageAll(t, ix, req, limit)
					if !slices.Equal(got, want) {
						t.Fatalf("limit %d: pages give %d ids %v\nwant %d %v", limit, len(got), got, len(want), want)
					}
					for _, n := range totals {
						if n != all.Total {
							t.Fatalf("limit %d: total %d, want %d", limit, n, all.Total)
						}
					}
				}
			})
		}
	}
}

// TestPagingAcrossTheDay checks that recency moves by the day: pages read
// at two moments of one day come from one order.
func TestPagingAcrossTheDay(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix, _ := openTest(t, Options{})
	if err := ix.Put(context.Background(), pagingCorpus(rng, 120)); err != nil {
		t.Fatal(err)
	}
	morning := time.Date(2025, 6, 1, 0, 0, 1, 0, time.UTC)
	var got []string
	for off := 0; ; off += 5 {
		at := morning.Add(time.Duration(off) * time.Hour / 10)
		res := search(t, ix, Request{Query: "alpha", Limit: 5, Offset: off, Now: at})
		if len(res.Hits) == 0 {
			break
		}
		got = append(got, ids(res)...)
	}
	want := ids(search(t, ix, Request{Query: "alpha", Limit: 1000, Now: morning}))
	if !slices.Equal(got, want) {
		t.Fatalf("pages over the day: %v\nwant %v", got, want)
	}
}

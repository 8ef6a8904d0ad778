package search

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/engram-app/engram/document"
)

// facetDocs returns n documents with the facet fields drawn from r: more
// sources than a facet returns, people who are senders of some and
// recipients of others, undated documents and more years than the year
// facet returns, so that ties, trimming and missing values all occur.
func facetDocs(r *rand.Rand, n, from int) []document.Document {
	words := []string{"alpha", "beta", "gamma", "delta", "budget", "meeting"}
	docs := make([]document.Document, n)
	for i := range docs {
		d := document.Document{
			ID:     fmt.Sprintf("doc-%05d", from+i),
			Source: fmt.Sprintf("src%02d", r.IntN(14)),
			Title:  "note",
			Body:   words[r.IntN(len(words))] + " " + words[r.IntN(len(words))],
		}
		if r.IntN(10) > 0 {
			d.Date = time.Date(1960+r.IntN(66), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
		}
		person := func() string {
			k := r.IntN(40)
			if k%7 == 0 {
				return fmt.Sprintf("Person %d", k) // a name without an address
			}
			return fmt.Sprintf("Person %d <p%d@example.org>", k, k)
		}
		if r.IntN(4) > 0 {
			d.From = person()
		}
		for range r.IntN(4) {
			d.To = append(d.To, person())
		}
		docs[i] = d
	}
	return docs
}

// TestFacetCountsMatchBleve: on an index of many segments, with updated
// and deleted documents among them, the facets of every kind of query are
// those Bleve's facets builder counts from doc values, value for value
// and in its order.
func TestFacetCountsMatchBleve(t *testing.T) {
	ctx := context.Background()
	ix, _ := openTest(t, Options{BatchSize: 97})
	r := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 3000; i += 600 {
		if err := ix.Put(ctx, facetDocs(r, 600, i)); err != nil {
			t.Fatal(err)
		}
	}
	// Updates and deletions leave deleted documents in the segments.
	if err := ix.Put(ctx, facetDocs(r, 400, 1000)); err != nil {
		t.Fatal(err)
	}
	var gone []string
	for i := 0; i < 3000; i += 13 {
		gone = append(gone, fmt.Sprintf("doc-%05d", i))
	}
	if err := ix.Delete(ctx, gone); err != nil {
		t.Fatal(err)
	}

	queries := []string{"", "alpha", "alpha OR budget", "alpha beta", "source:src03", "source:src03 OR source:src07", "meeting -alpha", "nothingmatches", `"alpha beta"`, "after:2001-01-01", "before:1970-01-01 alpha"}
	for _, q := range queries {
		t.Run(q, func(t *testing.T) {
			pq, err := ParseQuery(q)
			if err != nil {
				t.Fatal(err)
			}
			ranked := pq.HasText()
			snap := openReader(t, ix)
			if n := len(snap.(*scorch.IndexSnapshot).Segments()); n < 3 {
				t.Fatalf("the index has %d segments; the test needs several", n)
			}
			req := Request{Query: q, Limit: 10, Facets: true}
			ix.bleveFacets = true
			want, _, err := ix.textSearch(ctx, snap, 1<<40, pq, req, ranked, 50)
			ix.bleveFacets = false
			if err != nil {
				t.Fatal(err)
			}
			for round := range 2 { // the second from the cached tables
				ix.cache.Purge()
				got, _, err := ix.textSearch(ctx, snap, 1<<41, pq, req, ranked, 50)
				if err != nil {
					t.Fatal(err)
				}
				if got.total != want.total {
					t.Errorf("round %d: total %d, Bleve's collector %d", round, got.total, want.total)
				}
				for _, ff := range facetFields() {
					if !slices.Equal(got.facets[ff.name], want.facets[ff.name]) {
						t.Errorf("round %d: facet %s =\n%v\nBleve counts\n%v", round, ff.name, got.facets[ff.name], want.facets[ff.name])
					}
				}
				if q != "nothingmatches" && len(got.facets[FacetSource]) == 0 {
					t.Errorf("no source facet for %q", q)
				}
			}
		})
	}
}

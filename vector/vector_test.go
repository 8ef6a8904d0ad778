package vector

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomUnit returns n random unit vectors of dim dimensions (Gaussian
// directions: no structure for the graph to exploit).
func randomUnit(n, dim int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, seed+1))
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, dim)
		var s float64
		for j := range v {
			x := r.NormFloat64()
			v[j] = float32(x)
			s += x * x
		}
		s = math.Sqrt(s)
		for j := range v {
			v[j] /= float32(s)
		}
		out[i] = v
	}
	return out
}

func fill(tb testing.TB, x *Index, vecs [][]float32) {
	tb.Helper()
	for i, v := range vecs {
		if err := x.Put(fmt.Sprintf("d%06d", i), [][]float32{v}); err != nil {
			tb.Fatal(err)
		}
	}
}

// recallAt10 is the share of the exact top 10 that the graph finds, over
// the queries.
func recallAt10(tb testing.TB, x *Index, queries [][]float32) float64 {
	tb.Helper()
	found, total := 0, 0
	for _, q := range queries {
		exact := x.Exact(q, 10)
		approx := x.Approx(q, 10)
		if approx == nil {
			tb.Fatal("no graph")
		}
		in := map[string]bool{}
		for _, h := range approx {
			in[h.Doc] = true
		}
		for _, h := range exact {
			total++
			if in[h.Doc] {
				found++
			}
		}
	}
	return float64(found) / float64(total)
}

func TestRecallAt10(t *testing.T) {
	for _, tc := range []struct {
		name  string
		quant bool
	}{{"float32", false}, {"int8", true}} {
		t.Run(tc.name, func(t *testing.T) {
			x := New(Options{Threshold: 1000, Quantize: tc.quant})
			fill(t, x, randomUnit(1200, 32, 7))
			if !x.NeedsBuild() {
				t.Fatal("1,200 vectors over a threshold of 1,000 should need the graph")
			}
			if err := x.Build(context.Background()); err != nil {
				t.Fatal(err)
			}
			if !x.Approximate() {
				t.Fatal("built graph not used")
			}
			r := recallAt10(t, x, randomUnit(100, 32, 99))
			t.Logf("recall@10 %.3f", r)
			if r < 0.95 {
				t.Fatalf("recall@10 = %.3f, want >= 0.95", r)
			}
		})
	}
}

func TestExactFindsNearestChunkPerDocument(t *testing.T) {
	x := New(Options{})
	a := []float32{1, 0, 0}
	b := []float32{0, 1, 0}
	c := []float32{0, 0, 1}
	ab := []float32{float32(math.Sqrt2 / 2), float32(math.Sqrt2 / 2), 0}
	must(t, x.Put("one", [][]float32{c, a}))
	must(t, x.Put("two", [][]float32{ab, b}))
	got := x.Search(a, 10)
	want := []Hit{{Doc: "one", Chunk: 1, Score: 1}, {Doc: "two", Chunk: 0, Score: float32(math.Sqrt2 / 2)}}
	if !slices.EqualFunc(got, want, func(g, w Hit) bool {
		return g.Doc == w.Doc && g.Chunk == w.Chunk && math.Abs(float64(g.Score-w.Score)) < 1e-6
	}) {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	if err := x.Put("three", [][]float32{{1, 0}}); err == nil {
		t.Fatal("a 2-dimensional vector in a 3-dimensional index was accepted")
	}
}

func TestDeleteAndReplacePropagate(t *testing.T) {
	for _, graph := range []bool{false, true} {
		t.Run(fmt.Sprintf("graph=%v", graph), func(t *testing.T) {
			vecs := randomUnit(2100, 16, 3)
			x := New(Options{Threshold: 100})
			fill(t, x, vecs)
			if graph {
				must(t, x.Build(context.Background()))
			}
			// Delete every even document; none may come back, the odd ones
			// are still found exactly.
			for i := 0; i < len(vecs); i += 2 {
				x.Delete(fmt.Sprintf("d%06d", i))
			}
			if x.Len() != 1050 || x.Docs() != 1050 {
				t.Fatalf("after deleting half: %d vectors, %d docs", x.Len(), x.Docs())
			}
			for i := 0; i < 200; i++ {
				hs := x.Search(vecs[i], 5)
				for _, h := range hs {
					var n int
					fmt.Sscanf(h.Doc, "d%06d", &n)
					if n%2 == 0 {
						t.Fatalf("deleted %s found", h.Doc)
					}
				}
				if i%2 == 1 && (len(hs) == 0 || hs[0].Doc != fmt.Sprintf("d%06d", i)) {
					t.Fatalf("query %d: top hit %+v", i, hs)
				}
			}
			// Replacing moves a document to its new vector.
			must(t, x.Put("d000001", [][]float32{vecs[2]}))
			if hs := x.Search(vecs[2], 1); len(hs) != 1 || hs[0].Doc != "d000001" {
				t.Fatalf("replaced document not found at its new vector: %+v", hs)
			}
			// Deleting most documents compacts; search still right.
			for i := 1; i < len(vecs)-10; i += 2 {
				x.Delete(fmt.Sprintf("d%06d", i))
			}
			if x.Len() != 5 {
				t.Fatalf("%d vectors left, want 5", x.Len())
			}
			if hs := x.Search(vecs[len(vecs)-1], 1); len(hs) != 1 || hs[0].Doc != fmt.Sprintf("d%06d", len(vecs)-1) {
				t.Fatalf("after compaction: %+v", hs)
			}
		})
	}
}

func TestFuse(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lists [][]string
		want  []string
	}{
		{"both lists beat one", [][]string{{"a", "b", "c"}, {"c", "d"}}, []string{"c", "a", "b", "d"}},
		{"tie goes to the first list", [][]string{{"a"}, {"b"}}, []string{"a", "b"}},
		{"repeats ignored", [][]string{{"a", "a", "b"}, {"b"}}, []string{"b", "a"}},
		{"empty", [][]string{nil, nil}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range Fuse(tc.lists...) {
				got = append(got, f.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

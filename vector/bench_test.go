package vector

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkBuild builds the graph over n random vectors of 384 dimensions.
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{2000, 8000} {
		vecs := randomUnit(n, 384, 5)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				x := New(Options{Threshold: 1})
				fill(b, x, vecs)
				if err := x.Build(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSearch times one query, exact and through the graph, over
// 20,000 random vectors of 384 dimensions.
func BenchmarkSearch(b *testing.B) {
	vecs := randomUnit(20000, 384, 5)
	qs := randomUnit(100, 384, 6)
	for _, quant := range []bool{false, true} {
		x := New(Options{Threshold: 1, Quantize: quant})
		fill(b, x, vecs)
		b.Run(fmt.Sprintf("exact/int8=%v", quant), func(b *testing.B) {
			i := 0
			for b.Loop() {
				x.Exact(qs[i%len(qs)], 10)
				i++
			}
		})
	}
}

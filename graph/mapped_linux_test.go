//go:build linux

package graph_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/internal/mapped"
)

// TestReleaseMappedKeepsNeighbours: the pages of the graph file that
// reading it mapped leave this process's resident set, and the graph reads
// the same.
func TestReleaseMappedKeepsNeighbours(t *testing.T) {
	g, path := openGraph(t)
	// Writes of fewer contributions than store/boltmap.LargeWrite each, so
	// the writes leave their pages mapped.
	for i := range 40 {
		var cs []graph.Contribution
		for j := range 50 {
			n := i*50 + j
			cs = append(cs, note(fmt.Sprint(n), fmt.Sprintf("Note %d", n), nil, fmt.Sprint((n*7)%2000), fmt.Sprint((n*13)%2000)))
		}
		mustReplace(t, g, cs...)
	}
	read := func() [][]string {
		var out [][]string
		for _, n := range []string{"Note 1", "Note 700", "Note 1999"} {
			out = append(out, neighbors(t, g, n, graph.NeighborQuery{Depth: 2}))
		}
		return out
	}
	want := read()
	before, err := mapped.Resident(path)
	if err != nil || before == 0 {
		t.Fatalf("resident after reading: %d bytes, %v", before, err)
	}
	if _, err := g.ReleaseMapped(); err != nil {
		t.Fatal(err)
	}
	if after, _ := mapped.Resident(path); after > before/4 {
		t.Errorf("resident after ReleaseMapped: %d bytes, %d before", after, before)
	}
	if got := read(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("after ReleaseMapped the graph reads %v, before %v", got, want)
	}
	g.Close()
	if n, err := g.ReleaseMapped(); n != 0 || err != nil {
		t.Errorf("ReleaseMapped of a closed graph: %d, %v", n, err)
	}
}

package graph_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/engram-app/engram/graph"
)

func openGraph(t testing.TB) (*graph.Graph, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "graph.db")
	g, err := graph.Open(path, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { g.Close() })
	return g, path
}

func note(id, title string, aliases []string, links ...string) graph.Contribution {
	c := graph.Contribution{
		DocID: id,
		Hash:  "hash-" + id,
		Nodes: []graph.Node{{ID: "document:" + id, Kind: graph.KindDocument, Name: title, Aliases: aliases}},
	}
	for _, l := range links {
		c.Nodes = append(c.Nodes, graph.Node{ID: "document:" + l})
		c.Edges = append(c.Edges, graph.Edge{From: "document:" + id, To: "document:" + l, Predicate: graph.LinksTo})
	}
	return c
}

func mustReplace(t testing.TB, g *graph.Graph, cs ...graph.Contribution) {
	t.Helper()
	if err := g.Replace(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
}

// summary renders neighbours as "id pred dir count depth" for comparison.
func summary(ns []graph.Neighbor) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprintf("%s %s %s %d %d", n.Node.ID, n.Predicate, n.Direction, n.Count, n.Depth)
	}
	return out
}

func neighbors(t testing.TB, g *graph.Graph, name string, q graph.NeighborQuery) []string {
	t.Helper()
	_, ns, err := g.Neighbors(context.Background(), name, q)
	if err != nil {
		t.Fatalf("neighbors of %q: %v", name, err)
	}
	return summary(ns)
}

func notes(g *graph.Graph, t testing.TB) {
	mustReplace(t, g,
		note("a", "Note A", []string{"Alpha"}, "b", "c"),
		note("b", "Note B", nil),
		note("c", "Note C", nil),
	)
}

func TestNeighbors(t *testing.T) {
	g, _ := openGraph(t)
	notes(g, t)
	tests := []struct {
		name string
		of   string
		q    graph.NeighborQuery
		want []string
	}{
		{"out links", "Note A", graph.NeighborQuery{}, []string{
			"document:b LINKS_TO out 1 1", "document:c LINKS_TO out 1 1"}},
		{"in link", "Note B", graph.NeighborQuery{}, []string{"document:a LINKS_TO in 1 1"}},
		{"by alias", "alpha", graph.NeighborQuery{}, []string{
			"document:b LINKS_TO out 1 1", "document:c LINKS_TO out 1 1"}},
		{"by id", "document:c", graph.NeighborQuery{}, []string{"document:a LINKS_TO in 1 1"}},
		{"predicate filter, lower case", "Note A", graph.NeighborQuery{Predicates: []graph.Predicate{"links_to"}}, []string{
			"document:b LINKS_TO out 1 1", "document:c LINKS_TO out 1 1"}},
		{"known predicate without edges", "Note A", graph.NeighborQuery{Predicates: []graph.Predicate{graph.Feels}}, []string{}},
		{"depth 2 excludes start", "Note B", graph.NeighborQuery{Depth: 2}, []string{
			"document:a LINKS_TO in 1 1", "document:c LINKS_TO out 1 2"}},
		{"limit", "Note A", graph.NeighborQuery{Limit: 1}, []string{"document:b LINKS_TO out 1 1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := neighbors(t, g, tc.of, tc.q)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestNeighborsNamesAndErrors(t *testing.T) {
	g, _ := openGraph(t)
	notes(g, t)
	ctx := context.Background()
	start, ns, err := g.Neighbors(ctx, "note b", graph.NeighborQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if start.ID != "document:b" || start.Name != "Note B" || start.Kind != graph.KindDocument {
		t.Errorf("start = %+v", start)
	}
	if len(ns) != 1 || ns[0].Node.Name != "Note A" || ns[0].Node.Kind != graph.KindDocument || ns[0].Via != "document:b" {
		t.Errorf("neighbours = %+v", ns)
	}

	_, _, err = g.Neighbors(ctx, "Nobody", graph.NeighborQuery{})
	if !errors.Is(err, graph.ErrNotFound) || !strings.Contains(err.Error(), "Nobody") {
		t.Errorf("unknown name: %v", err)
	}
	_, _, err = g.Neighbors(ctx, "Note A", graph.NeighborQuery{Predicates: []graph.Predicate{"LIKES"}})
	if !errors.Is(err, graph.ErrUnknownPredicate) {
		t.Errorf("unknown predicate: %v", err)
	}
}

func TestReplaceWithdrawsOldEdges(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	notes(g, t)
	before, _ := g.Stats(ctx)
	mustReplace(t, g, note("a", "Note A", nil, "c"))
	if got, want := neighbors(t, g, "Note A", graph.NeighborQuery{}), []string{"document:c LINKS_TO out 1 1"}; !slices.Equal(got, want) {
		t.Fatalf("A: got %q, want %q", got, want)
	}
	if got := neighbors(t, g, "Note B", graph.NeighborQuery{}); len(got) != 0 {
		t.Fatalf("B still linked: %q", got)
	}
	after, _ := g.Stats(ctx)
	if before.Edges != 2 || after.Edges != 1 {
		t.Fatalf("quads before %d after %d, want 2 then 1", before.Edges, after.Edges)
	}
	// the alias went with the old contribution
	if ns, _ := g.Resolve(ctx, "Alpha"); len(ns) != 0 {
		t.Fatalf("old alias still resolves: %+v", ns)
	}
	// replaying the same contribution changes nothing; re-adding a deleted quad works
	mustReplace(t, g, note("a", "Note A", nil, "b", "c"))
	mustReplace(t, g, note("a", "Note A", nil, "b", "c"))
	want := []string{"document:b LINKS_TO out 1 1", "document:c LINKS_TO out 1 1"}
	if got := neighbors(t, g, "Note A", graph.NeighborQuery{}); !slices.Equal(got, want) {
		t.Fatalf("after re-adding: got %q, want %q", got, want)
	}
	if st, _ := g.Stats(ctx); st.Edges != 2 {
		t.Fatalf("quads after re-adding: %d, want 2", st.Edges)
	}
	if ps, err := g.Check(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("check: %+v, %v", ps, err)
	}
}

func mail(doc, from, to string) graph.Contribution {
	return graph.Contribution{
		DocID: doc,
		Nodes: []graph.Node{
			{ID: "document:" + doc, Name: "Mail " + doc},
			{ID: "person:" + from, Name: "Jeff Skilling", Aliases: []string{"Skilling, Jeff"}},
			{ID: "person:" + to, Name: "Ken Lay"},
		},
		Edges: []graph.Edge{
			{From: "person:" + from, To: "person:" + to, Predicate: graph.SentTo},
			{From: "person:" + from, To: "document:" + doc, Predicate: graph.Authored},
		},
	}
}

func TestSharedEdgeCounts(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	mustReplace(t, g, mail("m1", "jeff@enron.com", "ken@enron.com"))
	mustReplace(t, g, mail("m2", "jeff@enron.com", "ken@enron.com"))
	sent := graph.NeighborQuery{Predicates: []graph.Predicate{graph.SentTo}}
	if got, want := neighbors(t, g, "jeff@enron.com", sent), []string{"person:ken@enron.com SENT_TO out 2 1"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	st, err := g.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Edges != 3 || st.Nodes != 4 { // 1 SENT_TO + 2 AUTHORED; 2 people + 2 mails
		t.Fatalf("stats %+v, want 3 edges 4 nodes", st)
	}

	if err := g.Remove(ctx, []string{"m1"}); err != nil {
		t.Fatal(err)
	}
	if got, want := neighbors(t, g, "jeff@enron.com", sent), []string{"person:ken@enron.com SENT_TO out 1 1"}; !slices.Equal(got, want) {
		t.Fatalf("after remove: got %q, want %q", got, want)
	}
	if docs, _ := g.Docs(ctx); len(docs) != 1 || docs["m2"] != "" {
		t.Fatalf("docs %v", docs)
	}
	if err := g.Remove(ctx, []string{"m2", "never-there"}); err != nil {
		t.Fatal(err)
	}
	if st, _ := g.Stats(ctx); st != (graph.Stats{}) {
		t.Fatalf("after removing all: %+v", st)
	}
	if _, _, err := g.Neighbors(ctx, "jeff@enron.com", graph.NeighborQuery{}); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("removed person: %v", err)
	}
}

func TestResolve(t *testing.T) {
	g, _ := openGraph(t)
	mustReplace(t, g, append(notes2(), mail("m1", "jeff.skilling@enron.com", "ken@enron.com"))...)
	tests := []struct {
		name  string
		query string
		want  string // first match
	}{
		{"id", "person:ken@enron.com", "person:ken@enron.com"},
		{"exact name", "Jeff Skilling", "person:jeff.skilling@enron.com"},
		{"normalised name", "  jeff   SKILLING ", "person:jeff.skilling@enron.com"},
		{"alias", "Skilling, Jeff", "person:jeff.skilling@enron.com"},
		{"bare address", "jeff.skilling@enron.com", "person:jeff.skilling@enron.com"},
		{"address with name", "Jeff <Jeff.Skilling@enron.com>", "person:jeff.skilling@enron.com"},
		{"last, first", "Lay, Ken", "person:ken@enron.com"},
		{"document title", "mail m1", "document:m1"},
		{"title with .md", "Weekly Plan.md", "document:plan"},
		{"tag", "go", "topic:go"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ns, err := g.Resolve(context.Background(), tc.query)
			if err != nil {
				t.Fatal(err)
			}
			if len(ns) == 0 || ns[0].ID != tc.want {
				t.Fatalf("Resolve(%q) = %+v, want first %s", tc.query, ns, tc.want)
			}
		})
	}
	if ns, err := g.Resolve(context.Background(), "nobody at all"); err != nil || len(ns) != 0 {
		t.Fatalf("no match: %+v, %v", ns, err)
	}
}

func notes2() []graph.Contribution {
	return []graph.Contribution{{
		DocID: "plan",
		Nodes: []graph.Node{{ID: "document:plan", Name: "Weekly Plan"}, {ID: "topic:go", Name: "go"}},
		Edges: []graph.Edge{{From: "document:plan", To: "topic:go", Predicate: graph.Tagged}},
	}}
}

func TestReplaceRejectsAndWritesNothing(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	notes(g, t)
	before, _ := g.Stats(ctx)
	good := note("d", "Note D", nil, "a")
	tests := []struct {
		name string
		bad  graph.Contribution
		want error
	}{
		{"unknown predicate", graph.Contribution{DocID: "x",
			Nodes: []graph.Node{{ID: "document:x"}},
			Edges: []graph.Edge{{From: "document:x", To: "document:a", Predicate: "LIKES"}}}, graph.ErrUnknownPredicate},
		{"dangling edge", graph.Contribution{DocID: "x",
			Nodes: []graph.Node{{ID: "document:x"}},
			Edges: []graph.Edge{{From: "document:x", To: "person:ghost", Predicate: graph.Mentions}}}, graph.ErrDanglingEdge},
		{"bad kind", graph.Contribution{DocID: "x", Nodes: []graph.Node{{ID: "planet:mars"}}}, graph.ErrInvalidNode},
		{"kind disagrees", graph.Contribution{DocID: "x", Nodes: []graph.Node{{ID: "person:x", Kind: graph.KindPlace}}}, graph.ErrInvalidNode},
		{"empty doc id", graph.Contribution{}, graph.ErrInvalidDocID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := g.Replace(ctx, []graph.Contribution{good, tc.bad})
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			after, _ := g.Stats(ctx)
			docs, _ := g.Docs(ctx)
			if after != before || len(docs) != 3 {
				t.Fatalf("something was written: %+v -> %+v, docs %v", before, after, docs)
			}
			if ns, _ := g.Resolve(ctx, "Note D"); len(ns) != 0 {
				t.Fatalf("good contribution of the failed call was written")
			}
		})
	}
}

func TestPath(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	// a -> b -> c <- d, e alone
	mustReplace(t, g,
		note("a", "A", nil, "b"),
		note("b", "B", nil, "c"),
		note("d", "D", nil, "c"),
		note("c", "C", nil),
		note("e", "E", nil),
	)
	steps, err := g.Path(ctx, "A", "D", 3)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range steps {
		got = append(got, fmt.Sprintf("%s-%s-%s-%s", s.From.Name, s.Predicate, s.Direction, s.To.Name))
	}
	want := []string{"A-LINKS_TO-out-B", "B-LINKS_TO-out-C", "C-LINKS_TO-in-D"}
	if !slices.Equal(got, want) {
		t.Fatalf("path %q, want %q", got, want)
	}
	if _, err := g.Path(ctx, "A", "D", 2); !errors.Is(err, graph.ErrNoPath) {
		t.Fatalf("too short: %v", err)
	}
	if _, err := g.Path(ctx, "A", "E", 6); !errors.Is(err, graph.ErrNoPath) {
		t.Fatalf("unconnected: %v", err)
	}
	if _, err := g.Path(ctx, "A", "Z", 6); !errors.Is(err, graph.ErrNotFound) {
		t.Fatalf("unknown end: %v", err)
	}
}

func TestReopenKeepsEverything(t *testing.T) {
	g, path := openGraph(t)
	ctx := context.Background()
	notes(g, t)
	if err := g.Close(); err != nil {
		t.Fatal(err)
	}
	if err := g.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
	if _, err := g.Resolve(ctx, "Note A"); !errors.Is(err, graph.ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
	g2, err := graph.Open(path, graph.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer g2.Close()
	if got := neighbors(t, g2, "alpha", graph.NeighborQuery{}); len(got) != 2 {
		t.Fatalf("after reopen: %q", got)
	}
	docs, err := g2.Docs(ctx)
	if err != nil || docs["a"] != "hash-a" || len(docs) != 3 {
		t.Fatalf("docs after reopen: %v, %v", docs, err)
	}
	// writes still work after reopening
	mustReplace(t, g2, note("b", "Note B", nil, "c"))
	if got := neighbors(t, g2, "Note C", graph.NeighborQuery{}); len(got) != 2 {
		t.Fatalf("C after write: %q", got)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	_, path := openGraph(t)
	if _, err := graph.Open(path, graph.Options{Timeout: 50e6}); err == nil {
		t.Fatal("second open of a locked file succeeded")
	}
}

func TestCheckFindsDanglingEdge(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	mustReplace(t, g, mail("m1", "jeff@enron.com", "ken@enron.com"))
	// m2 points at Ken without declaring him: allowed, he is known
	mustReplace(t, g, graph.Contribution{
		DocID: "m2",
		Nodes: []graph.Node{{ID: "document:m2"}},
		Edges: []graph.Edge{{From: "document:m2", To: "person:ken@enron.com", Predicate: graph.Mentions}},
	})
	if ps, err := g.Check(ctx); err != nil || len(ps) != 0 {
		t.Fatalf("healthy graph: %+v, %v", ps, err)
	}
	// removing m1 leaves nobody declaring Ken, but m2 still points at him
	if err := g.Remove(ctx, []string{"m1"}); err != nil {
		t.Fatal(err)
	}
	ps, err := g.Check(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].Kind != graph.ProblemDanglingEdge || ps[0].NodeID != "person:ken@enron.com" {
		t.Fatalf("problems %+v", ps)
	}
	// the end is still reachable by ID, with no name
	if got := neighbors(t, g, "person:ken@enron.com", graph.NeighborQuery{}); !slices.Equal(got, []string{"document:m2 MENTIONS in 1 1"}) {
		t.Fatalf("dangling end: %q", got)
	}
}

func TestPredicates(t *testing.T) {
	ps := graph.Predicates()
	if len(ps) != 14 {
		t.Fatalf("%d predicates", len(ps))
	}
	seen := map[graph.Predicate]bool{}
	for _, p := range ps {
		if seen[p] {
			t.Fatalf("duplicate predicate %s", p)
		}
		seen[p] = true
		if got, err := graph.ParsePredicate(strings.ToLower(string(p))); err != nil || got != p {
			t.Fatalf("ParsePredicate(%s) = %s, %v", p, got, err)
		}
	}
	ps[0] = "CHANGED"
	if graph.Predicates()[0] == "CHANGED" {
		t.Fatal("registry is mutable through Predicates")
	}
	if _, err := graph.ParsePredicate("KNOWS"); !errors.Is(err, graph.ErrUnknownPredicate) {
		t.Fatalf("unknown: %v", err)
	}
}

func TestConcurrentReplaceAndNeighbors(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	mustReplace(t, g, note("hub", "Hub", nil))
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 30 {
				c := note(fmt.Sprintf("n%d-%d", w, i), fmt.Sprintf("N %d %d", w, i), nil, "hub")
				if err := g.Replace(ctx, []graph.Contribution{c}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	// Import-sized batches too: their transactions also drop the file's
	// pages from the memory map while the readers below walk it.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := range 3 {
			var cs []graph.Contribution
			for i := range 300 {
				cs = append(cs, note(fmt.Sprintf("big%d-%d", b, i), fmt.Sprintf("Big %d %d", b, i), nil, "hub2"))
			}
			if err := g.Replace(ctx, append(cs, note("hub2", "Hub 2", nil))); err != nil {
				errs <- err
				return
			}
		}
	}()
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			prev := 0
			for range 30 {
				_, ns, err := g.Neighbors(ctx, "Hub", graph.NeighborQuery{Depth: 2})
				if err != nil {
					errs <- err
					return
				}
				if len(ns) < prev {
					errs <- fmt.Errorf("neighbours went from %d to %d", prev, len(ns))
					return
				}
				prev = len(ns)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if got := neighbors(t, g, "Hub", graph.NeighborQuery{}); len(got) != 60 {
		t.Fatalf("hub has %d neighbours, want 60", len(got))
	}
	if got := neighbors(t, g, "Hub 2", graph.NeighborQuery{Limit: 1000}); len(got) != 900 {
		t.Fatalf("hub 2 has %d neighbours, want 900", len(got))
	}
}

func TestNodeNamesMergeAcrossContributions(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	person := func(doc, name string) graph.Contribution {
		return graph.Contribution{DocID: doc, Nodes: []graph.Node{{ID: "person:jeff@enron.com", Name: name}}}
	}
	mustReplace(t, g, person("m1", "Jeff Skilling"), person("m2", "Jeffrey Skilling"), person("m3", "Jeffrey Skilling"))
	ns, err := g.Resolve(ctx, "Jeff Skilling")
	if err != nil || len(ns) != 1 || ns[0].Name != "Jeffrey Skilling" || !slices.Equal(ns[0].Aliases, []string{"Jeff Skilling"}) {
		t.Fatalf("merged: %+v, %v", ns, err)
	}
	if err := g.Remove(ctx, []string{"m2", "m3"}); err != nil {
		t.Fatal(err)
	}
	ns, _ = g.Resolve(ctx, "person:jeff@enron.com")
	if len(ns) != 1 || ns[0].Name != "Jeff Skilling" || len(ns[0].Aliases) != 0 {
		t.Fatalf("after withdrawing: %+v", ns)
	}
	if ns, _ := g.Resolve(ctx, "Jeffrey Skilling"); len(ns) != 0 {
		t.Fatalf("withdrawn name still resolves: %+v", ns)
	}
}

// TestEmptyGraphIsNotDamaged: a graph with no edges yet counts zero and
// checks clean (Cayley makes its buckets with the first quad).
func TestEmptyGraphIsNotDamaged(t *testing.T) {
	g, _ := openGraph(t)
	st, err := g.Stats(context.Background())
	if err != nil || st.Edges != 0 {
		t.Fatalf("Stats of an empty graph: %+v %v", st, err)
	}
	if ps, err := g.Check(context.Background()); err != nil || len(ps) != 0 {
		t.Fatalf("Check of an empty graph: %v %v", ps, err)
	}
}

// With more candidates than the limit, Neighbors lists the first limit of
// them by depth, count (most first) and ID, as a walk without a limit
// would order them: the selection kept while the walk goes by agrees with
// sorting them all, ties of count and depth included.
func TestNeighborsLimitKeepsTheFirstByDepthAndCount(t *testing.T) {
	g, _ := openGraph(t)
	// The hub's ties to t0..t39 and theirs to u0..u59 have counts from 1
	// to 5: one contribution per count step, so many tie.
	var cs []graph.Contribution
	for k := range 5 {
		c := graph.Contribution{DocID: fmt.Sprintf("c%d", k), Hash: fmt.Sprintf("h%d", k),
			Nodes: []graph.Node{{ID: "document:hub", Kind: graph.KindDocument, Name: "Hub"}}}
		for j := range 40 {
			if (j*7+3)%5 < k+1 || j%4 == k%4 { // several counts per step
				continue
			}
			tj := fmt.Sprintf("document:t%02d", j)
			c.Nodes = append(c.Nodes, graph.Node{ID: tj, Kind: graph.KindDocument, Name: fmt.Sprintf("T %d", 39-j)})
			c.Edges = append(c.Edges, graph.Edge{From: "document:hub", To: tj, Predicate: graph.LinksTo})
			for m := range 60 {
				if (j+m)%9 != k {
					continue
				}
				um := fmt.Sprintf("document:u%02d", m)
				c.Nodes = append(c.Nodes, graph.Node{ID: um, Kind: graph.KindDocument, Name: fmt.Sprintf("U %d", m%7)})
				c.Edges = append(c.Edges, graph.Edge{From: tj, To: um, Predicate: graph.LinksTo})
			}
		}
		cs = append(cs, c)
	}
	mustReplace(t, g, cs...)
	ctx := context.Background()
	_, all, err := g.Neighbors(ctx, "Hub", graph.NeighborQuery{Depth: 2, Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 60 {
		t.Fatalf("only %d neighbours in all: the test needs more than its limits", len(all))
	}
	first := slices.Clone(all)
	slices.SortFunc(first, func(a, b graph.Neighbor) int {
		return cmp.Or(cmp.Compare(a.Depth, b.Depth), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Node.ID, b.Node.ID),
			cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Direction, b.Direction))
	})
	listed := func(ns []graph.Neighbor) []graph.Neighbor { // the order Neighbors lists in
		ns = slices.Clone(ns)
		slices.SortFunc(ns, func(a, b graph.Neighbor) int {
			return cmp.Or(cmp.Compare(a.Depth, b.Depth), cmp.Compare(b.Count, a.Count), cmp.Compare(a.Node.Name, b.Node.Name),
				cmp.Compare(a.Node.ID, b.Node.ID), cmp.Compare(a.Predicate, b.Predicate), cmp.Compare(a.Direction, b.Direction))
		})
		return ns
	}
	if !slices.Equal(summary(listed(all)), summary(all)) {
		t.Fatalf("neighbours not in their listed order: %v", summary(all))
	}
	for _, limit := range []int{1, 2, 5, 13, 30, len(all) - 1} {
		_, got, err := g.Neighbors(ctx, "Hub", graph.NeighborQuery{Depth: 2, Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		if want := summary(listed(first[:limit])); !slices.Equal(summary(got), want) {
			t.Errorf("limit %d:\n got %v\nwant %v", limit, summary(got), want)
		}
	}
}

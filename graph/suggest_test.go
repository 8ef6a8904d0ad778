package graph_test

import (
	"context"
	"testing"

	"github.com/engram-app/engram/graph"
)

func suggestNames(ns []graph.Node) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = n.Name
	}
	return out
}

func TestSuggestAndSimilar(t *testing.T) {
	g, _ := openGraph(t)
	ctx := context.Background()
	mustReplace(t, g,
		sent("m1", "Ann Lee", "ann@example.org", "Bob Stone", "bob@example.org"),
		sent("m2", "Ann Lee", "ann@example.org", "Anna Berg", "anna@example.org"),
		sent("m3", "Ann Lee", "ann@example.org", "Bob Stone", "bob@example.org"),
		note("n1", "Annual report", nil, "missing"),
	)
	for _, tc := range []struct {
		prefix string
		limit  int
		want   []string
	}{
		{"ann", 10, []string{"Ann Lee", "Anna Berg", "Annual report"}},
		{"  ANN  L", 10, []string{"Ann Lee"}},
		{"ann", 1, []string{"Ann Lee"}},
		{"bob@", 10, []string{"Bob Stone"}},
		{"zz", 10, []string{}},
		{"", 10, []string{}},
	} {
		ns, err := g.Suggest(ctx, tc.prefix, tc.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := suggestNames(ns); !equalStrings(got, tc.want) {
			t.Errorf("Suggest(%q, %d) = %q, want %q", tc.prefix, tc.limit, got, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		want string // the first suggestion
	}{
		{"Anne Lee", "Ann Lee"},
		{"Bobby Stone", "Bob Stone"},
		{"Anna Bergh", "Anna Berg"},
	} {
		ns, err := g.Similar(ctx, tc.name, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(ns) == 0 || ns[0].Name != tc.want {
			t.Errorf("Similar(%q) = %q, want %q first", tc.name, suggestNames(ns), tc.want)
		}
	}
	if ns, err := g.Similar(ctx, "xyzzy", 3); err != nil || len(ns) != 0 {
		t.Errorf("Similar(xyzzy) = %v, %v; want nothing", suggestNames(ns), err)
	}
}

// sent is a message from one named person to another.
func sent(doc, from, fromAddr, to, toAddr string) graph.Contribution {
	return graph.Contribution{
		DocID: doc,
		Nodes: []graph.Node{
			{ID: "person:" + fromAddr, Kind: graph.KindPerson, Name: from, Aliases: []string{fromAddr}},
			{ID: "person:" + toAddr, Kind: graph.KindPerson, Name: to, Aliases: []string{toAddr}},
		},
		Edges: []graph.Edge{{From: "person:" + fromAddr, To: "person:" + toAddr, Predicate: graph.SentTo}},
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

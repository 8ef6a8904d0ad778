package derive

import (
	"slices"
	"strings"
	"testing"

	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/store"
)

func TestMemoryContribution(t *testing.T) {
	slug := func(s string) string { return strings.ReplaceAll(strings.ToLower(s), " ", "-") }
	m := store.Memory{ID: "m1", User: "maya", Version: 3, Text: "Theo makes me anxious at the office",
		People: []string{"Theo", "Theo"}, Places: []string{"New York"}, Emotions: []string{"anxious"}, Trigger: "Theo"}
	c := Memory(m, slug)
	if c.DocID != "memory:m1" || c.Hash != "v3/w" {
		t.Fatalf("key %q hash %q", c.DocID, c.Hash)
	}
	var ids []string
	for _, n := range c.Nodes {
		ids = append(ids, n.ID)
		if n.ID != UserNodeID("maya") && n.Kind != graph.KindMemory && !strings.Contains(n.ID, ":@maya/") {
			t.Errorf("node %s is not keyed under its user", n.ID)
		}
	}
	want := []string{"person:@maya", "memory:m1", "person:@maya/theo", "place:@maya/new-york", "emotion:@maya/anxious", "event:@maya/theo"}
	if !slices.Equal(ids, want) {
		t.Errorf("nodes %v, want %v", ids, want)
	}
	has := func(from, to string, p graph.Predicate) bool {
		return slices.Contains(c.Edges, graph.Edge{From: from, To: to, Predicate: p})
	}
	for _, e := range []graph.Edge{
		{From: "memory:m1", To: "person:@maya", Predicate: graph.About},
		{From: "memory:m1", To: "person:@maya/theo", Predicate: graph.Mentions},
		{From: "person:@maya", To: "emotion:@maya/anxious", Predicate: graph.Feels},
		{From: "emotion:@maya/anxious", To: "event:@maya/theo", Predicate: graph.TriggeredBy},
	} {
		if !has(e.From, e.To, e.Predicate) {
			t.Errorf("edge %v missing from %v", e, c.Edges)
		}
	}
	// A name of only stop words slugs to nothing: no "@maya/" node.
	if c := Memory(store.Memory{ID: "m2", User: "maya", People: []string{""}}, slug); len(c.Nodes) != 2 {
		t.Errorf("empty name made a node: %v", c.Nodes)
	}
}

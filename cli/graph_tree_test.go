package cli

import (
	"strings"
	"testing"

	"github.com/engram-app/engram/app"
)

func TestPrintNeighborTree(t *testing.T) {
	nb := func(id, name, pred, dir string, depth int, via string) app.Neighbor {
		return app.Neighbor{Entity: app.Entity{ID: id, Name: name, Kind: "person"}, Predicate: pred, Direction: dir, Count: 1, Depth: depth, Via: via}
	}
	res := &app.NeighborsResult{
		Entity: app.Entity{ID: "person:ann", Name: "Ann", Kind: "person"},
		Neighbors: []app.Neighbor{
			nb("person:bob", "Bob", "SENT_TO", "out", 1, "person:ann"),
			nb("person:dev", "Dev", "REPLIED_TO", "in", 1, "person:ann"),
			nb("person:carla", "Carla", "SENT_TO", "in", 2, "person:bob"),
			nb("person:eve", "Eve", "SENT_TO", "out", 2, "person:bob"),
			nb("person:zed", "Zed", "SENT_TO", "out", 2, "person:gone"),
		},
	}
	var b strings.Builder
	printNeighborTree(&b, res)
	want := "Ann (person)\n" +
		"├─ -> SENT_TO  Bob  person  1\n" +
		"│  ├─ <- SENT_TO  Carla  person  1\n" +
		"│  └─ -> SENT_TO  Eve  person  1\n" +
		"└─ <- REPLIED_TO  Dev  person  1\n" +
		"    (via person:gone) SENT_TO  Zed  1\n"
	if b.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	printNeighborTree(&b, &app.NeighborsResult{Entity: app.Entity{Name: "Solo", Kind: "topic"}})
	if b.String() != "Solo (topic)\n  no neighbours yet\n" {
		t.Errorf("empty tree: %q", b.String())
	}
}

package graph_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/engram-app/engram/graph"
)

func Example() {
	dir, _ := os.MkdirTemp("", "graph-example")
	defer os.RemoveAll(dir)
	g, err := graph.Open(filepath.Join(dir, "graph.db"), graph.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer g.Close()
	ctx := context.Background()

	// One email: Jeff wrote it to Ken.
	err = g.Replace(ctx, []graph.Contribution{{
		DocID: "m1",
		Hash:  "sha256:…",
		Nodes: []graph.Node{
			{ID: "document:m1", Name: "Q3 numbers"},
			{ID: "person:jeff@enron.com", Name: "Jeff Skilling", Aliases: []string{"Skilling, Jeff"}},
			{ID: "person:ken@enron.com", Name: "Ken Lay"},
		},
		Edges: []graph.Edge{
			{From: "person:jeff@enron.com", To: "document:m1", Predicate: graph.Authored},
			{From: "person:jeff@enron.com", To: "person:ken@enron.com", Predicate: graph.SentTo},
		},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	start, ns, err := g.Neighbors(ctx, "skilling, jeff", graph.NeighborQuery{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(start.Name)
	for _, n := range ns {
		fmt.Println(n.Predicate, n.Direction, n.Node.Name, n.Count)
	}
	// Output:
	// Jeff Skilling
	// SENT_TO out Ken Lay 1
	// AUTHORED out Q3 numbers 1
}

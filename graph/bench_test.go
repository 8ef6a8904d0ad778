package graph_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/engram-app/engram/graph"
)

// mailbox returns n mail contributions among people persons, with topics
// tags: each mail has an author, two recipients, a tag and the edges between
// them, much like an imported Enron folder.
func mailbox(n, people, topics, offset int) []graph.Contribution {
	cs := make([]graph.Contribution, n)
	for i := range cs {
		doc := fmt.Sprintf("m%d", i+offset)
		from := fmt.Sprintf("person:p%d@example.com", (i*7)%people)
		to1 := fmt.Sprintf("person:p%d@example.com", (i*13+1)%people)
		to2 := fmt.Sprintf("person:p%d@example.com", (i*31+2)%people)
		tag := fmt.Sprintf("topic:t%d", i%topics)
		d := "document:" + doc
		cs[i] = graph.Contribution{
			DocID: doc,
			Hash:  "h" + doc,
			Nodes: []graph.Node{
				{ID: d, Name: "Subject " + doc},
				{ID: from, Name: "Person " + from[7:]},
				{ID: to1, Name: "Person " + to1[7:]},
				{ID: to2, Name: "Person " + to2[7:]},
				{ID: tag, Name: tag[6:]},
			},
			Edges: []graph.Edge{
				{From: from, To: d, Predicate: graph.Authored},
				{From: from, To: to1, Predicate: graph.SentTo},
				{From: from, To: to2, Predicate: graph.SentTo},
				{From: d, To: to1, Predicate: graph.Mentions},
				{From: d, To: tag, Predicate: graph.Tagged},
			},
		}
	}
	return cs
}

// BenchmarkReplace writes batches of 100 mails (5 edges each) into a graph
// that already holds 2,000; one op is one batch.
func BenchmarkReplace(b *testing.B) {
	g, _ := openGraph(b)
	ctx := context.Background()
	if err := g.Replace(ctx, mailbox(2000, 500, 50, 0)); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		if err := g.Replace(ctx, mailbox(100, 500, 50, 2000+i*100)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*100*5)/b.Elapsed().Seconds(), "edges/s")
}

// BenchmarkNeighbors2Hops walks two hops from a person in a graph of 5,000
// mails, 500 people and 50 topics (about 5,550 nodes, 15,000 edges).
func BenchmarkNeighbors2Hops(b *testing.B) {
	g, _ := openGraph(b)
	ctx := context.Background()
	for off := 0; off < 5000; off += 1000 {
		if err := g.Replace(ctx, mailbox(1000, 500, 50, off)); err != nil {
			b.Fatal(err)
		}
	}
	var took []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		name := fmt.Sprintf("p%d@example.com", i%500)
		t0 := time.Now()
		_, ns, err := g.Neighbors(ctx, name, graph.NeighborQuery{Depth: 2})
		took = append(took, time.Since(t0))
		if err != nil || len(ns) == 0 {
			b.Fatalf("%s: %d neighbours, %v", name, len(ns), err)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
}

package search_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/search"
)

func Example() {
	dir, err := os.MkdirTemp("", "engram-index")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer ix.Close()

	ctx := context.Background()
	err = ix.Put(ctx, []document.Document{
		{ID: "1", Source: document.SourceMarkdown, Title: "Kubernetes upgrade", Body: "Upgrade the cluster & check the <b>nodes</b>.", Tags: []string{"ops"}, Date: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		{ID: "2", Source: document.SourceEmail, Title: "Lunch?", From: "Anna <anna@example.org>", Body: "Shall we meet at noon?", Date: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)},
	})
	if err != nil {
		log.Fatal(err)
	}

	res, err := ix.Search(ctx, search.Request{
		Query:    "k8s nodes tag:ops",
		Expander: search.NewDictionary(search.DefaultEntries()),
		Facets:   true,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, h := range res.Hits {
		fmt.Println(h.ID, h.Title)
		fmt.Println(h.Snippet)
	}
	for _, f := range res.Facets["source"] {
		fmt.Println("source:", f.Value, f.Count)
	}
	// Output:
	// 1 Kubernetes upgrade
	// Upgrade the cluster &amp; check the &lt;b&gt;<mark>nodes</mark>&lt;/b&gt;.
	// source: markdown 1
}

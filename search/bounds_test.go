package search

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestPartsOfJoinedWords(t *testing.T) {
	ix, _ := openTest(t, Options{})
	md := document.SourceMarkdown
	docs := []document.Document{
		{ID: "c", Source: md, Title: "build notes", Body: "Add #include <stdint.h> is missing from the header."},
		{ID: "nm", Source: md, Title: "crash", Body: "notmuch-new.c crashed on startup"},
		{ID: "tag", Source: md, Title: "filters", Body: "messages with tag:inbox are shown"},
		{ID: "py", Source: md, Title: "decoder", Body: "the decoded_value is returned"},
		{ID: "irish", Source: md, Title: "people", Body: "O'Brien called about version 1.30"},
		{ID: "plain", Source: md, Title: "plain", Body: "stdint and notmuch are words here, new too, value and inbox"},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string
	}{
		{"stdint.h", []string{"c"}},
		{"stdint", []string{"c", "plain"}},
		{`"stdint h"`, []string{"c"}},
		{`"include stdint.h is missing"`, []string{"c"}},
		{`"stdint.h is"`, []string{"c"}},
		{"notmuch-new.c", []string{"nm"}},
		{`"notmuch new"`, []string{"nm"}},
		{"notmuch new crashed", []string{"nm"}},
		{`"new c crashed"`, []string{}}, // a part does not run into the next token
		{`"tag:inbox"`, []string{"tag"}},
		{"inbox", []string{"plain", "tag"}},
		{"decoded_value", []string{"py"}},
		{"decoded", []string{"py"}},
		{`"decoded value"`, []string{"py"}},
		{"brien", []string{"irish"}},
		{"o'brien", []string{"irish"}},
		{"1.30", []string{"irish"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			got := slices.Sorted(slices.Values(ids(search(t, ix, Request{Query: tc.query}))))
			if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
				t.Fatalf("hits %v, want %v", got, tc.want)
			}
		})
	}
}

// TestPoisonDocument indexes a document with an unbroken title and body of
// megabytes beside normal ones: what the index keeps of it is bounded,
// and searches still find what they should.
func TestPoisonDocument(t *testing.T) {
	ix, _ := openTest(t, Options{})
	huge := strings.Repeat("x", 3<<20)
	words := strings.Repeat("lorem ipsum dolor ", (6<<20)/18) + " needle"
	docs := []document.Document{
		{ID: "poison", Source: document.SourceEmail, Title: "budget " + huge, Body: "budget talk " + huge},
		{ID: "long", Source: document.SourceText, Title: "long", Body: words},
		{ID: "ok", Source: document.SourceEmail, Title: "budget review", Body: "the budget for Q3"},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, Request{Query: "budget"})
	if got := slices.Sorted(slices.Values(ids(res))); !slices.Equal(got, []string{"ok", "poison"}) {
		t.Fatalf("budget: %v", got)
	}
	for _, h := range res.Hits {
		if len(h.Title) > maxTitleLen || len(h.Snippet) > 4*snippetLen {
			t.Errorf("%s: title of %d bytes, snippet of %d", h.ID, len(h.Title), len(h.Snippet))
		}
	}
	if n := len(search(t, ix, Request{Query: "x*"}).Hits); n != 0 {
		t.Errorf("an unbroken token of 3 MB was indexed (%d hits)", n)
	}
	// Past maxIndexedBody the words are not indexed; before it they are.
	if got := ids(search(t, ix, Request{Query: "needle"})); len(got) != 0 {
		t.Errorf("needle after %d bytes: %v", maxIndexedBody, got)
	}
	if got := ids(search(t, ix, Request{Query: "lorem"})); !slices.Equal(got, []string{"long"}) {
		t.Errorf("lorem: %v", got)
	}
}

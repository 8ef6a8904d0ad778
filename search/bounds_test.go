package search

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

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
	huge := strings.Repeat("x", 1<<20)
	docs := []document.Document{
		{ID: "poison", Source: document.SourceEmail, Title: "budget " + huge, Body: "budget talk " + huge, To: slices.Repeat([]string{"Ann <ann@example.org>"}, 500)},
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
		if len(h.Title) > maxTitleLen || len(h.Snippet) > 4*snippetLen || len(h.To) > maxStoredPeople {
			t.Errorf("%s: title of %d bytes, snippet of %d, %d recipients", h.ID, len(h.Title), len(h.Snippet), len(h.To))
		}
	}
	if n := len(search(t, ix, Request{Query: "x*"}).Hits); n != 0 {
		t.Errorf("an unbroken token of 1 MB was indexed (%d hits)", n)
	}
}

// TestBoundedFields checks what fieldsOf gives Bleve of a document too
// big in every part.
func TestBoundedFields(t *testing.T) {
	body := strings.Repeat("lorem ipsum ", (maxIndexedBody+1000)/12)
	d := document.Document{ID: "big", Title: strings.Repeat("é", maxTitleLen), Body: body, To: slices.Repeat([]string{strings.Repeat("a", 1000) + "@x.org"}, 100)}
	f := fieldsOf(&d)
	for _, c := range []struct {
		field string
		max   int
	}{{fTitle, maxTitleLen}, {fBody, maxIndexedBody}, {fBodyShown, maxStoredBody}} {
		v := f[c.field].(string)
		if len(v) > c.max || len(v) < c.max-4 || !utf8.ValidString(v) {
			t.Errorf("%s: %d bytes (valid %v), want at most %d", c.field, len(v), utf8.ValidString(v), c.max)
		}
	}
	if to := f[fToShown].([]string); len(to) != maxStoredPeople || len(to[0]) > maxPersonLen {
		t.Errorf("to_shown: %d of %d bytes", len(to), len(to[0]))
	}
}

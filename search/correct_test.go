package search

import (
	"context"
	"slices"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestCorrections(t *testing.T) {
	ix, _ := openTest(t, Options{})
	md := document.SourceMarkdown
	docs := []document.Document{
		{ID: "cal", Source: md, Title: "Team calendar", Body: "The shared calendar for the team."},
		{ID: "canvas", Source: md, Title: "Canvas notes", Body: "Draw on the canvas element."},
		{ID: "view", Source: md, Title: "Views", Body: "Open the view and pick a layout."},
		{ID: "energy", Source: md, Title: "Energy report", Body: "Energy prices rose."},
		{ID: "vein", Source: md, Title: "Anatomy", Body: "a vein and a veil"},
		{ID: "mail", Source: document.SourceEmail, Title: "hello", Body: "hi", From: "notmuch@notmuchmail.org"},
		// "can" is one edit from the stem of canvs ("canv") and in more
		// documents than canvas, but two edits from the word as written.
		{ID: "can1", Source: md, Title: "What we can do", Body: "We can."},
		{ID: "can2", Source: md, Title: "Can it wait", Body: "It can."},
		{ID: "can3", Source: md, Title: "Yes we can", Body: "They can."},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query, corrected string
		want             []string
	}{
		{"calender", "calendar", []string{"cal"}},
		{"canvs", "canvas", []string{"canvas"}},
		{"veiw", "view", []string{"view"}},
		{"enegry", "energy", []string{"energy"}},
		{"enegry prices", "energy prices", []string{"energy"}},
		{"(calender OR canvs)", "(calendar OR canvas)", []string{"cal", "canvas"}},
		{"calendar", "", []string{"cal"}}, // known: no correction
		{"notmuch", "", []string{"mail"}}, // known as a sender: no correction
		{"xyzzy", "", nil},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			for _, limit := range []int{1, 10} { // the same correction on every page
				res := search(t, ix, Request{Query: tc.query, Limit: limit})
				if res.Corrected != tc.corrected {
					t.Errorf("limit %d: corrected %q, want %q", limit, res.Corrected, tc.corrected)
				}
				if limit == 10 {
					if got := slices.Sorted(slices.Values(ids(res))); !slices.Equal(got, tc.want) && len(got)+len(tc.want) > 0 {
						t.Errorf("hits %v, want %v", got, tc.want)
					}
				}
			}
		})
	}
}

// A correction is kept for the index's version only: once a write brings
// a nearer term (or the word itself), the next search sees it.
func TestCorrectionAfterWrite(t *testing.T) {
	ix, _ := openTest(t, Options{})
	md := document.SourceMarkdown
	put := func(d document.Document) {
		t.Helper()
		if err := ix.Put(context.Background(), []document.Document{d}); err != nil {
			t.Fatal(err)
		}
	}
	put(document.Document{ID: "cal", Source: md, Title: "Team calendar", Body: "The shared calendar."})
	for range 2 { // the second from the cache
		if res := search(t, ix, Request{Query: "calender"}); res.Corrected != "calendar" || !slices.Equal(ids(res), []string{"cal"}) {
			t.Fatalf("before: corrected %q, hits %v; want calendar, [cal]", res.Corrected, ids(res))
		}
	}
	put(document.Document{ID: "typo", Source: md, Title: "Calender", Body: "A calender, as some spell it."})
	if res := search(t, ix, Request{Query: "calender"}); res.Corrected != "" || !slices.Equal(ids(res), []string{"typo"}) {
		t.Errorf("after: corrected %q, hits %v; want no correction, [typo]", res.Corrected, ids(res))
	}
	// An unknown word's missing correction is not kept past a write either.
	if res := search(t, ix, Request{Query: "zephyrz"}); res.Corrected != "" || len(ids(res)) != 0 {
		t.Fatalf("zephyrz before: corrected %q, hits %v", res.Corrected, ids(res))
	}
	put(document.Document{ID: "wind", Source: md, Title: "Winds", Body: "A zephyr blew."})
	if res := search(t, ix, Request{Query: "zephyrz"}); res.Corrected != "zephyr" {
		t.Errorf("zephyrz after: corrected %q, want zephyr", res.Corrected)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		d    int
	}{{"veiw", "view", 1}, {"calender", "calendar", 1}, {"abc", "abc", 0}, {"", "ab", 2}, {"enegri", "energi", 1}, {"ca", "abc", 3}} {
		if got := editDistance(tc.a, tc.b); got != tc.d {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.d)
		}
	}
}

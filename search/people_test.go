package search

import (
	"context"
	"maps"
	"slices"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestPeopleInSearch(t *testing.T) {
	ix, _ := openTest(t, Options{})
	mail := document.SourceEmail
	docs := []document.Document{
		{ID: "nm", Source: mail, Title: "Re: tags", Body: "Thanks, applied.", From: "notmuch@notmuchmail.org", To: []string{"Carl Worth <cworth@cworth.org>"}, Date: day("2010-01-01")},
		{ID: "about", Source: mail, Title: "notmuch release", Body: "The new notmuch is out.", From: "Ann <ann@example.org>", Date: day("2010-01-02")},
		{ID: "listserv", Source: mail, Title: "3GPP meeting", Body: "Agenda attached.", From: "Thorsten Hertel thorsten.hertel@KEYSIGHT.COM", To: []string{"a@x.org", "b@x.org"}, Date: day("2010-01-03")},
		{ID: "other", Source: mail, Title: "lunch", Body: "pizza", From: "bob@example.com", Date: day("2010-01-04")},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		query string
		want  []string // in this order
	}{
		{"notmuch", []string{"about", "nm"}}, // the title and body match ranks above the address
		{"cworth", []string{"nm"}},
		{"hertel", []string{"listserv"}},
		{"keysight", []string{"listserv"}},
		{"from:thorsten.hertel@keysight.com", []string{"listserv"}},
		{"from:hertel", []string{"listserv"}},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			if got := ids(search(t, ix, Request{Query: tc.query})); !slices.Equal(got, tc.want) {
				t.Fatalf("hits %v, want %v", got, tc.want)
			}
		})
	}

	fs := search(t, ix, Request{Query: "", Facets: true}).Facets[FacetPerson]
	got := map[string]string{}
	for _, f := range fs {
		got[f.Value] = f.Address
	}
	want := map[string]string{
		"Thorsten Hertel": "thorsten.hertel@keysight.com", "Carl Worth": "cworth@cworth.org", "Ann": "ann@example.org",
		"notmuch@notmuchmail.org": "notmuch@notmuchmail.org", "a@x.org": "a@x.org", "b@x.org": "b@x.org", "bob@example.com": "bob@example.com",
	}
	if !maps.Equal(got, want) {
		t.Errorf("person facet %v, want %v", got, want)
	}

	res := search(t, ix, Request{Query: "agenda"})
	if len(res.Hits) != 1 {
		t.Fatalf("agenda: %v", ids(res))
	}
	h := res.Hits[0]
	if want := (Person{Name: "Thorsten Hertel", Address: "thorsten.hertel@keysight.com"}); h.From != want {
		t.Errorf("from %+v, want %+v", h.From, want)
	}
	if want := []Person{{Address: "a@x.org"}, {Address: "b@x.org"}}; !slices.Equal(h.To, want) {
		t.Errorf("to %+v, want %+v", h.To, want)
	}
}

func TestParsePerson(t *testing.T) {
	tests := []struct {
		in   string
		want Person
	}{
		{"Jeff Skilling <Jeff.Skilling@enron.com>", Person{"Jeff Skilling", "jeff.skilling@enron.com"}},
		{"notmuch@notmuchmail.org", Person{"", "notmuch@notmuchmail.org"}},
		{"Thorsten Hertel thorsten.hertel@KEYSIGHT.COM", Person{"Thorsten Hertel", "thorsten.hertel@keysight.com"}},
		{`"steffes, james d." <d..steffes@enron.com`, Person{"steffes, james d.", "d..steffes@enron.com"}},
		{"Kenneth Lay", Person{"Kenneth Lay", ""}},
		{"", Person{}},
	}
	for _, tc := range tests {
		if got := parsePerson(tc.in); got != tc.want {
			t.Errorf("parsePerson(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// TestAddressFilters: from:, to: and person: with a whole address match
// that address exactly, whatever its case or brackets and however the
// header wrote it; part of an address still matches as its parts in a row.
func TestAddressFilters(t *testing.T) {
	ix, _ := openTest(t, Options{})
	mail := document.SourceEmail
	docs := []document.Document{
		{ID: "steffes", Source: mail, Title: "a", Body: "x", From: `"Steffes, James D." <d..steffes@enron.com>`, To: []string{"Jeff Skilling <Jeff.Skilling@ENRON.com>"}},
		{ID: "au", Source: mail, Title: "b", Body: "x", From: "jeff.skilling@enron.com.au", To: []string{"d..steffes@enron.com"}},
		{ID: "raw", Source: mail, Title: "c", Body: "x", From: "Thorsten Hertel thorsten.hertel@KEYSIGHT.COM", To: []string{"a@x.org, Jeff Skilling <jeff.skilling@enron.com>"}},
		{ID: "two", Source: mail, Title: "d", Body: "x", From: "ann@x.org, bob@y.org"},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []string // sorted
	}{
		{"from:d..steffes@enron.com", []string{"steffes"}},
		{"from:<D..Steffes@Enron.COM>", []string{"steffes"}},
		{"to:d..steffes@enron.com", []string{"au"}},
		{"person:d..steffes@enron.com", []string{"au", "steffes"}},
		{"to:jeff.skilling@enron.com", []string{"raw", "steffes"}}, // not the .au address
		{"from:jeff.skilling@enron.com", nil},
		{"from:jeff.skilling@enron.com.au", []string{"au"}},
		{"from:thorsten.hertel@keysight.com", []string{"raw"}},
		{"from:bob@y.org", []string{"two"}},
		{"from:ann@x.org", []string{"two"}},
		{"from:@enron.com", []string{"au", "steffes"}},    // a part: in a row
		{"to:skilling@enron", []string{"raw", "steffes"}}, // the .au address is a sender, not a recipient
		{"from:steffes", []string{"steffes"}},
	} {
		t.Run(tc.query, func(t *testing.T) {
			got := ids(search(t, ix, Request{Query: tc.query}))
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Fatalf("hits %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFacetNameFollowsWrites: the person facet's name for an address is
// the one its documents give now, not one cached before a write.
func TestFacetNameFollowsWrites(t *testing.T) {
	ix, _ := openTest(t, Options{})
	ctx := context.Background()
	put := func(from string) {
		t.Helper()
		if err := ix.Put(ctx, []document.Document{{ID: "m", Source: document.SourceEmail, Title: "hello", Body: "hello", From: from, Date: day("2010-01-01")}}); err != nil {
			t.Fatal(err)
		}
	}
	name := func() string {
		t.Helper()
		for _, f := range search(t, ix, Request{Query: "hello", Facets: true}).Facets[FacetPerson] {
			if f.Address == "ann@example.org" {
				return f.Value
			}
		}
		return ""
	}
	put("Ann <ann@example.org>")
	if got := name(); got != "Ann" {
		t.Fatalf("name %q, want Ann", got)
	}
	put("Annie Smith <ann@example.org>")
	if got := name(); got != "Annie Smith" {
		t.Fatalf("after the update, name %q, want Annie Smith", got)
	}
}

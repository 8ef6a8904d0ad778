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

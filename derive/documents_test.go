package derive

import (
	"slices"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestPersonNamesAndAliases(t *testing.T) {
	tests := []struct {
		in, id, name string
		aliases      []string
	}{
		{"Jeff Skilling <jeff.skilling@enron.com>", "person:jeff.skilling@enron.com", "Jeff Skilling", []string{"jeff.skilling@enron.com", "Jeff Skilling"}},
		{`"Skilling, Jeff" <Jeff.Skilling@Enron.com>`, "person:jeff.skilling@enron.com", "Jeff Skilling", []string{"jeff.skilling@enron.com"}},
		{`"Kaminski, Vince J" <j.kaminski@enron.com>`, "person:j.kaminski@enron.com", "Vince J Kaminski", []string{"Vince Kaminski"}},
		{`"Steffes, James D." <d..steffes@enron.com>`, "person:d..steffes@enron.com", "James D. Steffes", []string{"d..steffes@enron.com", "James Steffes"}},
		// A mailbox nobody named declares no name: another message's name wins.
		{"kenneth.lay@enron.com", "person:kenneth.lay@enron.com", "", []string{"kenneth.lay@enron.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n, ok := Person(document.ParsePerson(tc.in))
			if !ok || n.ID != tc.id || n.Name != tc.name {
				t.Fatalf("got %+v", n)
			}
			for _, a := range tc.aliases {
				if !slices.Contains(n.Aliases, a) {
					t.Errorf("alias %q missing from %v", a, n.Aliases)
				}
			}
		})
	}
	if _, ok := Person(document.ParsePerson("  ")); ok {
		t.Fatal("an empty sender made a person")
	}
	if _, ok := Person(document.Person{Name: "Only A Name"}); ok {
		t.Fatal("a mailbox without an address made a person")
	}
}

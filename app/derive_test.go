package app

import (
	"slices"
	"testing"
)

func TestPersonNamesAndAliases(t *testing.T) {
	tests := []struct {
		in, id, name string
		aliases      []string
	}{
		{"Jeff Skilling <jeff.skilling@enron.com>", "person:jeff.skilling@enron.com", "Jeff Skilling", []string{"jeff.skilling@enron.com", "Jeff Skilling"}},
		{`"Skilling, Jeff" <Jeff.Skilling@Enron.com>`, "person:jeff.skilling@enron.com", "Jeff Skilling", []string{"Skilling, Jeff"}},
		{`"Kaminski, Vince J" <j.kaminski@enron.com>`, "person:j.kaminski@enron.com", "Vince J Kaminski", []string{"Vince Kaminski", "Kaminski, Vince J"}},
		{"kenneth.lay@enron.com", "person:kenneth.lay@enron.com", "kenneth.lay@enron.com", []string{"kenneth.lay@enron.com"}},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n, ok := person(tc.in)
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
	if _, ok := person("  "); ok {
		t.Fatal("an empty sender made a person")
	}
}

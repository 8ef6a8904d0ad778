package app

import (
	"context"
	"path/filepath"
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

func TestReplyLinksItsAuthorToTheAuthorAnswered(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/1.eml": "From: Ann Lee <ann@example.org>\r\nTo: Bob Stone <bob@example.org>\r\nSubject: Herons\r\nMessage-ID: <h1@example.org>\r\n\r\nSeen any herons?\r\n"})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "a")}, nil); err != nil {
		t.Fatal(err)
	}
	// The reply comes in a later import: its parent is read from the store.
	writeFiles(t, dir, map[string]string{"b/2.eml": "From: Bob Stone <bob@example.org>\r\nTo: Ann Lee <ann@example.org>\r\nSubject: Re: Herons\r\nMessage-ID: <h2@example.org>\r\nIn-Reply-To: <h1@example.org>\r\n\r\nTwo, by the river.\r\n"})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "b")}, nil); err != nil {
		t.Fatal(err)
	}
	nb, err := a.Neighbors(ctx, "", "Bob Stone", 1, []string{"REPLIED_TO"})
	if err != nil || len(nb.Neighbors) != 1 || nb.Neighbors[0].Name != "Ann Lee" || nb.Neighbors[0].Direction != "out" {
		t.Fatalf("REPLIED_TO: %+v, %v", nb, err)
	}
}

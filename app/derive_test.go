package app

import (
	"context"
	"path/filepath"
	"testing"
)

func TestPeopleAreFoundByAddressAndName(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		// Enron style: consecutive dots, names only in X-From/X-To.
		"m/inbox/1.": "Message-ID: <p1@corp.example>\nFrom: q..harmon@corp.example\nTo: r..ames@corp.example\nSubject: Rates\nX-From: Harmon, Quentin R. </O=CORP/CN=QHARMON>\nX-To: Ames, Rita </O=CORP/CN=RAMES>\n\nRates are up.\n",
		// The same person, no name: the name the other message gave stays.
		"m/inbox/2.": "Message-ID: <p2@corp.example>\nFrom: Q..Harmon@Corp.Example\nTo: r..ames@corp.example\nSubject: Rates again\nDate: Tue, 2 Jan 2001 10:00:00 -0800\n\nStill up.\n",
		// A list archive without angle brackets.
		"m/list.mbox": "From list@lists.example Mon Jan  1 10:00:00 2001\nFrom: Ingrid Olsen Ingrid.Olsen@LISTS.EXAMPLE\nTo: Per Berg <per.berg@lists.example>\nSubject: Minutes\nMessage-ID: <p3@lists.example>\n\nMinutes attached.\n",
	})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "m")}, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ query, id, name, neighbor string }{
		{"q..harmon@corp.example", "person:q..harmon@corp.example", "Quentin R. Harmon", "Rita Ames"},
		{"Quentin R. Harmon", "person:q..harmon@corp.example", "Quentin R. Harmon", "Rita Ames"},
		{"Quentin Harmon", "person:q..harmon@corp.example", "Quentin R. Harmon", "Rita Ames"},
		{"Harmon, Quentin R.", "person:q..harmon@corp.example", "Quentin R. Harmon", "Rita Ames"},
		{"r..ames@corp.example", "person:r..ames@corp.example", "Rita Ames", "Quentin R. Harmon"},
		{"ingrid.olsen@lists.example", "person:ingrid.olsen@lists.example", "Ingrid Olsen", "Per Berg"},
		{"Ingrid Olsen", "person:ingrid.olsen@lists.example", "Ingrid Olsen", "Per Berg"},
	} {
		nb, err := a.Neighbors(ctx, "", tc.query, 1, nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.query, err)
		}
		if nb.Entity.ID != tc.id || nb.Entity.Name != tc.name || len(nb.Neighbors) != 1 || nb.Neighbors[0].Name != tc.neighbor {
			t.Errorf("neighbors %q = %+v", tc.query, nb)
		}
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

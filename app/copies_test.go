package app

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
)

func TestMessageCopiesAreOneDocumentWithEveryCopysWords(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	head := "From: Ana Ruiz <ana@example.org>\nTo: bo@example.org\nSubject: Kiln schedule\nMessage-ID: <kiln-1@example.org>\n"
	writeFiles(t, dir, map[string]string{
		"inbox/1.eml":   head + "Date: Mon, 6 May 2019 09:00:00 +0000\n\nThe kiln fires on Tuesday.\n",
		"archive/7.eml": head + "Date: Tue, 7 May 2019 09:00:00 +0000\n\nThe kiln fires on Tuesday.\n\n-- \nsent from the workshop\n",
	})
	// The second copy comes in a later import, from another folder.
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "inbox")}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "archive")}, nil); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"both/a.eml": "From: c@example.org\nSubject: Glaze order\nMessage-ID: <glaze@example.org>\nDate: Wed, 8 May 2019 10:00:00 +0000\n\ncobalt oxide\n",
		"both/b.eml": "From: c@example.org\nSubject: Glaze order\nMessage-ID: <glaze@example.org>\nDate: Wed, 8 May 2019 10:00:00 +0000\n\nrutile crystals\n",
	})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "both")}, nil); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"kiln": "Kiln schedule", "workshop": "Kiln schedule", "cobalt": "Glaze order", "rutile": "Glaze order"} {
		hits := find(t, a, q)
		if len(hits) != 1 || hits[0].Title != want {
			t.Errorf("search %q: %+v, want one hit %q", q, hits, want)
		}
	}
	d, err := a.store.Document(DefaultWorkspace, document.MessageDocID("kiln-1@example.org"))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Date.Equal(time.Date(2019, 5, 6, 9, 0, 0, 0, time.UTC)) || len(d.Dates) != 1 || !d.Dates[0].Equal(time.Date(2019, 5, 7, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("dates: %v and %v, want both copies' dates", d.Date, d.Dates)
	}
}

func TestUnreadableMailDateIsUnknown(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"m/1.eml": "From: a@example.org\nSubject: Undated\nMessage-ID: <u1@example.org>\nDate: the day after the storm\n\nbarometer reading\n",
		"m/2.eml": "From: a@example.org\nSubject: Dated\nMessage-ID: <u2@example.org>\nDate: Fri 3 Apr 2015 11:30:00 PM PDT\n\nbarometer falling\n",
	})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "m")}, nil); err != nil {
		t.Fatal(err)
	}
	d, err := a.store.Document(DefaultWorkspace, document.MessageDocID("u1@example.org"))
	if err != nil || !d.Date.IsZero() {
		t.Fatalf("undated message has date %v (%v); want none, not the file's mtime", d.Date, err)
	}
	d, err = a.store.Document(DefaultWorkspace, document.MessageDocID("u2@example.org"))
	if err != nil || !d.Date.Equal(time.Date(2015, 4, 4, 6, 30, 0, 0, time.UTC)) {
		t.Fatalf("dated message has date %v (%v)", d.Date, err)
	}
	hits := find(t, a, "barometer after:2000-01-01")
	if len(hits) != 1 || hits[0].Title != "Dated" {
		t.Errorf("after: matched %+v; want only the dated message", hits)
	}
}

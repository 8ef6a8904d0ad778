package app

import (
	"context"
	"testing"

	"github.com/engram-app/engram/document"
)

func TestThread(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	msg := func(id, from, subject, date, inReplyTo, refs, body string) string {
		s := "From: " + from + "\nTo: team@example.org\nSubject: " + subject + "\nDate: " + date + "\nMessage-ID: <" + id + ">\n"
		if inReplyTo != "" {
			s += "In-Reply-To: <" + inReplyTo + ">\n"
		}
		if refs != "" {
			s += "References: " + refs + "\n"
		}
		return s + "Content-Type: text/plain; charset=utf-8\n\n" + body + "\n"
	}
	writeFiles(t, dir, map[string]string{
		// File names out of date order, so the order comes from the dates.
		"c.eml": msg("root.1@example.org", "Anna <anna@example.org>", "Harbour trip", "Mon, 06 May 2024 09:00:00 +0000", "", "", "Shall we take the ferry to the harbour on Saturday?"),
		"a.eml": msg("reply.2@example.org", "Bob <bob@example.org>", "Re: Harbour trip", "Mon, 06 May 2024 10:00:00 +0000", "root.1@example.org", "<root.1@example.org>", "Yes, the nine o'clock ferry."),
		"b.eml": msg("reply.3@example.org", "Anna <anna@example.org>", "Re: Harbour trip", "Mon, 06 May 2024 11:00:00 +0000", "reply.2@example.org", "<root.1@example.org> <reply.2@example.org>", "Great, see you at the pier."),
		"d.eml": msg("other.9@example.org", "Carol <carol@example.org>", "Budget", "Tue, 07 May 2024 11:00:00 +0000", "", "", "The budget is approved."),
	})
	if res, err := a.Import(ctx, "", []string{dir}, nil); err != nil || res.Failed != 0 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	root, r2, r3 := document.MessageDocID("root.1@example.org"), document.MessageDocID("reply.2@example.org"), document.MessageDocID("reply.3@example.org")

	msgs, err := a.Thread(ctx, "", r3)
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[0].ID != root || msgs[1].ID != r2 || msgs[2].ID != r3 {
		t.Fatalf("thread of the last reply = %+v, want root, reply, reply in date order", msgs)
	}
	if msgs[0].Title != "Harbour trip" || msgs[0].From != "Anna <anna@example.org>" || msgs[0].Excerpt != "Shall we take the ferry to the harbour on Saturday?" || msgs[0].Date.IsZero() {
		t.Errorf("root message = %+v", msgs[0])
	}

	// Only In-Reply-To is needed to walk up; the root sees no replies.
	if msgs, err := a.Thread(ctx, "", r2); err != nil || len(msgs) != 2 || msgs[0].ID != root {
		t.Errorf("thread of the first reply = %+v, %v", msgs, err)
	}
	if msgs, err := a.Thread(ctx, "", root); err != nil || len(msgs) != 1 || msgs[0].ID != root {
		t.Errorf("thread of the root = %+v, %v", msgs, err)
	}
	// Through the bound service, as the desktop app calls it.
	if msgs, err := NewSearchService(a).Thread("", r3); err != nil || len(msgs) != 3 {
		t.Errorf("SearchService.Thread = %+v, %v", msgs, err)
	}
	if _, err := a.Thread(ctx, "", "nope"); err == nil {
		t.Error("thread of a missing document did not fail")
	}
}

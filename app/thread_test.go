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

	// Opening any message of the conversation shows all of it, the root's
	// replies included.
	for name, id := range map[string]string{"first reply": r2, "root": root} {
		if msgs, err := a.Thread(ctx, "", id); err != nil || len(msgs) != 3 || msgs[0].ID != root || msgs[2].ID != r3 || msgs[1].InReplyTo != root {
			t.Errorf("thread of the %s = %+v, %v", name, msgs, err)
		}
	}
	// A reply imported later, on another branch (it answers the root only
	// by In-Reply-To), joins the thread of every message.
	later := t.TempDir()
	writeFiles(t, later, map[string]string{
		"e.eml": msg("reply.4@example.org", "Dan <dan@example.org>", "Re: Harbour trip", "Tue, 07 May 2024 08:00:00 +0000", "root.1@example.org", "", "Count me in."),
	})
	if _, err := a.Import(ctx, "", []string{later}, nil); err != nil {
		t.Fatal(err)
	}
	r4 := document.MessageDocID("reply.4@example.org")
	for name, id := range map[string]string{"root": root, "other branch": r3, "late reply": r4} {
		if msgs, err := a.Thread(ctx, "", id); err != nil || len(msgs) != 4 || msgs[0].ID != root || msgs[3].ID != r4 {
			t.Errorf("thread of the %s after the late reply = %+v, %v", name, msgs, err)
		}
	}
	if msgs, err := a.Thread(ctx, "", document.MessageDocID("other.9@example.org")); err != nil || len(msgs) != 1 {
		t.Errorf("a message outside any conversation = %+v, %v", msgs, err)
	}
	// Through the bound service, as the desktop app calls it.
	if msgs, err := NewSearchService(a).Thread("", r3); err != nil || len(msgs) != 4 {
		t.Errorf("SearchService.Thread = %+v, %v", msgs, err)
	}
	if _, err := a.Thread(ctx, "", "nope"); err == nil {
		t.Error("thread of a missing document did not fail")
	}
}

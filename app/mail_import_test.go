package app

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/engram-app/engram/document"
)

// enronMessage is an Enron-corpus message: bare addresses, names in X-From
// and X-To, and the folder it was found in.
func enronMessage(id, folder string) string {
	return "Message-ID: <" + id + ">\n" +
		"Date: Mon, 14 May 2001 16:39:00 -0700 (PDT)\n" +
		"From: jeff.skilling@enron.com\n" +
		"To: kenneth.lay@enron.com\n" +
		"Subject: West desk numbers\n" +
		"Mime-Version: 1.0\n" +
		"Content-Type: text/plain; charset=us-ascii\n" +
		"X-From: Jeff Skilling\n" +
		"X-To: Lay, Kenneth </O=ENRON/OU=NA/CN=RECIPIENTS/CN=KLAY>\n" +
		"X-Folder: \\jskillin\\" + folder + "\n\n" +
		"The west desk power trading numbers look strong.\n"
}

func maildirMessage(id, subject, body string) string {
	return "Return-Path: <anna@example.org>\nDelivered-To: me@example.org\n" +
		"From: Anna Berg <anna@example.org>\nTo: me@example.org\n" +
		"Subject: " + subject + "\nDate: Tue, 14 Nov 2023 23:13:19 +0100\n" +
		"Message-ID: <" + id + ">\n\n" + body + "\n"
}

func TestImportMailFolders(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	tickets := maildirMessage("tickets.42@example.org", "Tickets for Saturday", "I bought the harbour concert tickets.")
	writeFiles(t, dir, map[string]string{
		// The same Enron message in two folders is one document.
		"enron/maildir/skilling-j/inbox/12.":         enronMessage("18782981.1075855378110.JavaMail.evans@thyme", "Inbox"),
		"enron/maildir/skilling-j/all_documents/57.": enronMessage("18782981.1075855378110.JavaMail.evans@thyme", "All documents"),
		"enron/maildir/lay-k/inbox/3.":               strings.NewReplacer("West desk numbers", "Board meeting agenda", "west desk power trading numbers look strong", "agenda for the board is attached").Replace(enronMessage("99.1075@thyme", "Inbox")),
		// Maildir: flags after ":2,", none in new/, tmp/ not delivered yet.
		"Maildir/cur/1700000000.M1P2.host:2,S": tickets,
		"Maildir/new/1700000001.M3P4.host":     maildirMessage("ferry.7@example.org", "Ferry times", "The ferry leaves at nine."),
		"Maildir/tmp/1700000002.M5P6.host":     maildirMessage("draft.1@example.org", "Half written", "The walrus draft."),
		// An mbox without extension, holding the Maildir message again.
		"Mail/Inbox": "From anna@example.org Tue Nov 14 22:13:20 2023\n" + tickets + "\n" +
			"From bob@example.org Wed Nov 15 08:00:00 2023\nfrom: Bob <bob@example.org>\nsubject: Lighthouse visit\n\n>From the top of the lighthouse you see the islands.\n\n" +
			"From carol@example.org Thu Nov 16 09:00:00 2023\r\nFrom: carol@example.org\r\nSubject: Budget\r\nMessage-ID: <budget.1@example.org>\r\n\r\nThe budget is approved.",
		"lists/team.mbox": "From dan@example.org Fri Feb  2 12:00:00 2024\nFrom: Dan <dan@example.org>\nSubject: Lunch\nMessage-ID: <lunch.3@example.org>\n\nNoodles at noon.\n\n" +
			"From erin@example.org Sat Feb  3 15:00:00 2024\nFrom: Erin <erin@example.org>\nSubject: Reply\nMessage-ID: <reply.4@example.org>\n\nSee you there.\n",
		// A pipermail archive named .txt is an mbox.
		"lists/2001-November.txt": "From jjl at pobox.com  Thu Nov  1 11:19:12 2001\nFrom: jjl at pobox.com (John J. Lee)\nSubject: Numeric2\n\nWhat does it do??\n",
		// Files without an extension that are not mail are skipped quietly.
		"junk/blob":  "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01",
		"junk/notes": "just some words, nothing else\n",
	})
	res, err := a.Import(ctx, "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed != 0 || len(res.Errors) != 0 || res.Skipped != 3 {
		t.Fatalf("import: %+v (want no failure and no listed error; tmp/, blob and notes skipped)", res)
	}
	st, err := a.Stats(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	// Enron 2 (one duplicate), Maildir 2, Inbox 2 more (one duplicate),
	// team.mbox 2, the .txt archive's one message.
	if st.Documents != 9 || st.Indexed != 9 || st.Health["graph"].Status != StatusOK {
		t.Fatalf("stats: %+v", st)
	}

	d, err := a.store.Document(DefaultWorkspace, document.MessageDocID("18782981.1075855378110.JavaMail.evans@thyme"))
	if err != nil {
		t.Fatal(err)
	}
	if d.From != "Jeff Skilling <jeff.skilling@enron.com>" || len(d.To) != 1 || d.To[0] != "Kenneth Lay <kenneth.lay@enron.com>" {
		t.Errorf("Enron names not used: from %q to %q", d.From, d.To)
	}
	for q, want := range map[string]string{
		"from:jeff.skilling@enron.com power": "West desk numbers",
		"from:skilling agenda":               "Board meeting agenda",
		"harbour concert":                    "Tickets for Saturday",
		"ferry":                              "Ferry times",
		"lighthouse islands":                 "Lighthouse visit",
		"budget approved":                    "Budget",
		"noodles":                            "Lunch",
	} {
		hits := find(t, a, q)
		if len(hits) != 1 || hits[0].Title != want {
			t.Errorf("search %q: %d hits %+v, want only %q", q, len(hits), hits, want)
		}
	}
	if hits := find(t, a, "numeric2"); len(hits) != 1 || hits[0].Source != document.SourceEmail || hits[0].Title != "Numeric2" {
		t.Errorf("the .txt mailing-list archive was not read as mail: %+v", hits)
	}
	if hits := find(t, a, "walrus"); len(hits) != 0 {
		t.Errorf("a Maildir tmp/ message was imported: %+v", hits)
	}
	if hits := find(t, a, "lighthouse"); len(hits) == 1 && filepath.Base(hits[0].Path) != "Inbox" {
		t.Errorf("mbox message path = %q, want the mbox", hits[0].Path)
	}

	// Unchanged: nothing is read again and nothing doubles.
	res, err = a.Import(ctx, "", []string{dir}, nil)
	if err != nil || res.Imported+res.Updated != 0 {
		t.Fatalf("re-import: %+v, %v", res, err)
	}
	if n, _ := a.store.CountDocuments(DefaultWorkspace); n != 9 {
		t.Fatalf("store holds %d documents after re-import, want 9", n)
	}
}

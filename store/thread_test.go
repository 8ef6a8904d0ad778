package store

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
)

// A thread is walked up and down from any of its messages, oldest first,
// and a chain longer than MaxThread is cut at MaxThread messages.
func TestThreadWalk(t *testing.T) {
	s := openTest(t)
	t0 := time.Date(2024, 5, 6, 9, 0, 0, 0, time.UTC)
	mail := func(i int, replyTo int, refs ...int) document.Document {
		d := document.Document{ID: document.MessageDocID(fmt.Sprintf("m%d@example.org", i)), Source: document.SourceEmail,
			Title: fmt.Sprintf("message %d", i), MessageID: fmt.Sprintf("m%d@example.org", i), Date: t0.Add(time.Duration(i) * time.Minute)}
		if replyTo >= 0 {
			d.InReplyTo = fmt.Sprintf("m%d@example.org", replyTo)
		}
		for _, r := range refs {
			d.References = append(d.References, fmt.Sprintf("m%d@example.org", r))
		}
		return d
	}
	// 0 <- 1 <- 2, 0 <- 3; 9 stands alone. Put out of date order.
	docs := []document.Document{mail(3, 0, 0), mail(2, 1, 0, 1), mail(9, -1), mail(0, -1), mail(1, 0, 0)}
	if got := ParentIDs(&docs[1]); !slices.Equal(got, []string{docs[3].ID, docs[4].ID, docs[4].ID}) {
		t.Fatalf("ParentIDs of 2: %v (References oldest first, then In-Reply-To)", got)
	}
	if err := s.Apply("personal", Write{Put: docs}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReplies("personal", ReplyParents(docs)); err != nil {
		t.Fatal(err)
	}
	want := []string{docs[3].ID, docs[4].ID, docs[1].ID, docs[0].ID} // 0 1 2 3
	for _, from := range want {
		msgs, err := s.Thread(context.Background(), "personal", from)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range msgs {
			got = append(got, m.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("thread from %s: %v, want %v", from, got, want)
		}
	}
	if msgs, err := s.Thread(context.Background(), "personal", docs[2].ID); err != nil || len(msgs) != 1 {
		t.Errorf("a message alone: %d messages, %v", len(msgs), err)
	}

	// A chain of MaxThread+20 replies is read up to MaxThread messages.
	var chain []document.Document
	for i := 100; i < 100+MaxThread+20; i++ {
		parent := i - 1
		if i == 100 {
			parent = -1
		}
		chain = append(chain, mail(i, parent))
	}
	if err := s.Apply("personal", Write{Put: chain}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddReplies("personal", ReplyParents(chain)); err != nil {
		t.Fatal(err)
	}
	if msgs, err := s.Thread(context.Background(), "personal", chain[0].ID); err != nil || len(msgs) != MaxThread {
		t.Errorf("a chain of %d: %d messages, %v; want %d", len(chain), len(msgs), err, MaxThread)
	}
	if _, err := s.Thread(context.Background(), "personal", "missing"); err == nil {
		t.Error("the thread of a missing document did not fail")
	}
}

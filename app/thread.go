package app

import (
	"context"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/engram-app/engram/document"
)

// ThreadMessage is one message of a mail thread, as the reader lists it.
type ThreadMessage struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	From    string    `json:"from,omitempty"`
	Date    time.Time `json:"date"`
	Excerpt string    `json:"excerpt,omitempty"`
	// InReplyTo is the document ID of the message this one answers.
	InReplyTo string `json:"in_reply_to,omitempty"`
}

// maxThread bounds the messages one thread walk visits, so a hostile
// References header cannot make the reader load the whole store.
const maxThread = 500

// excerptRunes is the length of a thread message's excerpt.
const excerptRunes = 160

// Thread returns the whole conversation of document id, oldest first: the
// messages it replies to (In-Reply-To and References, walked up through
// their own parents), the replies to it and to every message found (walked
// down through the store's replies list), and the document itself. Only
// messages in the store are listed; a message that is not part of a
// conversation is a thread of one. At most maxThread messages are read.
func (a *App) Thread(ctx context.Context, ws, id string) ([]ThreadMessage, error) {
	if ws == "" {
		ws = a.cfg.Workspace
	}
	d, err := a.store.Document(ws, id)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{d.ID: true}
	msgs := []document.Document{d}
	up := parentIDs(&d)
	down := []string{d.ID}
	for (len(up) > 0 || len(down) > 0) && len(seen) < maxThread {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := up
		if len(down) > 0 {
			replies, err := a.store.Replies(ws, down, maxThread)
			if err != nil {
				return nil, err
			}
			for _, p := range down {
				batch = append(batch, replies[p]...)
			}
		}
		up, down = nil, nil
		var ids []string
		for _, pid := range batch {
			if pid != "" && !seen[pid] && len(seen) < maxThread {
				seen[pid] = true
				ids = append(ids, pid)
			}
		}
		if len(ids) == 0 {
			break
		}
		found, err := a.store.Documents(ws, ids)
		if err != nil {
			return nil, err
		}
		for i := range found {
			msgs = append(msgs, found[i])
			up = append(up, parentIDs(&found[i])...)
			down = append(down, found[i].ID)
		}
	}
	sort.SliceStable(msgs, func(i, j int) bool {
		if !msgs[i].Date.Equal(msgs[j].Date) {
			return msgs[i].Date.Before(msgs[j].Date)
		}
		return msgs[i].ID < msgs[j].ID
	})
	out := make([]ThreadMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, ThreadMessage{ID: m.ID, Title: m.Title, From: m.From, Date: m.Date, Excerpt: excerpt(m.Body, excerptRunes),
			InReplyTo: document.MessageDocID(m.InReplyTo)})
	}
	return out, nil
}

// replyParents maps each message of docs that replies to others to the
// document IDs of those (see parentIDs), for Store.AddReplies.
func replyParents(docs []document.Document) map[string][]string {
	out := map[string][]string{}
	for i := range docs {
		if ps := parentIDs(&docs[i]); len(ps) > 0 {
			out[docs[i].ID] = ps
		}
	}
	return out
}

// parentIDs returns the document IDs of the messages d replies to: its
// References, oldest first, then In-Reply-To.
func parentIDs(d *document.Document) []string {
	var ids []string
	for _, r := range d.References {
		if id := document.MessageDocID(r); id != "" {
			ids = append(ids, id)
		}
	}
	if id := document.MessageDocID(d.InReplyTo); id != "" {
		ids = append(ids, id)
	}
	return ids
}

// excerpt is the start of s with runs of white space collapsed, at most n
// runes, with an ellipsis when cut.
func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n])) + "…"
}

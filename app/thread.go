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
}

// maxThread bounds the messages one thread walk visits, so a hostile
// References header cannot make the reader load the whole store.
const maxThread = 500

// excerptRunes is the length of a thread message's excerpt.
const excerptRunes = 160

// Thread returns the messages of document id's thread that are in the
// store: the messages it replies to, found through In-Reply-To and the
// References list and walked up through their own parents, and the document
// itself, oldest first. A document that is not a reply is a thread of one.
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
	queue := parentIDs(&d)
	for len(queue) > 0 && len(seen) < maxThread {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var batch []string
		for _, pid := range queue {
			if pid != "" && !seen[pid] {
				seen[pid] = true
				batch = append(batch, pid)
			}
		}
		queue = nil
		if len(batch) == 0 {
			break
		}
		found, err := a.store.Documents(ws, batch)
		if err != nil {
			return nil, err
		}
		for i := range found {
			msgs = append(msgs, found[i])
			queue = append(queue, parentIDs(&found[i])...)
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
		out = append(out, ThreadMessage{ID: m.ID, Title: m.Title, From: m.From, Date: m.Date, Excerpt: excerpt(m.Body, excerptRunes)})
	}
	return out, nil
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

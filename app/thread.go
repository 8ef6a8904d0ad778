package app

import (
	"context"
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

// excerptRunes is the length of a thread message's excerpt.
const excerptRunes = 160

// Thread returns the whole conversation of document id, oldest first, as
// the reader lists it: the store walks it (store.Store.Thread: the messages
// it replies to, the replies to every message found, at most
// store.MaxThread).
func (a *App) Thread(ctx context.Context, ws, id string) ([]ThreadMessage, error) {
	if ws == "" {
		ws = a.cfg.Workspace
	}
	msgs, err := a.store.Thread(ctx, ws, id)
	if err != nil {
		return nil, err
	}
	out := make([]ThreadMessage, 0, len(msgs))
	for _, m := range msgs {
		out = append(out, ThreadMessage{ID: m.ID, Title: m.Title, From: m.From, Date: m.Date, Excerpt: excerpt(m.Body, excerptRunes),
			InReplyTo: document.MessageDocID(m.InReplyTo)})
	}
	return out, nil
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

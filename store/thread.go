package store

import (
	"context"
	"sort"

	"github.com/engram-app/engram/document"
)

// MaxThread bounds the messages one thread walk (Thread) visits, so a
// hostile References header cannot make a reader load the whole store.
const MaxThread = 500

// Thread returns the whole conversation of document id in workspace ws,
// oldest first (then by ID): the messages it replies to (In-Reply-To and
// References, walked up through their own parents), the replies to it and
// to every message found (walked down through the replies index,
// AddReplies), and the document itself. Only stored messages are listed; a
// message that is not part of a conversation is a thread of one. At most
// MaxThread messages are read.
func (s *Store) Thread(ctx context.Context, ws, id string) ([]document.Document, error) {
	d, err := s.Document(ws, id)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{d.ID: true}
	msgs := []document.Document{d}
	up := ParentIDs(&d)
	down := []string{d.ID}
	for (len(up) > 0 || len(down) > 0) && len(seen) < MaxThread {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		batch := up
		if len(down) > 0 {
			replies, err := s.Replies(ws, down, MaxThread)
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
			if pid != "" && !seen[pid] && len(seen) < MaxThread {
				seen[pid] = true
				ids = append(ids, pid)
			}
		}
		if len(ids) == 0 {
			break
		}
		found, err := s.Documents(ws, ids)
		if err != nil {
			return nil, err
		}
		for i := range found {
			msgs = append(msgs, found[i])
			up = append(up, ParentIDs(&found[i])...)
			down = append(down, found[i].ID)
		}
	}
	sort.SliceStable(msgs, func(i, j int) bool {
		if !msgs[i].Date.Equal(msgs[j].Date) {
			return msgs[i].Date.Before(msgs[j].Date)
		}
		return msgs[i].ID < msgs[j].ID
	})
	return msgs, nil
}

// ReplyParents maps each message of docs that replies to others to the
// document IDs of those (ParentIDs), as AddReplies takes them.
func ReplyParents(docs []document.Document) map[string][]string {
	out := map[string][]string{}
	for i := range docs {
		if ps := ParentIDs(&docs[i]); len(ps) > 0 {
			out[docs[i].ID] = ps
		}
	}
	return out
}

// ParentIDs returns the document IDs of the messages d replies to: its
// References, oldest first, then In-Reply-To.
func ParentIDs(d *document.Document) []string {
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

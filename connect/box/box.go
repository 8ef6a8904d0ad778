// Package box syncs a Box account through the Box API 2.0
// (https://developer.box.com/reference/): a walk of the folder tree
// (GET /2.0/folders/:id/items with marker paging), file contents
// (GET /2.0/files/:id/content) read by the import's parsers (PDF, DOCX,
// HTML, text, Markdown), then the events stream (GET /2.0/events from the
// stream position taken before the walk) for what changed. A trashed file
// is removed; a folder trashed, moved or restored makes the next step a
// walk that removes what is no longer there. The cursor (folders left to
// walk, marker, stream position) is saved after every page.
package box

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/engram-app/engram/connect/api"
	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// DefaultAPIBase is Box's API host.
const DefaultAPIBase = "https://api.box.com"

// Connector syncs one Box account.
type Connector struct {
	API     *api.Client
	Base    string
	Parsers *ingest.Registry
}

// Cursor is the sync's saved position.
type Cursor struct {
	Phase     string   `json:"phase"`            // "walk" or "events"
	Stack     []string `json:"stack,omitempty"`  // folders left to walk; the last is walked now
	Marker    string   `json:"marker,omitempty"` // page within it
	Stream    string   `json:"stream,omitempty"` // events stream position
	Reconcile bool     `json:"reconcile,omitempty"`
	Seen      []string `json:"seen,omitempty"` // file IDs met by a reconciling walk
}

func (c *Connector) url(path string, q url.Values) string {
	base := c.Base
	if base == "" {
		base = DefaultAPIBase
	}
	u := strings.TrimRight(base, "/") + "/2.0/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

// Account returns the user's login.
func (c *Connector) Account(ctx context.Context) (string, error) {
	var me struct {
		Login string `json:"login"`
	}
	if err := c.API.GetJSON(ctx, c.url("users/me", nil), &me); err != nil {
		return "", err
	}
	return me.Login, nil
}

const filePrefix = "https://app.box.com/file/"

type item struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Name       string `json:"name"`
	Size       int64  `json:"size"`
	SHA1       string `json:"sha1"`
	ModifiedAt string `json:"modified_at"`
	ItemStatus string `json:"item_status"`
}

// Sync walks the tree (first time, or to reconcile), then reads the events.
func (c *Connector) Sync(ctx context.Context, run api.Run) error {
	var cur Cursor
	if len(run.Cursor) > 0 {
		if err := json.Unmarshal(run.Cursor, &cur); err != nil {
			return fmt.Errorf("reading the Box cursor: %w", err)
		}
	}
	if cur.Phase == "" {
		var ev struct {
			Next json.Number `json:"next_stream_position"`
		}
		if err := c.API.GetJSON(ctx, c.url("events", url.Values{"stream_position": {"now"}}), &ev); err != nil {
			return err
		}
		cur = Cursor{Phase: "walk", Stack: []string{"0"}, Stream: ev.Next.String()}
		if err := run.Save(cur, api.Counts{}); err != nil {
			return err
		}
	}
	for {
		switch {
		case cur.Phase == "walk" && len(cur.Stack) > 0:
			if err := c.walkPage(ctx, run, &cur); err != nil {
				return err
			}
		case cur.Phase == "walk":
			if cur.Reconcile {
				if err := c.removeUnseen(ctx, run, &cur); err != nil {
					return err
				}
			}
			cur.Phase, cur.Reconcile, cur.Seen = "events", false, nil
			if err := run.Save(cur, api.Counts{}); err != nil {
				return err
			}
		default:
			done, err := c.eventsPage(ctx, run, &cur)
			if err != nil || done {
				return err
			}
		}
	}
}

func (c *Connector) walkPage(ctx context.Context, run api.Run, cur *Cursor) error {
	folder := cur.Stack[len(cur.Stack)-1]
	q := url.Values{"fields": {"type,id,name,size,sha1,modified_at"}, "limit": {"100"}, "usemarker": {"true"}}
	if cur.Marker != "" {
		q.Set("marker", cur.Marker)
	}
	var r struct {
		Entries    []item `json:"entries"`
		NextMarker string `json:"next_marker"`
	}
	err := c.API.GetJSON(ctx, c.url("folders/"+url.PathEscape(folder)+"/items", q), &r)
	if errors.Is(err, api.ErrNotFound) {
		r.Entries, r.NextMarker = nil, "" // gone while walking
	} else if err != nil {
		return err
	}
	var page api.Page
	var sub []string
	failed := 0
	for _, e := range r.Entries {
		switch e.Type {
		case "folder":
			sub = append(sub, e.ID)
		case "file":
			if cur.Reconcile {
				cur.Seen = append(cur.Seen, e.ID)
			}
			it, err := c.file(ctx, run, e)
			switch {
			case errors.Is(err, ingest.ErrSkipped) || errors.Is(err, ingest.ErrBadInput):
				failed++
			case err != nil:
				return err
			case it != nil:
				page.Items = append(page.Items, *it)
			}
		}
	}
	n, err := run.Commit(ctx, page)
	if err != nil {
		return err
	}
	n.Failed = failed
	cur.Marker = r.NextMarker
	if cur.Marker == "" {
		cur.Stack = cur.Stack[:len(cur.Stack)-1]
	}
	// Subfolders are walked after this folder's pages, in their order.
	for i := len(sub) - 1; i >= 0; i-- {
		if cur.Marker == "" {
			cur.Stack = append(cur.Stack, sub[i])
		} else {
			cur.Stack = append([]string{sub[i]}, cur.Stack...)
		}
	}
	if err := run.Save(cur, n); err != nil {
		return err
	}
	if run.Progress != nil {
		run.Progress(n)
	}
	return nil
}

// file reads a file's content through the parser of its extension; nil
// (no error) when it did not change since the last sync or no parser reads
// its kind.
func (c *Connector) file(ctx context.Context, run api.Run, e item) (*api.Item, error) {
	path := filePrefix + e.ID
	hash := e.SHA1
	if prev, ok, err := run.Sink.Known(path); err != nil {
		return nil, err
	} else if ok && hash != "" && prev.Hash == hash {
		return nil, nil
	}
	parser, _, ok := c.Parsers.Lookup(strings.ToLower(filepath.Ext(e.Name)))
	if !ok {
		return nil, nil
	}
	lim := run.Limits
	if lim.MaxFileBytes > 0 && e.Size > lim.MaxFileBytes {
		return nil, fmt.Errorf("%w: %s is larger than the file size limit", ingest.ErrSkipped, e.Name)
	}
	data, err := c.API.Get(ctx, c.url("files/"+url.PathEscape(e.ID)+"/content", nil))
	if errors.Is(err, api.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	mod, _ := time.Parse(time.RFC3339, e.ModifiedAt)
	// The parser sees the file's name, so titles and kinds come out as
	// for a local file; the location is the file's Box address.
	it, err := api.Parse(ctx, parser, "/box/"+e.ID+"/"+e.Name, data, mod, lim, e.SHA1)
	if err != nil {
		return nil, err
	}
	it.Path = path
	if hash != "" {
		it.Hash = hash
	}
	for i := range it.Docs {
		d := &it.Docs[i]
		d.Path = path
		if d.Meta == nil {
			d.Meta = map[string]string{}
		}
		d.Meta["connector"] = "box"
		d.Meta["box_id"] = e.ID
		d.Meta["file_name"] = e.Name
		// IDs from the Box address, so a rename updates in place.
		loc := path
		if len(it.Docs) > 1 {
			loc = fmt.Sprintf("%s#%d", path, i)
		}
		d.ID = document.IDFor(loc)
	}
	return &it, nil
}

func (c *Connector) removeUnseen(ctx context.Context, run api.Run, cur *Cursor) error {
	seen := map[string]bool{}
	for _, id := range cur.Seen {
		seen[filePrefix+id] = true
	}
	known, err := run.Sink.KnownUnder(filePrefix)
	if err != nil {
		return err
	}
	var page api.Page
	for _, k := range known {
		if !seen[k.Path] {
			page.Removed = append(page.Removed, k.Path)
		}
	}
	n, err := run.Commit(ctx, page)
	if err != nil {
		return err
	}
	return run.Save(cur, n)
}

type event struct {
	EventType string `json:"event_type"`
	Source    *item  `json:"source"`
}

func (c *Connector) eventsPage(ctx context.Context, run api.Run, cur *Cursor) (bool, error) {
	var r struct {
		ChunkSize int         `json:"chunk_size"`
		Next      json.Number `json:"next_stream_position"`
		Entries   []event     `json:"entries"`
	}
	q := url.Values{"stream_position": {cur.Stream}, "stream_type": {"changes"}, "limit": {"500"}}
	if err := c.API.GetJSON(ctx, c.url("events", q), &r); err != nil {
		return false, err
	}
	var page api.Page
	failed := 0
	walk := false
	for _, e := range r.Entries {
		s := e.Source
		if s == nil {
			continue
		}
		if s.Type == "folder" {
			switch e.EventType {
			case "ITEM_TRASH", "ITEM_MOVE", "ITEM_UNDELETE_VIA_TRASH", "ITEM_COPY":
				walk = true
			}
			continue
		}
		if s.Type != "file" {
			continue
		}
		switch e.EventType {
		case "ITEM_TRASH":
			page.Removed = append(page.Removed, filePrefix+s.ID)
		case "ITEM_UPLOAD", "ITEM_CREATE", "ITEM_UNDELETE_VIA_TRASH", "ITEM_RENAME", "ITEM_MOVE", "ITEM_COPY":
			if s.ItemStatus == "trashed" || s.ItemStatus == "deleted" {
				page.Removed = append(page.Removed, filePrefix+s.ID)
				continue
			}
			it, err := c.file(ctx, run, *s)
			switch {
			case errors.Is(err, ingest.ErrSkipped) || errors.Is(err, ingest.ErrBadInput):
				failed++
			case err != nil:
				return false, err
			case it != nil:
				page.Items = append(page.Items, *it)
			}
		}
	}
	n, err := run.Commit(ctx, page)
	if err != nil {
		return false, err
	}
	n.Failed = failed
	if r.Next.String() != "" {
		cur.Stream = r.Next.String()
	}
	done := r.ChunkSize == 0 || len(r.Entries) == 0
	if walk {
		cur.Phase, cur.Stack, cur.Marker, cur.Reconcile, cur.Seen = "walk", []string{"0"}, "", true, nil
		done = false
	}
	if err := run.Save(cur, n); err != nil {
		return false, err
	}
	if run.Progress != nil {
		run.Progress(n)
	}
	return done, nil
}

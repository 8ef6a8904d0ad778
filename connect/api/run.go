package api

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Run is what one sync of a connector gets: where the documents go (the
// same sink as an import: store, index and graph), the cursor the last run
// saved, and a way to save the next one after every page.
type Run struct {
	Sink ingest.Sink
	// Cursor is the JSON the connector saved last (nil the first time).
	Cursor json.RawMessage
	// Save persists the cursor and adds the page's counts; it is called
	// after the page's documents were committed, so a run killed at any
	// point starts again from a page whose documents may be written twice
	// in place (same IDs), never skipped.
	Save func(cursor any, page Counts) error
	// Progress, if not nil, is told about every page.
	Progress func(Counts)
	Limits   ingest.Limits
}

// Counts are what a page or a run changed.
type Counts struct {
	Added   int `json:"added"`
	Updated int `json:"updated"`
	Removed int `json:"removed"`
	Failed  int `json:"failed"`
}

// Add sums counts.
func (c *Counts) Add(o Counts) {
	c.Added += o.Added
	c.Updated += o.Updated
	c.Removed += o.Removed
	c.Failed += o.Failed
}

// Item is one remote item read into documents: its location (a URL, which
// is also its file record's key) and what it parsed to.
type Item struct {
	Path    string
	Docs    []document.Document
	Hash    string
	ModTime time.Time
	Size    int64
}

// Page is what one page of a sync changed.
type Page struct {
	Items   []Item
	Removed []string // locations of items deleted remotely
}

// Commit writes a page through the sink (documents, then index and graph,
// then the file records) and returns its counts. Items already known count
// as updated; removed locations never synced are ignored.
func (r Run) Commit(ctx context.Context, p Page) (Counts, error) {
	var b ingest.Batch
	var n Counts
	for _, it := range p.Items {
		prev, known, err := r.Sink.Known(it.Path)
		if err != nil {
			return n, err
		}
		if known && prev.Hash == it.Hash {
			continue
		}
		st := ingest.FileState{Path: it.Path, Hash: it.Hash, ModTime: it.ModTime, Size: it.Size}
		for _, d := range it.Docs {
			st.DocIDs = append(st.DocIDs, d.ID)
		}
		if known {
			n.Updated += len(it.Docs)
		} else {
			n.Added += len(it.Docs)
		}
		b.Docs = append(b.Docs, it.Docs...)
		b.Files = append(b.Files, st)
	}
	for _, path := range p.Removed {
		prev, known, err := r.Sink.Known(path)
		if err != nil {
			return n, err
		}
		if !known {
			continue
		}
		n.Removed += len(prev.DocIDs)
		b.Removed = append(b.Removed, prev)
	}
	if len(b.Docs) == 0 && len(b.Files) == 0 && len(b.Removed) == 0 {
		return n, nil
	}
	if err := r.Sink.Commit(context.WithoutCancel(ctx), b); err != nil {
		return Counts{}, err
	}
	return n, nil
}

// Parse reads one remote item with a parser of the import registry and
// fills in what the pipeline fills for files: ID (from the location),
// Path, ModTime, Size, ContentHash, Date and Title. hashExtra is mixed into
// the content hash (Gmail's labels), so a change there updates the
// documents.
func Parse(ctx context.Context, p ingest.Parser, path string, data []byte, mod time.Time, lim ingest.Limits, hashExtra string) (Item, error) {
	docs, err := safeParse(ctx, p, ingest.File{Path: path, Data: data, ModTime: mod, Size: int64(len(data))}, lim)
	if err != nil {
		return Item{}, err
	}
	hash := document.HashContent(append([]byte(hashExtra+"\x00"), data...))
	for i := range docs {
		d := &docs[i]
		if d.ID == "" {
			loc := path
			if len(docs) > 1 {
				loc = fmt.Sprintf("%s#%d", path, i)
			}
			d.ID = document.IDFor(loc)
		}
		if d.Path == "" {
			d.Path = path
		}
		if d.ModTime.IsZero() {
			d.ModTime = mod
		}
		if d.Size == 0 {
			d.Size = int64(len(data))
		}
		d.ContentHash = hash
		if d.Date.IsZero() {
			d.Date = mod
		}
	}
	if len(docs) == 0 {
		return Item{}, fmt.Errorf("%w: no content found", ingest.ErrSkipped)
	}
	return Item{Path: path, Docs: docs, Hash: hash, ModTime: mod, Size: int64(len(data))}, nil
}

func safeParse(ctx context.Context, p ingest.Parser, f ingest.File, lim ingest.Limits) (docs []document.Document, err error) {
	defer func() {
		if v := recover(); v != nil {
			docs, err = nil, fmt.Errorf("%w: parser crashed on %s (%v)", ingest.ErrBadInput, f.Path, v)
		}
	}()
	return p.Parse(ctx, f, lim)
}

package embed

import (
	"context"
	"fmt"

	"github.com/engram-app/engram/document"
)

// Cache is the persistent store of vectors by model and content hash
// (package store implements it per workspace, in bbolt).
type Cache interface {
	// Vectors returns the cached vector of each hash, nil for a miss.
	Vectors(model string, hashes []string) ([][]float32, error)
	// PutVectors stores vectors under their hashes.
	PutVectors(model string, hashes []string, vecs [][]float32) error
}

// Cached returns a vector for each text, with hashes[i] = HashText(texts[i]):
// from the cache when it holds one, else from the endpoint (each distinct
// text once), stored in the cache before returning. sent counts the texts
// sent to the endpoint.
func Cached(ctx context.Context, c *Client, cache Cache, texts, hashes []string) (vecs [][]float32, sent int, err error) {
	vecs, err = cache.Vectors(c.Model(), hashes)
	if err != nil {
		return nil, 0, fmt.Errorf("reading the vector cache: %w", err)
	}
	var missText, missHash []string
	first := map[string]int{} // hash -> index in miss
	for i, v := range vecs {
		if v != nil {
			continue
		}
		if _, ok := first[hashes[i]]; !ok {
			first[hashes[i]] = len(missText)
			missText = append(missText, texts[i])
			missHash = append(missHash, hashes[i])
		}
	}
	if len(missText) == 0 {
		return vecs, 0, nil
	}
	got, err := c.Embed(ctx, missText)
	if err != nil {
		return nil, 0, err
	}
	if err := cache.PutVectors(c.Model(), missHash, got); err != nil {
		return nil, 0, fmt.Errorf("writing the vector cache: %w", err)
	}
	for i, v := range vecs {
		if v == nil {
			vecs[i] = got[first[hashes[i]]]
		}
	}
	return vecs, len(missText), nil
}

// QueueItem is a document waiting to be embedded (or, when it is no longer
// stored, to have its vectors dropped). Tag changes each time the document
// is queued again, so finishing an older turn does not dequeue a newer one.
type QueueItem struct {
	ID  string
	Tag uint64
}

// DocChunks records which chunks a document has under a model; no Hashes
// means the document is gone.
type DocChunks struct {
	ID     string
	Hashes []string
}

// Queue is a workspace's embedding work, as the store keeps it.
type Queue interface {
	// Next returns up to n queued documents, in a stable order.
	Next(n int) ([]QueueItem, error)
	// Pending counts the queued documents.
	Pending() (int, error)
	// Documents returns the documents of ids that are still stored.
	Documents(ids []string) ([]document.Document, error)
	// Done records docs' chunks under model and dequeues items (those not
	// queued again since), in one transaction.
	Done(model string, docs []DocChunks, items []QueueItem) error
}

// Index receives the vectors (a workspace's vector index).
type Index interface {
	Put(doc string, vecs [][]float32) error
	Delete(doc string)
}

// Progress is how far a Worker got: documents taken from the queue of
// Total (the queue's length when it started, plus what was queued since),
// chunks handled, and texts sent to the endpoint (the rest came from the
// cache).
type Progress struct {
	Done   int `json:"done"`
	Total  int `json:"total"`
	Chunks int `json:"chunks"`
	Sent   int `json:"sent"`
}

// Worker drains a queue: it chunks each queued document, gets the chunks'
// vectors through the cache, records them, and hands them to the index; a
// document no longer stored has its vectors dropped. It is resumable: the
// queue and the vectors are persistent, and a document leaves the queue
// only with its chunks recorded.
type Worker struct {
	Client *Client
	Cache  Cache
	Queue  Queue
	Index  Index
	Chunk  ChunkOptions
	// Batch is how many documents are handled per step, 1 to 256; zero
	// means 16.
	Batch int
	// Progress, if not nil, is called after each step.
	Progress func(Progress)
}

// Run drains the queue and returns nil once it is empty, ctx.Err() when
// cancelled between steps (nothing half-done is recorded), or the
// endpoint's error (wrapping ErrUnavailable or ErrBadResponse), leaving the
// rest queued for the next run.
func (w *Worker) Run(ctx context.Context) error {
	batch := clamp(w.Batch, 16, 1, 256)
	var p Progress
	n, err := w.Queue.Pending()
	if err != nil {
		return err
	}
	p.Total = n
	for step := 1; ; step++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		items, err := w.Queue.Next(batch)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		if err := w.step(ctx, items, &p); err != nil {
			return err
		}
		if step%64 == 0 || p.Done >= p.Total { // counting costs a walk of the queue
			if left, err := w.Queue.Pending(); err == nil && p.Done+left > p.Total {
				p.Total = p.Done + left
			}
		}
		if w.Progress != nil {
			w.Progress(p)
		}
	}
}

func (w *Worker) step(ctx context.Context, items []QueueItem, p *Progress) error {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	docs, err := w.Queue.Documents(ids)
	if err != nil {
		return err
	}
	stored := make(map[string]*document.Document, len(docs))
	for i := range docs {
		stored[docs[i].ID] = &docs[i]
	}
	var texts, hashes []string
	records := make([]DocChunks, 0, len(items))
	spans := make([][2]int, 0, len(items))
	for _, it := range items {
		d, ok := stored[it.ID]
		if !ok {
			records = append(records, DocChunks{ID: it.ID})
			spans = append(spans, [2]int{})
			continue
		}
		cs := Chunks(d, w.Chunk)
		start := len(texts)
		rec := DocChunks{ID: it.ID, Hashes: make([]string, len(cs))}
		for i, c := range cs {
			texts = append(texts, c.Text)
			hashes = append(hashes, c.Hash)
			rec.Hashes[i] = c.Hash
		}
		records = append(records, rec)
		spans = append(spans, [2]int{start, len(texts)})
	}
	var vecs [][]float32
	if len(texts) > 0 {
		var sent int
		vecs, sent, err = Cached(ctx, w.Client, w.Cache, texts, hashes)
		if err != nil {
			return err
		}
		p.Sent += sent
		p.Chunks += len(texts)
	}
	if err := w.Queue.Done(w.Client.Model(), records, items); err != nil {
		return err
	}
	for i, r := range records {
		if len(r.Hashes) == 0 {
			w.Index.Delete(r.ID)
			continue
		}
		if err := w.Index.Put(r.ID, vecs[spans[i][0]:spans[i][1]]); err != nil {
			return err
		}
	}
	p.Done += len(items)
	return nil
}

package ingest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/engram-app/engram/document"
)

// StreamParser is a Parser that can read a file of any size from an
// io.Reader, yielding its documents one at a time, and resume inside it
// (an mbox, by the byte offset of a message). The pipeline prefers it to
// Parse: such a file is not held in memory and is not bound by
// Limits.MaxFileBytes (which bounds each document instead), and an import
// killed inside it resumes at its last checkpoint.
type StreamParser interface {
	Parser
	// ParseStream yields the documents of f.R, which starts at byte
	// f.Offset of the file; each Item says where the input after it starts,
	// so that reading can resume there. An error ends the sequence: one
	// wrapping ErrBadInput when the file is not of the parser's kind, or
	// ctx.Err().
	ParseStream(ctx context.Context, f StreamFile, lim Limits) iter.Seq2[Item, error]
}

// StreamFile is a file handed to a StreamParser, from Offset on.
type StreamFile struct {
	Path    string
	R       io.Reader
	Offset  int64 // where R starts in the file
	Count   int   // items the file yielded before Offset
	ModTime time.Time
	Size    int64
}

// Item is one document of a stream, or a note about the file.
type Item struct {
	Doc   document.Document
	End   int64 // byte offset just after this item's input: a resume point
	Count int   // items read up to End
	// Note, when set, is a limit that cut the file (no Doc): "the mbox has
	// more than N messages; the rest were not imported".
	Note string
}

// MetaCut is the Meta key in which a parser says that a limit cut a
// document's input (its size, its parts, its depth). The pipeline lists it
// on the file in the job, so no cut is silent.
const MetaCut = "cut"

// streamChunk is how many documents of a streamed file go to the committer
// at once, at most; streamChunkBytes bounds their text.
const (
	streamChunk      = 256
	streamChunkBytes = 16 << 20
)

// streamOne imports a file with a StreamParser: it resumes at the
// checkpoint of an interrupted import of the same file (same size and
// mtime), skips a file whose content did not change, and hands the
// documents over in chunks through emit, each with a checkpoint, before it
// returns the last chunk with the final file state.
func (p *Pipeline) streamOne(ctx context.Context, r parsed, sp StreamParser, info os.FileInfo, prev FileState, lim Limits, emit func(parsed)) parsed {
	path := r.path
	unchanged := prev.Size == info.Size() && prev.ModTime.Equal(info.ModTime())
	resume := r.existed && prev.Offset > 0 && unchanged
	r.existed = r.existed && prev.Offset == 0
	if r.existed && unchanged {
		r.skipped = true
		return r
	}
	if info.Size() == 0 {
		r.err = fmt.Errorf("%w: empty file", ErrSkipped)
		return r
	}
	f, err := os.Open(path)
	if err != nil {
		r.err = fmt.Errorf("%w: %v", ErrBadInput, err)
		return r
	}
	defer f.Close()
	h := sha256.New()
	if r.existed && prev.Hash != "" {
		// Touched: the same content needs no parsing.
		if _, err := io.Copy(h, f); err != nil {
			r.err = fmt.Errorf("%w: %v", ErrBadInput, err)
			return r
		}
		if sum := hashString(h); sum == prev.Hash {
			r.state = prev
			r.state.Hash, r.state.ModTime, r.state.Size, r.state.Offset, r.state.Count = sum, info.ModTime(), info.Size(), 0, 0
			r.skipped = true
			return r
		}
		h.Reset()
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			r.err = fmt.Errorf("%w: %v", ErrBadInput, err)
			return r
		}
	}
	sf := StreamFile{Path: path, ModTime: info.ModTime(), Size: info.Size()}
	// The sink lists the file's documents as they come (FileState.Streamed):
	// this import is a new generation of the list, unless it resumes one.
	gen := prev.Gen + 1
	if resume {
		gen = prev.Gen
		// The content hash covers the whole file: read what came before.
		if _, err := io.CopyN(h, f, prev.Offset); err != nil {
			r.err = fmt.Errorf("%w: %v", ErrBadInput, err)
			return r
		}
		sf.Offset, sf.Count = prev.Offset, prev.Count
	}
	sf.R = bufio.NewReaderSize(io.TeeReader(f, h), 256<<10)
	var (
		chunk      []document.Document
		ids        []string // of the chunk
		chunkBytes int
		notes      []string
		last       Item
		gotDocs    = resume && prev.Docs > 0
	)
	state := func() FileState {
		return FileState{Path: path, DocIDs: ids, ModTime: info.ModTime(), Size: info.Size(), Offset: last.End, Count: last.Count, Streamed: true, Gen: gen}
	}
	for it, err := range safeStream(ctx, sp, sf, lim) {
		if err != nil {
			if ctx.Err() != nil {
				r.skipped, r.state = true, FileState{} // resumes at the last checkpoint
				return r
			}
			if !errors.Is(err, ErrBadInput) && !errors.Is(err, ErrSkipped) {
				err = fmt.Errorf("%w: %v", ErrBadInput, err)
			}
			if !gotDocs {
				r.err = err
				return r
			}
			notes = append(notes, "reading stopped: "+err.Error())
			break
		}
		if it.Note != "" {
			notes = append(notes, it.Note)
			continue
		}
		last = it
		d := it.Doc
		if d.ID == "" {
			d.ID = document.IDFor(path + "#" + strconv.Itoa(it.Count-1))
		}
		fillDoc(&d, path, info, "")
		ids = append(ids, d.ID)
		chunk = append(chunk, d)
		chunkBytes += len(d.Body)
		gotDocs = true
		if len(chunk) >= streamChunk || chunkBytes >= streamChunkBytes {
			// Every chunk is a checkpoint: it adds the chunk's documents
			// to the sink's list and says where reading resumes, so its
			// cost is the chunk's whatever the file's size.
			emit(parsed{path: path, docs: chunk, state: state(), existed: r.existed, partial: true})
			chunk, ids, chunkBytes = nil, nil, 0
		}
	}
	if !gotDocs {
		r.err = fmt.Errorf("%w: no content found", ErrSkipped)
		return r
	}
	// A parser that stopped at a limit left the rest unread: the content
	// hash still covers the whole file.
	if _, err := io.Copy(io.Discard, sf.R); err != nil {
		r.err = fmt.Errorf("%w: %v", ErrBadInput, err)
		return r
	}
	r.docs = chunk
	r.state = state()
	r.state.Offset, r.state.Count, r.state.Hash = 0, 0, hashString(h)
	r.notes = notes
	return r
}

// fillDoc fills in what a parser left empty (see Parser), except the ID.
func fillDoc(d *document.Document, path string, info os.FileInfo, hash string) {
	if d.Path == "" {
		d.Path = path
	}
	if d.ModTime.IsZero() {
		d.ModTime = info.ModTime()
	}
	if d.Size == 0 {
		d.Size = info.Size()
	}
	if d.ContentHash == "" {
		d.ContentHash = hash
	}
	if d.Date.IsZero() && d.Source != document.SourceEmail {
		d.Date = info.ModTime() // a message without a readable date has none
	}
	if d.Title == "" {
		d.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
}

func hashString(h hash.Hash) string { return hex.EncodeToString(h.Sum(nil)[:16]) }

// safeStream runs a stream parser and turns a panic into an ErrBadInput
// that ends the sequence.
func safeStream(ctx context.Context, sp StreamParser, f StreamFile, lim Limits) iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		stopped := false
		defer func() {
			if v := recover(); v != nil && !stopped {
				yield(Item{}, fmt.Errorf("%w: parser crashed on this file (%v); please report it", ErrBadInput, v))
			}
		}()
		for it, err := range sp.ParseStream(ctx, f, lim) {
			if !yield(it, err) {
				stopped = true
				return
			}
		}
	}
}

// cutNotes lists the limits that cut a file's documents (Meta[MetaCut])
// and the file notes, at most a few, for the job.
func cutNotes(docs []document.Document, notes []string) []string {
	const most = 5
	out := append([]string(nil), notes...)
	more := 0
	for i := range docs {
		c := docs[i].Meta[MetaCut]
		if c == "" {
			continue
		}
		if len(out) >= most {
			more++
			continue
		}
		out = append(out, c)
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("and %d more documents cut", more))
	}
	return out
}

func joinNotes(notes []string) string { return strings.Join(notes, "; ") }

// takeChunk adds a partial chunk of a streamed file to the batch, with its
// checkpoint, and flushes the batch when it is full.
func takeChunk(prog *Progress, batch *Batch, r parsed, batchSize int, flush func() error) error {
	prog.Current = r.path
	// Counted on the batch: the committer adds them to the progress once
	// the batch is committed, so the counts are what the store holds.
	if r.existed {
		batch.updated += len(r.docs)
	} else {
		batch.imported += len(r.docs)
	}
	batch.Docs = append(batch.Docs, r.docs...)
	if r.state.Path != "" {
		batch.Files = append(batch.Files, r.state)
	}
	if len(batch.Docs) >= batchSize || len(batch.Files) >= 4*batchSize {
		return flush()
	}
	return nil
}

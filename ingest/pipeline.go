package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/engram-app/engram/document"
)

// FileState is what the sink remembers of a file it took, so the next run
// can tell whether the file changed.
type FileState struct {
	Path    string
	DocIDs  []string
	Hash    string
	ModTime time.Time
	Size    int64
	// Offset and Count are a checkpoint inside a streamed file (see
	// StreamParser): where to resume and how many items came before.
	// Both are zero once the whole file is read.
	Offset int64
	Count  int
	// Streamed says the sink keeps the file's document list itself (see
	// StreamParser): DocIDs are then the documents added since the last
	// checkpoint, never all, so a checkpoint's size is bounded whatever
	// the file's. Gen counts the file's imports (a resume keeps it): the
	// state of the whole file (Offset 0) drops the documents that only an
	// earlier import listed. Docs is how many documents the sink lists.
	Streamed bool
	Gen      uint32
	Docs     int
}

// DocCount is how many documents the file gave.
func (f FileState) DocCount() int {
	if f.Streamed {
		return f.Docs
	}
	return len(f.DocIDs)
}

// Batch is one unit of work handed to the Sink: documents to put, the file
// states that produced them, and files that disappeared from a source.
type Batch struct {
	Docs    []document.Document
	Files   []FileState
	Removed []FileState

	// imported and updated count the documents of new and of changed
	// files in Docs: they join the run's counts only once Commit succeeded,
	// so the counts say what the store holds.
	imported, updated int
}

// Sink receives what the pipeline read. The container implements it over the
// store, the index and the graph.
type Sink interface {
	// Known returns the state recorded for a path at the last import.
	Known(path string) (FileState, bool, error)
	// KnownUnder lists the recorded files below a source root, so that files
	// which disappeared can be removed.
	KnownUnder(root string) ([]FileState, error)
	// Commit writes one batch durably (store first, then derived data).
	Commit(ctx context.Context, b Batch) error
}

// StagedSink is a Sink whose Commit comes in two stages, so that the store
// write of one batch runs while the derived data of the one before it is
// written. Stage writes what a later batch's Stage reads (the documents)
// and returns the rest of the commit (derived data, then the checkpoint);
// the pipeline calls those in the order of the batches, one at a time.
// A batch that may remove or replace documents (a changed or removed file,
// a chunk of a mailbox being read) is staged only after every earlier
// batch is finished, since which documents it orphans depends on their
// checkpoints.
type StagedSink interface {
	Sink
	Stage(ctx context.Context, b Batch) (finish func() error, err error)
}

// overlaps reports whether b may be staged before the batches before it are
// finished: it only adds documents of files no earlier run recorded.
func (b *Batch) overlaps() bool {
	if len(b.Removed) > 0 || b.updated > 0 {
		return false
	}
	for _, f := range b.Files {
		if f.Streamed || f.Offset > 0 {
			return false
		}
	}
	return true
}

// Progress is a snapshot of a running import.
type Progress struct {
	Total    int // files found so far (final once Walking is false)
	Done     int // files handled
	Imported int // new documents committed to the sink
	Updated  int // documents whose file changed, committed to the sink
	Skipped  int // unchanged, empty, too large or excluded files
	Failed   int // files that could not be read as their kind
	Removed  int // documents whose file disappeared
	Current  string
	Walking  bool
	Started  time.Time
	Errors   []ItemError
}

// Rate returns files handled per second so far.
func (p Progress) Rate() float64 {
	el := time.Since(p.Started).Seconds()
	if el <= 0 {
		return 0
	}
	return float64(p.Done) / el
}

// ETA estimates the time left, or 0 when it cannot be told yet.
func (p Progress) ETA() time.Duration {
	r := p.Rate()
	if r <= 0 || p.Walking || p.Total <= p.Done {
		return 0
	}
	return time.Duration(float64(p.Total-p.Done) / r * float64(time.Second))
}

// ItemError is one file that was skipped with a reason or failed.
type ItemError struct {
	Path   string `json:"path"`
	Error  string `json:"error"`
	Failed bool   `json:"-"` // false: skipped with a reason
}

// Options configure one import run.
type Options struct {
	Paths     []string // files or folders
	Excludes  []string // glob patterns matched against base names and relative paths
	Limits    Limits
	BatchSize int              // documents per Commit; default 500
	Workers   int              // parsing goroutines; default GOMAXPROCS
	Progress  func(Progress)   // called often; throttle in the caller
	Clock     func() time.Time // for tests; default time.Now
}

// Pipeline reads sources with the registered parsers and hands batches to a
// sink. One Pipeline serves every import; it holds no per-run state.
type Pipeline struct {
	reg *Registry
}

// NewPipeline returns a pipeline over the registry.
func NewPipeline(reg *Registry) *Pipeline { return &Pipeline{reg: reg} }

// Registry returns the pipeline's parser registry.
func (p *Pipeline) Registry() *Registry { return p.reg }

type parsed struct {
	path    string
	docs    []document.Document
	state   FileState
	existed bool
	skipped bool // unchanged or deliberately skipped
	err     error
	// A streamed file comes in chunks: partial ones carry a checkpoint,
	// and the reader waits on ack until its chunk is taken (which bounds
	// memory). notes are the limits that cut the file.
	partial bool
	ack     chan struct{}
	notes   []string
}

// Run imports the sources. It returns the final progress; ctx cancellation
// stops it between files, after committing what was already parsed, and is
// reported as ctx.Err(). An error of the sink stops the run and is returned.
func (p *Pipeline) Run(ctx context.Context, sink Sink, opts Options) (Progress, error) {
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.Limits.MaxFileBytes <= 0 {
		opts.Limits = DefaultLimits()
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	prog := Progress{Started: opts.Clock(), Walking: true}
	report := func() {
		if opts.Progress != nil {
			opts.Progress(prog)
		}
	}

	roots := make([]string, 0, len(opts.Paths))
	for _, raw := range opts.Paths {
		abs, err := filepath.Abs(raw)
		if err != nil {
			return prog, fmt.Errorf("resolving %s: %w", raw, err)
		}
		if _, err := os.Stat(abs); err != nil {
			return prog, fmt.Errorf("reading %s: %w; check the path", raw, err)
		}
		roots = append(roots, abs)
	}

	paths := make(chan string, 256)
	results := make(chan parsed, 256)
	walkErr := make(chan error, 1)
	seen := map[string]bool{}
	var seenMu sync.Mutex
	go func() {
		defer close(paths)
		for _, root := range roots {
			err := walk(ctx, root, opts.Excludes, func(path string) {
				seenMu.Lock()
				seen[path] = true
				seenMu.Unlock()
				select {
				case paths <- path:
				case <-ctx.Done():
				}
			})
			if err != nil {
				walkErr <- err
				return
			}
		}
		walkErr <- nil
	}()

	var wg sync.WaitGroup
	for range opts.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range paths {
				if ctx.Err() != nil {
					continue
				}
				results <- p.parseOne(ctx, sink, path, opts.Limits, func(c parsed) {
					c.ack = make(chan struct{})
					results <- c
					<-c.ack
				})
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	// Batches already read are committed even when ctx is cancelled, so a
	// cancelled import leaves store, index and graph in agreement.
	com := startCommitter(context.WithoutCancel(ctx), sink)
	var batch Batch
	flush := func() error {
		if len(batch.Docs) == 0 && len(batch.Files) == 0 && len(batch.Removed) == 0 {
			return nil
		}
		err := com.send(batch)
		batch = Batch{}
		return err
	}
	var sinkErr error
	found := 0
	for r := range results {
		if sinkErr != nil || (isCancel(r.err) && ctx.Err() != nil) {
			// drain; a file whose read was cancelled is not handled
			if r.ack != nil {
				close(r.ack)
			}
			continue
		}
		if r.partial {
			sinkErr = takeChunk(&prog, &batch, r, opts.BatchSize, flush)
			close(r.ack)
			// Inside a big mailbox the counts move as its chunks commit.
			prog.Imported, prog.Updated = com.counts()
			report()
			continue
		}
		found++
		prog.Done++
		prog.Current = r.path
		if notes := cutNotes(r.docs, r.notes); len(notes) > 0 && r.err == nil {
			prog.Errors = append(prog.Errors, ItemError{Path: r.path, Error: "imported, but cut at a limit: " + joinNotes(notes)})
		}
		switch {
		case errors.Is(r.err, ErrUnsupported):
			prog.Skipped++
		case errors.Is(r.err, ErrSkipped):
			prog.Skipped++
			prog.Errors = append(prog.Errors, ItemError{Path: r.path, Error: r.err.Error()})
		case r.err != nil:
			prog.Failed++
			prog.Errors = append(prog.Errors, ItemError{Path: r.path, Error: r.err.Error(), Failed: true})
		case r.skipped:
			prog.Skipped++
			if r.state.Hash != "" { // touched but same content: refresh mtime
				batch.Files = append(batch.Files, r.state)
			}
		default:
			if r.existed {
				batch.updated += len(r.docs)
			} else {
				batch.imported += len(r.docs)
			}
			batch.Docs = append(batch.Docs, r.docs...)
			batch.Files = append(batch.Files, r.state)
		}
		seenMu.Lock()
		prog.Total = len(seen)
		seenMu.Unlock()
		if len(batch.Docs) >= opts.BatchSize || len(batch.Files) >= 4*opts.BatchSize {
			sinkErr = flush()
		}
		prog.Imported, prog.Updated = com.counts()
		report()
	}
	if err := <-walkErr; err != nil && sinkErr == nil && ctx.Err() == nil {
		sinkErr = err
	}
	prog.Walking = false
	prog.Total = found
	if sinkErr == nil {
		sinkErr = flush()
	}
	if err := com.wait(); sinkErr == nil {
		sinkErr = err
	}
	prog.Imported, prog.Updated = com.counts()
	if sinkErr != nil {
		return prog, sinkErr
	}
	if err := ctx.Err(); err != nil {
		report()
		return prog, err
	}
	// Files recorded under a root but no longer there are removed.
	for _, root := range roots {
		prefix := root
		if info, err := os.Stat(root); err == nil && info.IsDir() {
			prefix = strings.TrimSuffix(root, string(filepath.Separator)) + string(filepath.Separator)
		}
		known, err := sink.KnownUnder(prefix)
		if err != nil {
			return prog, err
		}
		for _, k := range known {
			if !seen[k.Path] && (prefix != root || k.Path == root) {
				batch.Removed = append(batch.Removed, k)
			}
		}
	}
	if len(batch.Removed) > 0 {
		if err := sink.Commit(ctx, batch); err != nil {
			return prog, err
		}
		for _, k := range batch.Removed {
			prog.Removed += k.DocCount()
		}
	}
	report()
	return prog, nil
}

// committer commits batches on its own goroutine, so the next batch is
// parsed while one is written. At most one batch waits, which bounds memory
// (with a StagedSink, already stored).
type committer struct {
	ch    chan Batch
	early chan error // the first error, as soon as it happens
	done  chan error // once nothing runs any more: the first error or nil
	err   error      // the error that stopped it, once seen

	imported, updated atomic.Int64 // documents of the batches committed
}

// counts returns the documents committed so far, new and updated.
func (c *committer) counts() (imported, updated int) {
	return int(c.imported.Load()), int(c.updated.Load())
}

func startCommitter(ctx context.Context, sink Sink) *committer {
	// Unbuffered: the batch that waits is the one the stage holds.
	c := &committer{ch: make(chan Batch), early: make(chan error, 1), done: make(chan error, 1)}
	s, ok := sink.(StagedSink)
	if !ok {
		s = oneStage{sink}
	}
	go c.run(ctx, s)
	return c
}

// oneStage is a Sink whose whole Commit is its finish: its batches are
// committed one after the other, none stored ahead.
type oneStage struct{ Sink }

func (o oneStage) Stage(ctx context.Context, b Batch) (func() error, error) {
	return func() error { return o.Commit(ctx, b) }, nil
}

// run stages each batch on this goroutine and finishes them in order on a
// second one. The hand-over between the two is unbuffered, so a batch is
// being finished, one staged waits, and the pipeline fills the next: as
// many as a single committer and one batch of buffer held.
func (c *committer) run(ctx context.Context, s StagedSink) {
	type step struct {
		b      Batch
		finish func() error
		done   chan struct{} // closed once finish returned (or was skipped)
	}
	var (
		mu    sync.Mutex
		first error
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if first == nil {
			first = err
			c.early <- err
		}
	}
	failed := func() error {
		mu.Lock()
		defer mu.Unlock()
		return first
	}
	steps := make(chan step)
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		for st := range steps {
			if failed() == nil {
				if err := st.finish(); err != nil {
					fail(err)
				} else {
					c.imported.Add(int64(st.b.imported))
					c.updated.Add(int64(st.b.updated))
				}
			}
			close(st.done)
		}
	}()
	var last chan struct{}
	for b := range c.ch {
		if last != nil && !b.overlaps() {
			<-last
		}
		if failed() != nil {
			continue // drop what is still sent until wait closes
		}
		finish, err := s.Stage(ctx, b)
		if err != nil {
			fail(err)
			continue
		}
		st := step{b: b, finish: finish, done: make(chan struct{})}
		steps <- st
		last = st.done
	}
	close(steps)
	<-finished
	c.done <- failed()
}

// send hands a batch over, or returns the error a previous commit failed
// with; then the batch is dropped and the run must stop.
func (c *committer) send(b Batch) error {
	if c.err != nil {
		return c.err
	}
	select {
	case c.err = <-c.early:
		return c.err
	case c.ch <- b:
		return nil
	}
}

// wait closes the committer and returns once everything sent is committed
// and nothing of it runs any more.
func (c *committer) wait() error {
	close(c.ch)
	err := <-c.done
	if c.err == nil {
		c.err = err
	}
	return c.err
}

// parseOne decides whether a file changed and parses it when it did.
func (p *Pipeline) parseOne(ctx context.Context, sink Sink, path string, lim Limits, emit func(parsed)) parsed {
	r := parsed{path: path}
	// Only regular files are opened: a FIFO, a device or a socket would
	// block or never end. The open itself checks again (OpenRegular).
	info, err := CheckRegular(path)
	if err != nil {
		if !errors.Is(err, ErrSkipped) {
			err = fmt.Errorf("%w: %v", ErrBadInput, err)
		}
		r.err = err
		return r
	}
	ext := strings.ToLower(filepath.Ext(path))
	var parser Parser
	ok := false
	if p.reg.SniffFirst(ext) {
		parser, ok = p.sniff(path)
	}
	if !ok {
		parser, _, ok = p.reg.Lookup(ext)
	}
	if !ok {
		if parser, ok = p.sniff(path); !ok {
			r.err = fmt.Errorf("%w (%s)", ErrUnsupported, describeExt(path))
			return r
		}
	}
	prev, existed, err := sink.Known(path)
	if err != nil {
		r.err = err
		return r
	}
	r.existed = existed
	if sp, ok := parser.(StreamParser); ok && info.Mode().IsRegular() {
		return p.streamOne(ctx, r, sp, info, prev, lim, emit)
	}
	if existed && prev.Size == info.Size() && prev.ModTime.Equal(info.ModTime()) {
		r.skipped = true
		return r
	}
	if info.Size() == 0 {
		r.err = fmt.Errorf("%w: empty file", ErrSkipped)
		return r
	}
	if info.Size() > lim.MaxFileBytes {
		r.err = fmt.Errorf("%w: file is %s, larger than the %s limit; raise it with `engram config set import.max_file_mb N`", ErrSkipped, HumanBytes(info.Size()), HumanBytes(lim.MaxFileBytes))
		return r
	}
	data, err := ReadLimitedContext(ctx, path, lim.MaxFileBytes)
	if err != nil {
		if !isCancel(err) && !errors.Is(err, ErrSkipped) {
			err = fmt.Errorf("%w: %v", ErrBadInput, err)
		}
		r.err = err
		return r
	}
	hash := document.HashContent(data)
	r.state = FileState{Path: path, Hash: hash, ModTime: info.ModTime(), Size: info.Size()}
	if existed && prev.Hash == hash {
		r.state.DocIDs = prev.DocIDs
		r.skipped = true
		return r
	}
	docs, err := safeParse(ctx, parser, File{Path: path, Data: data, ModTime: info.ModTime(), Size: info.Size()}, lim)
	if err != nil {
		if !errors.Is(err, ErrBadInput) && !errors.Is(err, ErrSkipped) {
			err = fmt.Errorf("%w: %v", ErrBadInput, err)
		}
		r.err = err
		return r
	}
	for i := range docs {
		d := &docs[i]
		if d.ID == "" {
			loc := path
			if len(docs) > 1 {
				loc = fmt.Sprintf("%s#%d", path, i)
			}
			d.ID = document.IDFor(loc)
		}
		fillDoc(d, path, info, hash)
		r.state.DocIDs = append(r.state.DocIDs, d.ID)
	}
	if len(docs) == 0 {
		r.err = fmt.Errorf("%w: no content found", ErrSkipped)
		return r
	}
	r.docs = docs
	return r
}

// sniff finds a parser for a file no extension claims from its first bytes.
func (p *Pipeline) sniff(path string) (Parser, bool) {
	f, err := OpenRegular(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	head := make([]byte, SniffBytes)
	n, _ := io.ReadFull(f, head)
	parser, _, ok := p.reg.Detect(path, head[:n])
	return parser, ok
}

func describeExt(path string) string {
	if ext := filepath.Ext(path); ext != "" && ext != "." {
		return fmt.Sprintf("%q files", ext)
	}
	return "no extension, and the content is not recognised"
}

// safeParse runs a parser and turns a panic into an ErrBadInput, so that one
// hostile file cannot take the import down.
func safeParse(ctx context.Context, p Parser, f File, lim Limits) (docs []document.Document, err error) {
	defer func() {
		if v := recover(); v != nil {
			docs, err = nil, fmt.Errorf("%w: parser crashed on this file (%v); please report it", ErrBadInput, v)
		}
	}()
	return p.Parse(ctx, f, lim)
}

// HumanBytes writes a size for people: "1.5 MB".
func HumanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// walk calls fn for every regular file below root (or root itself), in
// lexical order, skipping hidden folders (.git, .obsidian, .trash) and
// anything matching an exclude pattern.
func walk(ctx context.Context, root string, excludes []string, fn func(string)) error {
	info, err := os.Stat(root)
	if err != nil {
		return err
	}
	if !info.IsDir() {
		fn(root)
		return nil
	}
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			// An unreadable folder is not fatal for the rest.
			if d != nil && d.IsDir() && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		name := d.Name()
		rel, _ := filepath.Rel(root, path)
		if path != root && (strings.HasPrefix(name, ".") || excluded(excludes, name, rel)) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		// Regular files are read; FIFOs, devices, sockets and symbolic
		// links are handed on too: a link to a regular file is read as that
		// file, the rest are reported as skipped (never opened, never
		// walked into, so a link loop cannot hang the walk).
		if d.Type().IsRegular() || d.Type()&(fs.ModeNamedPipe|fs.ModeSocket|fs.ModeDevice|fs.ModeCharDevice|fs.ModeSymlink) != 0 {
			fn(path)
		}
		return nil
	})
}

func excluded(patterns []string, name, rel string) bool {
	for _, p := range patterns {
		if ok, _ := filepath.Match(p, name); ok {
			return true
		}
		if ok, _ := filepath.Match(p, rel); ok {
			return true
		}
	}
	return false
}

// SortErrors orders item errors by path, for stable output.
func SortErrors(errs []ItemError) {
	sort.Slice(errs, func(i, j int) bool { return errs[i].Path < errs[j].Path })
}

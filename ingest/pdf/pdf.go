// Package pdf imports PDF files: their text, page by page, and the title,
// author and date of the document information dictionary.
//
// Pure-Go PDF readers can exhaust memory or the stack, or loop forever, on
// damaged and hostile files, and such a failure cannot be recovered inside
// the process. So the text is extracted in a child process: the parser runs
// its own binary (Options.Exe) with ENGRAM_WORKER=pdf-extract, writes the PDF
// to the child's standard input and reads a JSON answer from its standard
// output. The child caps its own memory (GOMEMLIMIT and, on Linux,
// RLIMIT_AS) and stack, is killed when it takes longer than Options.Timeout,
// and its output is bounded. Every binary that may import PDFs must call
// WorkerMain first thing in main.
//
// The worker reads the file with github.com/ledongthuc/pdf (a maintained
// fork of rsc.io/pdf): cross-reference tables and streams, object streams,
// filters, fonts' encodings and ToUnicode maps, and files encrypted with an
// empty user password (RC4 and AES-128). It lays the text out itself
// (layout.go): lines from baselines, spaces from gaps, form XObjects
// followed, each font parsed once per page.
package pdf

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/ingest"
)

// Kind is the parser kind registered with the ingest registry, and the
// Source of the documents it makes.
const Kind = "pdf"

// Defaults of Options.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxMemory      = 1 << 30  // 1 GiB
	DefaultMaxOutputBytes = 64 << 20 // 64 MB of text
	DefaultMaxConcurrent  = 2
)

// Options configure the PDF parser.
type Options struct {
	// Exe is the binary run as the extraction worker; its main must call
	// WorkerMain first. Empty means the running binary (os.Executable).
	Exe string
	// Timeout bounds one extraction; zero means 30 s.
	Timeout time.Duration
	// MaxMemory caps the worker's memory in bytes; zero means 1 GiB.
	MaxMemory int64
	// MaxOutputBytes caps the text read back; zero means 64 MB. Longer text
	// is cut and the document marked Meta["truncated"] = "true".
	MaxOutputBytes int64
	// MaxConcurrent bounds how many workers run at once across every import
	// that uses this parser; zero means 2.
	MaxConcurrent int
}

func (o Options) withDefaults() Options {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxMemory <= 0 {
		o.MaxMemory = DefaultMaxMemory
	}
	if o.MaxOutputBytes <= 0 {
		o.MaxOutputBytes = DefaultMaxOutputBytes
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = DefaultMaxConcurrent
	}
	return o
}

// Extensions returns the file extensions this parser reads.
func Extensions() []string { return []string{".pdf"} }

// Register adds the PDF parser built with opts to reg for its extensions.
func Register(reg *ingest.Registry, opts Options) { reg.Register(Kind, Extensions(), New(opts)) }

// Parser parses one PDF file into one document through a worker process. It
// is safe for concurrent use; at most Options.MaxConcurrent workers run at
// once.
type Parser struct {
	opts Options
	sem  chan struct{}
}

// New returns a PDF parser. Options left zero take their defaults.
func New(opts Options) ingest.Parser {
	opts = opts.withDefaults()
	return &Parser{opts: opts, sem: make(chan struct{}, opts.MaxConcurrent)}
}

// Parse extracts the text of f in a worker process. The title is the
// document's /Title, else the file name; Date is its /CreationDate, else
// left for the pipeline to fill. It returns an error wrapping
// ingest.ErrBadInput, with the reason, for a damaged, truncated or
// password-protected PDF and when the worker times out, runs out of memory
// or crashes; one wrapping ingest.ErrSkipped for a PDF without a text layer
// (scanned pages); ctx.Err() when ctx is done; and a plain error when the
// worker cannot be started.
func (p *Parser) Parse(ctx context.Context, f ingest.File, _ ingest.Limits) ([]document.Document, error) {
	select {
	case p.sem <- struct{}{}:
		defer func() { <-p.sem }()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	out, err := p.run(ctx, f.Data)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("reading PDF %s: %w", f.Path, err)
	}
	res, err := decodeResult(out)
	if err != nil {
		return nil, fmt.Errorf("reading PDF %s: %w", f.Path, err)
	}
	doc, err := res.document(f.Path)
	if err != nil {
		return nil, fmt.Errorf("reading PDF %s: %w", f.Path, err)
	}
	return []document.Document{doc}, nil
}

// errOutputTooLarge reports a worker that wrote more than it was allowed.
var errOutputTooLarge = errors.New("worker output too large")

// run starts the worker, feeds it data and returns its standard output.
func (p *Parser) run(ctx context.Context, data []byte) ([]byte, error) {
	exe := p.opts.Exe
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, fmt.Errorf("finding the PDF worker binary: %w", err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, p.opts.Timeout)
	defer cancel()
	// The flag makes a binary that forgot to call WorkerMain exit at once
	// with a usage error instead of starting its normal work.
	cmd := exec.CommandContext(wctx, exe, "-"+workerFlag)
	cmd.Env = append(os.Environ(),
		envWorker+"="+workerName,
		envMaxMemory+"="+strconv.FormatInt(p.opts.MaxMemory, 10),
		envMaxOutput+"="+strconv.FormatInt(p.opts.MaxOutputBytes, 10),
		// A soft heap limit below the hard one: the worker collects harder
		// before it hits RLIMIT_AS.
		"GOMEMLIMIT="+strconv.FormatInt(p.opts.MaxMemory*3/4, 10),
		"GOTRACEBACK=single",
	)
	cmd.Stdin = bytes.NewReader(data)
	// JSON escaping can double the text; leave room for it.
	stdout := &cappedBuffer{max: 2*p.opts.MaxOutputBytes + 1<<20, onFull: cancel}
	stderr := &cappedBuffer{max: 8 << 10, dropRest: true}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	cmd.SysProcAttr = sysProcAttr()
	cmd.WaitDelay = 2 * time.Second
	// Linux sends the parent-death signal when the thread that started the
	// child exits, not the process; keep this thread until the child ends.
	runtime.LockOSThread()
	err := cmd.Run()
	runtime.UnlockOSThread()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case stdout.full:
		return nil, fmt.Errorf("%w: the PDF worker wrote more than %d MB; the file may be damaged", ingest.ErrBadInput, stdout.max>>20)
	case errors.Is(wctx.Err(), context.DeadlineExceeded):
		return nil, fmt.Errorf("%w: PDF extraction took longer than %s; the file may be damaged", ingest.ErrBadInput, seconds(p.opts.Timeout))
	case err != nil:
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) && strings.Contains(stderr.buf.String(), "engram-worker") {
			// Its flag parser rejected the worker flag: not a worker.
			return nil, fmt.Errorf("the PDF worker did not start: %s does not call pdf.WorkerMain first in main", exe)
		}
		if errors.As(err, &exitErr) {
			return nil, fmt.Errorf("%w: PDF extraction ran out of memory or crashed (%s)", ingest.ErrBadInput, crashReason(exitErr, stderr.buf.String()))
		}
		return nil, fmt.Errorf("starting the PDF worker %s: %w", exe, err)
	}
	return stdout.buf.Bytes(), nil
}

// seconds formats a duration as a user reads it: "30 s", "0.5 s".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " s"
}

// crashReason summarises how the worker died, from its exit status and the
// last line of the Go runtime's report ("fatal error: runtime: out of
// memory", "goroutine stack exceeds ...").
func crashReason(e *exec.ExitError, stderr string) string {
	reason := e.ProcessState.String() // "exit status 2", "signal: killed"
	for line := range strings.Lines(stderr) {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "fatal error:") || strings.HasPrefix(line, "runtime:") || strings.HasPrefix(line, "panic:") {
			return reason + ": " + clip(line, 200)
		}
	}
	return reason
}

// cappedBuffer collects a child's output up to max bytes. Past that it
// either fails and calls onFull (stdout: the worker is killed) or, with
// dropRest, drops the rest quietly (stderr, whose first lines hold the Go
// runtime's fatal error). It does not embed bytes.Buffer, whose ReadFrom
// io.Copy would use, bypassing the cap.
type cappedBuffer struct {
	buf      bytes.Buffer
	max      int64
	onFull   func()
	dropRest bool
	full     bool
}

func (c *cappedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if room := c.max - int64(c.buf.Len()); int64(len(p)) > room {
		if c.dropRest {
			c.buf.Write(p[:max(room, 0)])
			return n, nil // drop the rest quietly
		}
		c.full = true
		if c.onFull != nil {
			c.onFull()
		}
		return 0, errOutputTooLarge
	}
	return c.buf.Write(p)
}

// result is the worker's answer on its standard output.
type result struct {
	Title     string `json:"title,omitempty"`
	Author    string `json:"author,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Keywords  string `json:"keywords,omitempty"`
	Date      string `json:"date,omitempty"` // RFC 3339
	Pages     int    `json:"pages"`
	Text      string `json:"text"`
	Truncated bool   `json:"truncated,omitempty"`
	Error     string `json:"error,omitempty"` // why the PDF could not be read, for the user
}

// decodeResult reads the worker's answer. An answer that is not one JSON
// object, as from a binary that does not call WorkerMain, is an error
// wrapping ingest.ErrBadInput.
func decodeResult(out []byte) (result, error) {
	var r result
	d := json.NewDecoder(bytes.NewReader(out))
	if err := d.Decode(&r); err != nil {
		return result{}, fmt.Errorf("%w: the PDF worker gave no answer (%v); check that the program calls pdf.WorkerMain", ingest.ErrBadInput, err)
	}
	if d.More() {
		return result{}, fmt.Errorf("%w: the PDF worker answered more than once", ingest.ErrBadInput)
	}
	return r, nil
}

// document turns the worker's answer into a document, or into the error the
// worker reported.
func (r result) document(path string) (document.Document, error) {
	if r.Error != "" {
		return document.Document{}, fmt.Errorf("%w: %s", ingest.ErrBadInput, clip(strings.ToValidUTF8(r.Error, "\uFFFD"), 500))
	}
	body := strings.TrimSpace(strings.ToValidUTF8(r.Text, "\uFFFD"))
	if body == "" {
		return document.Document{}, fmt.Errorf("%w: the PDF has no text layer (it may be scanned pages); run OCR on it to import its text", ingest.ErrSkipped)
	}
	doc := document.Document{
		Source: Kind,
		Title:  clip(collapse(strings.ToValidUTF8(r.Title, "\uFFFD")), 300),
		Body:   body,
		Meta:   map[string]string{"pages": strconv.Itoa(max(r.Pages, 0))},
	}
	if doc.Title == "" {
		doc.Title = fileTitle(path)
	}
	if t, err := time.Parse(time.RFC3339, r.Date); err == nil {
		doc.Date = t
	}
	for k, v := range map[string]string{"author": r.Author, "subject": r.Subject, "keywords": r.Keywords} {
		if v = clip(collapse(strings.ToValidUTF8(v, "\uFFFD")), 1000); v != "" {
			doc.Meta[k] = v
		}
	}
	if r.Truncated {
		doc.Meta["truncated"] = "true"
	}
	return doc, nil
}

func fileTitle(p string) string {
	base := filepath.Base(p)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return norm.NFC.String(strings.TrimSuffix(base, filepath.Ext(base)))
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// clip shortens s to at most n bytes, on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Package app is Engram's service container. New opens the data directory
// once and builds every service in dependency order: the store (the system
// of record), then, per workspace and on demand, the search index and the
// graph. Nothing is built per request and nothing lives in package-level
// state: the CLI, the desktop app, the web server and the MCP server all hold
// one *App and call it.
//
// Only this package and main import Wails.
package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/engram-app/engram/config"
	"github.com/engram-app/engram/contextpack"
	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/ingest"
	"github.com/engram-app/engram/ingest/docx"
	"github.com/engram-app/engram/ingest/eml"
	ingesthtml "github.com/engram-app/engram/ingest/html"
	"github.com/engram-app/engram/ingest/markdown"
	"github.com/engram-app/engram/ingest/mbox"
	"github.com/engram-app/engram/ingest/pdf"
	"github.com/engram-app/engram/ingest/slack"
	"github.com/engram-app/engram/ingest/text"
	"github.com/engram-app/engram/internal/changes"
	"github.com/engram-app/engram/internal/mapped"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

// Version is Engram's version, set at build time with -ldflags.
const Version = "0.1.0-dev"

// DefaultWorkspace is the workspace used when none is named.
const DefaultWorkspace = "personal"

// Config says where the data lives and how much to hold open.
type Config struct {
	// DataDir is the data directory; empty means DefaultDataDir().
	DataDir string
	// Workspace is the default workspace; empty means "personal".
	Workspace string
	// MaxOpenWorkspaces bounds how many workspaces keep their index and
	// graph open at once; zero means 4.
	MaxOpenWorkspaces int
	// MemoryLimit is the soft limit of the Go heap (runtime/debug's
	// SetMemoryLimit) that keeps an import of 100,000 emails under the
	// 500 MB budget by collecting sooner instead of growing. Zero means
	// 400 MiB; a GOMEMLIMIT in the environment wins; negative leaves the
	// runtime's setting alone.
	MemoryLimit int64
	// MemoryGraphGather is the longest the graph write behind a memory add
	// waits for more adds to join it (app/memory.go's memoryGraph); a read
	// of the graph or Close cuts it short. Zero means 50 ms; negative, no
	// waiting; at most 1 s (more is 1 s).
	MemoryGraphGather time.Duration
}

// DefaultDataDir returns the data directory used when none is given:
// $ENGRAM_DATA, else the OS's per-user data directory plus "engram"
// ($XDG_DATA_HOME or ~/.local/share on Linux, ~/Library/Application Support
// on macOS, %LocalAppData% on Windows).
func DefaultDataDir() (string, error) {
	if d := os.Getenv("ENGRAM_DATA"); d != "" {
		return d, nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "engram"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", "engram"), nil
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return filepath.Join(d, "engram"), nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home directory: %w; set ENGRAM_DATA or --data", err)
	}
	return filepath.Join(home, ".local", "share", "engram"), nil
}

// App is the container. Its methods are safe for concurrent use.
type App struct {
	cfg      Config
	store    *store.Store
	pipeline *ingest.Pipeline

	ctx    context.Context // cancelled by Close; background work derives from it
	cancel context.CancelFunc
	wg     sync.WaitGroup // background workers
	// stopBound ends the bound on mapped file pages (internal/mapped) and
	// waits for it and the releases it started; Close calls it last.
	stopBound func()
	releasing releases

	// mu guards open, closing, toClose, running and the LRU's callbacks.
	// It is never held across disk work (see acquire).
	mu      sync.Mutex
	running map[string]bool       // IDs of the jobs this process is running
	open    map[string]*workspace // every open or opening workspace, evicted-but-in-use included
	// closing holds, per name, the closed channel of a workspace being
	// closed outside mu; toClose the workspaces retired but not yet closed.
	closing map[string]chan struct{}
	toClose []*workspace
	// openHook, when set (by tests), runs at the start of every workspace
	// open, outside mu.
	openHook func(name string)
	recent   *lru.Cache[string, *workspace] // the bounded set kept open when idle
	dicts    *lru.Cache[cacheKey, *search.Dictionary]
	// passageDocs holds documents as context packs read them
	// (app/contextpack.go), by workspace, ID and the store's generation.
	passageDocs *lru.Cache[passageDocKey, contextpack.Doc]
	// damaged remembers, per workspace, an index found damaged (see
	// openWorkspace), so a long-running process does not check it again
	// on every call.
	damaged *lru.Cache[string, damageMemo]
	closed  bool

	// mem is the memory service (app/memory.go): built once here, its
	// caches keyed by workspace and user.
	mem *memory.Service
	// graphQueues holds, per workspace with a memory graph write in
	// flight, the calls queued behind it, so concurrent adds share one
	// graph write (app/memory.go). An entry lives only while a write is in
	// flight.
	graphQueues struct {
		mu sync.Mutex
		m  map[graphQueueKey][]*graphJob
	}
	// packs builds context packs, as many at once as Go has processors,
	// and caches the finished ones (App.Context).
	packs *contextpack.Builder
	// gapAn is the knowledge-gap analysis (app/gaps.go).
	gapAn *gaps.Analyzer
	// sem is search by meaning (app/semantic.go).
	sem *semantic
	// conn is the connectors' service and secret store (app/connect.go).
	conn connectState
	// team is the team sync (app/team.go).
	team teamState
	// feed tells the open views what changed (app/changes.go).
	feed *changes.Feed
}

// New opens the data directory: the store first (failing within a second
// with store.ErrLocked when another process holds it), then makes sure the
// default workspace exists. Workspaces' indexes and graphs open on first use.
func New(cfg Config) (*App, error) {
	if cfg.DataDir == "" {
		d, err := DefaultDataDir()
		if err != nil {
			return nil, err
		}
		cfg.DataDir = d
	}
	abs, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("resolving data directory %s: %w", cfg.DataDir, err)
	}
	cfg.DataDir = abs
	if cfg.Workspace == "" {
		cfg.Workspace = DefaultWorkspace
	}
	if cfg.MaxOpenWorkspaces <= 0 {
		cfg.MaxOpenWorkspaces = 4
	}
	if cfg.MemoryLimit == 0 {
		cfg.MemoryLimit = 400 << 20
	}
	switch {
	case cfg.MemoryGraphGather == 0:
		cfg.MemoryGraphGather = memoryGraphGather
	case cfg.MemoryGraphGather > time.Second:
		cfg.MemoryGraphGather = time.Second
	}
	if cfg.MemoryLimit > 0 && os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data directory: %w", err)
	}
	st, err := store.Open(filepath.Join(cfg.DataDir, "engram.db"), store.Options{})
	if err != nil {
		return nil, err
	}
	if err := st.CreateWorkspace(DefaultWorkspace, true); err != nil {
		st.Close()
		return nil, err
	}
	if cfg.Workspace != DefaultWorkspace {
		ok, err := st.HasWorkspace(cfg.Workspace)
		if err != nil || !ok {
			st.Close()
			if err == nil {
				err = fmt.Errorf("%w %q; create it with `engram workspace create %s`", store.ErrNoWorkspace, cfg.Workspace, cfg.Workspace)
			}
			return nil, err
		}
	}
	a := &App{
		cfg:      cfg,
		store:    st,
		pipeline: ingest.NewPipeline(newRegistry()),
		open:     map[string]*workspace{},
		closing:  map[string]chan struct{}{},
		running:  map[string]bool{},
		feed:     changes.New(),
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	a.recent, err = lru.NewWithEvict(cfg.MaxOpenWorkspaces, a.onEvict)
	if err == nil {
		a.dicts, err = lru.New[cacheKey, *search.Dictionary](64)
	}
	if err == nil {
		a.damaged, err = lru.New[string, damageMemo](64)
	}
	if err == nil {
		a.passageDocs, err = lru.New[passageDocKey, contextpack.Doc](passageDocsCached)
	}
	if err == nil {
		a.mem, err = memory.New(st, memory.Options{Extractor: llmExtractor(st)})
	}
	if err == nil {
		a.packs, err = contextpack.NewBuilder(0, max(runtime.GOMAXPROCS(0), 2))
	}
	if err == nil {
		a.gapAn, err = gaps.New(st, gaps.Options{})
	}
	if err == nil {
		a.sem, err = newSemantic(cfg.MaxOpenWorkspaces)
	}
	if err != nil {
		st.Close()
		return nil, err
	}
	// The bound on mapped pages outlives the background work, which Close
	// waits for after cancelling a.ctx: a scan cut short still reads.
	boundCtx, stopBound := context.WithCancel(context.Background())
	boundDone := make(chan struct{})
	go func() {
		defer close(boundDone)
		mapped.Bound(boundCtx, mapped.Budget, a.releaseMapped)
	}()
	a.stopBound = func() {
		stopBound()
		<-boundDone
		a.releasing.wait()
	}
	return a, nil
}

// newRegistry registers every parser once, by kind and extension.
func newRegistry() *ingest.Registry {
	reg := ingest.NewRegistry()
	reg.Register(markdown.Kind, markdown.Extensions(), markdown.New())
	reg.Register(text.Kind, text.Extensions(), text.New())
	reg.Register(eml.Kind, eml.Extensions(), eml.New())
	reg.Register(mbox.Kind, mbox.Extensions(), mbox.New())
	// Slack's day files (.json) and export zips. Its sniffer goes before the
	// mail ones: a channel named "new" or "cur" would otherwise be taken for
	// a Maildir folder.
	slack.Register(reg)
	ingesthtml.Register(reg)
	docx.Register(reg)
	// PDFs are read by a worker process: this binary, started again with
	// ENGRAM_WORKER=pdf-extract; every main calls pdf.WorkerMain first.
	pdf.Register(reg, pdf.Options{})
	// Files without an extension: Maildir and Enron-style messages first,
	// then mbox folders (Thunderbird's "Inbox", mutt's "sent"), and mailing
	// list archives saved as .txt (pipermail), which are mboxes too.
	reg.RegisterSniffer(eml.Kind, eml.Sniff, eml.New())
	reg.RegisterSniffer(mbox.Kind, mbox.Sniff, mbox.New(), ".txt")
	return reg
}

// Close stops background work, waits for it, closes every workspace's graph
// and index, then the store, and joins the errors. It is safe to call twice.
func (a *App) Close() error {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return nil
	}
	a.closed = true
	a.mu.Unlock()
	a.cancel()
	a.feed.Close() // ends the views' subscriptions
	a.wg.Wait()
	teamErr := a.closeTeam() // its jobs use the workspaces
	// Every workspace is retired under the lock and closed outside it; one
	// still opening is waited for first.
	a.mu.Lock()
	var opening []*workspace
	for _, w := range a.open {
		opening = append(opening, w)
	}
	a.mu.Unlock()
	for _, w := range opening {
		<-w.ready
	}
	a.mu.Lock()
	a.recent.Purge()
	for _, w := range a.open {
		if w.openErr == nil {
			a.retire(w)
		}
	}
	ws := a.toClose
	a.toClose = nil
	a.mu.Unlock()
	errs := []error{teamErr}
	for _, w := range ws {
		errs = append(errs, a.closeRetired(w))
	}
	errs = append(errs, a.store.Close())
	a.stopBound()
	return errors.Join(errs...)
}

// DataDir is the data directory in use.
func (a *App) DataDir() string { return a.cfg.DataDir }

// DefaultWorkspace is the workspace used when a caller names none.
func (a *App) DefaultWorkspace() string { return a.cfg.Workspace }

// Store gives the system of record to the services built on it.
func (a *App) Store() *store.Store { return a.store }

// Limits reads the parser limits from the store's settings, so a change
// takes effect on the next import without a restart.
func (a *App) Limits() ingest.Limits {
	lim := ingest.DefaultLimits()
	if v, ok, _ := a.store.Setting(SettingMaxFileMB); ok {
		if mb, err := strconv.ParseFloat(v, 64); err == nil && mb > 0 {
			lim.MaxFileBytes = int64(mb * (1 << 20))
		}
	}
	if v, ok, _ := a.store.Setting(SettingMaxDepth); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			lim.MaxDepth = n
		}
	}
	if v, ok, _ := a.store.Setting(SettingMaxMessages); ok {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			lim.MaxMessages = n
		}
	}
	return lim
}

// Settings keys.
const (
	SettingMaxFileMB = config.MaxFileMB
	SettingMaxDepth  = config.MaxDepth
	// SettingMaxMessages bounds the messages read from one mailbox file.
	SettingMaxMessages = config.MaxMessages
	// SettingLLMEndpoint and SettingLLMModel switch memory extraction to an
	// OpenAI-compatible or Ollama endpoint (read at start-up); without them,
	// or when it fails, the offline rules extract.
	SettingLLMEndpoint = config.LLMEndpoint
	SettingLLMModel    = config.LLMModel
)

// llmExtractor returns the LLM extractor the settings name, or nil (the
// rules) when none is set.
func llmExtractor(st *store.Store) memory.Extractor {
	endpoint, ok, _ := st.Setting(SettingLLMEndpoint)
	if !ok || endpoint == "" {
		return nil
	}
	model, _, _ := st.Setting(SettingLLMModel)
	return memory.NewLLM(memory.LLMConfig{Endpoint: endpoint, Model: model})
}

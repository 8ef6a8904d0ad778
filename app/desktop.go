package app

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/engram-app/engram/document"
)

// maxPageSize bounds one page of results asked for by the UI, so a buggy or
// hostile caller cannot make a search render the whole corpus.
const maxPageSize = 200

// Info describes the running instance for the UI's status bar and settings.
type Info struct {
	DataDir   string `json:"data_dir"`
	Workspace string `json:"workspace"`
	Version   string `json:"version"`
}

// SearchService is the search API bound to the desktop window. Its exported
// methods become the frontend's generated bindings; each returns (T, error)
// and an error rejects the frontend's promise with its message.
//
// It is safe for concurrent use: Wails calls bound methods on their own
// goroutines.
type SearchService struct {
	app *App

	mu     sync.Mutex
	ctx    context.Context // from the Wails context, set by DesktopStartup
	cancel context.CancelFunc
}

// NewSearchService binds the container a to the UI. The container stays
// owned by the caller, which closes it after the window is gone.
func NewSearchService(a *App) *SearchService {
	return &SearchService{app: a}
}

// DesktopStartup hands the Wails context to s, for its searches and (later)
// its events. main calls it from OnStartup. It and DesktopShutdown are
// functions, not methods, because Wails binds every exported method of a
// bound struct and these must not be callable from the frontend.
func DesktopStartup(ctx context.Context, s *SearchService) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel != nil {
		s.cancel()
	}
	s.ctx, s.cancel = context.WithCancel(ctx)
}

// DesktopShutdown cancels the searches still running and makes later ones
// fail at once. main calls it from OnShutdown, before closing the container.
// (Wails never cancels its own context.)
func DesktopShutdown(s *SearchService) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cancel == nil {
		s.ctx, s.cancel = context.WithCancel(context.Background())
	}
	s.cancel()
}

func (s *SearchService) context() context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ctx == nil {
		return context.Background()
	}
	return s.ctx
}

// Search runs query in workspace ws ("" is the default workspace). A limit of 0 or less means the
// container's default page size; limits above 200 are cut to 200 and a
// negative offset counts as 0. Facets come from Facets, so that the hits
// are painted without waiting for them. After DesktopShutdown it fails at
// once.
func (s *SearchService) Search(ws, query string, limit, offset int) (*SearchResult, error) {
	limit = max(0, min(limit, maxPageSize))
	offset = max(0, offset)
	ctx := s.context()
	if ctx.Err() != nil {
		return nil, errShuttingDown
	}
	// App.Search's hits and facets are never nil, so they reach the UI as
	// lists, not null.
	return s.app.Search(ctx, ws, SearchRequest{Query: query, Limit: limit, Offset: offset})
}

// errShuttingDown is what searches answer after DesktopShutdown.
var errShuttingDown = fmt.Errorf("%w: searches are no longer answered", ErrClosed)

// Facets counts the matches of query in workspace ws by source, person and
// year. Counting them costs several times the search itself on broad
// queries, so the UI asks for them after painting the hits.
func (s *SearchService) Facets(ws, query string) (map[string][]Facet, error) {
	ctx := s.context()
	if ctx.Err() != nil {
		return nil, errShuttingDown
	}
	return s.app.Facets(ctx, ws, query)
}

// Document returns the stored document id of workspace ws, in full:
// headers, tags, links and body, for the reader pane.
func (s *SearchService) Document(ws, id string) (document.Document, error) {
	return s.app.Document(ws, id)
}

// maxGraphDepth bounds the hops the graph view asks for.
const maxGraphDepth = 3

// Neighbors returns the entities around the one name resolves to (a
// person, a tag, a note's title), up to depth hops (1 to 3) away.
func (s *SearchService) Neighbors(ws, name string, depth int) (*NeighborsResult, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, invalidf("name a person, a note or a tag to see its neighbourhood")
	}
	depth = max(1, min(depth, maxGraphDepth))
	res, err := s.app.Neighbors(s.context(), ws, name, depth, nil)
	if err != nil {
		return nil, err
	}
	if res.Neighbors == nil {
		res.Neighbors = []Neighbor{}
	}
	return res, nil
}

// Info reports the data directory, the workspace the UI works in (ws, or
// the default one when ws is "") and the build's version. It does not fail today; the error is there for the binding's
// contract.
func (s *SearchService) Info(ws string) (Info, error) {
	return Info{
		DataDir:   s.app.DataDir(),
		Workspace: s.app.uiWorkspace(ws),
		Version:   buildVersion(),
	}, nil
}

// buildVersion is the main module's version stamped by the Go toolchain
// (a tag, or a pseudo-version from the VCS), or "dev" when there is none.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "dev"
	}
	return bi.Main.Version
}

// uiWorkspace is the name of the workspace a UI call with ws works in.
func (a *App) uiWorkspace(ws string) string {
	if ws = strings.TrimSpace(ws); ws != "" {
		return ws
	}
	return a.DefaultWorkspace()
}

// Thread returns the messages of document id's mail thread that are in
// workspace ws, oldest first, the document itself included.
func (s *SearchService) Thread(ws, id string) ([]ThreadMessage, error) {
	msgs, err := s.app.Thread(s.context(), ws, id)
	if err != nil {
		return nil, err
	}
	if msgs == nil {
		msgs = []ThreadMessage{}
	}
	return msgs, nil
}

// Package web is `engram serve`: the desktop app's frontend and a JSON API
// over HTTP, for a browser and for end-to-end tests in a real Chromium.
//
// Routes (all behind the token; the UI services' routes are listed in ui.go,
// ui_nav.go, ui_gaps.go, ui_connect.go and ui_team.go):
//
//	/                      the embedded frontend (package frontend)
//	/api/info              app.Info: data directory, workspace, version
//	/api/search?q=&limit=&offset=&facets=1&mode=text|semantic|hybrid
//	/api/facets?q=         the facets of a search alone (the UI asks after painting the hits)
//	                       app.SearchResult, the JSON of `engram search --json`
//	/api/documents/{id}    the stored document, the JSON of `engram show --json`
//	/api/documents/{id}/thread  the messages of its mail thread in the store, oldest first
//
// Errors are JSON {"error": "message"} with 400 for bad parameters, 401 for a
// missing or wrong token, 403 for a foreign Host or Origin (checked on every
// request, before the token: DNS rebinding and pages on other local ports
// get nothing), 404 for what does not exist, 415 for a body that is not
// JSON, 503 for a part that is down or damaged and 500 otherwise; the
// status comes from the error's type (statusOf).
//
// # The token
//
// New makes a random 32-byte token (crypto/rand, base64url) unless Options
// gives one. Every request must carry it, in one of three ways:
//
//   - an "Authorization: Bearer TOKEN" header (scripts, and the SPA's fetches);
//   - the session cookie that a page load with ?token=TOKEN sets (HttpOnly,
//     SameSite=Strict, Path=/), which the SPA's assets and fetches carry
//     after the page has removed the token from its address bar;
//   - ?token=TOKEN itself, but only on page loads (GET or HEAD outside
//     /api/), so the token never has to travel in an API URL.
//
// The cookie's name ends in a hash of the token, so two `engram serve`
// processes on one host (cookies ignore ports) do not overwrite each other's
// cookie. Tokens are compared in constant time. Responses carry
// Referrer-Policy: no-referrer so the first page's URL, token included,
// is never sent to another site.
package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/frontend"
	"github.com/engram-app/engram/internal/bounds"
)

// MaxPageSize is the largest limit /api/search accepts (bounds.SearchLimit).
const MaxPageSize = 200

// shutdownGrace is how long Serve waits for requests in flight once its
// context is cancelled, before it closes their connections.
const shutdownGrace = 5 * time.Second

// Options configure a Server. The zero value serves the embedded frontend
// with a fresh random token.
type Options struct {
	// Token is the secret every request must carry; empty means a fresh
	// random one. Tests set it to know it in advance.
	Token string
	// UI is the frontend to serve at /; nil means frontend.Dist(), and New
	// fails when the binary was built without it.
	UI fs.FS
	// ErrorLog receives internal errors (500s) and the http.Server's own
	// errors; nil means the log package's standard logger. Nothing written
	// there contains the token.
	ErrorLog *log.Logger
}

// Server is the web UI and API over one container. It is an http.Handler
// and safe for concurrent use; Serve runs it on a listener.
type Server struct {
	app    *app.App
	info   app.Info
	token  []byte
	cookie string // the session cookie's name
	log    *log.Logger
	mux    *http.ServeMux
	bound  string // the listener's address, set by Serve before it accepts

	search   *app.SearchService
	memories *app.MemoryService
	imports  *app.ImportService
	settings *app.SettingsService
	// gaps and connectors are the Gaps and Connectors views' services
	// (ui_gaps.go, ui_connect.go).
	gaps       *app.GapsService
	connectors *app.ConnectorsService
	// team is the Team view's service (ui_team.go).
	team *app.TeamService

	// done closes when the server shuts down (Close), ending event streams.
	done      chan struct{}
	closeOnce sync.Once
}

// New builds the server over a, which stays owned by the caller (close it
// after Serve has returned). It fails when opts.UI is nil and the binary has
// no built frontend (frontend.ErrNotBuilt), or when no random token can be
// made.
func New(a *app.App, opts Options) (*Server, error) {
	ui := opts.UI
	if ui == nil {
		var err error
		if ui, err = frontend.Dist(); err != nil {
			return nil, err
		}
	}
	token := opts.Token
	if token == "" {
		var err error
		if token, err = NewToken(); err != nil {
			return nil, err
		}
	}
	search := app.NewSearchService(a)
	info, err := search.Info("")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(token))
	s := &Server{
		app:    a,
		info:   info,
		token:  []byte(token),
		cookie: "engram_session_" + hex.EncodeToString(sum[:6]),
		log:    opts.ErrorLog,
		mux:    http.NewServeMux(),

		search:   search,
		memories: app.NewMemoryService(a),
		imports:  app.NewImportService(a),
		settings: app.NewSettingsService(a),

		gaps:       app.NewGapsService(a),
		connectors: app.NewConnectorsService(a),
		team:       app.NewTeamService(a),
		done:       make(chan struct{}),
	}
	if s.log == nil {
		s.log = log.Default()
	}
	s.mux.HandleFunc("GET /api/info", s.handleInfo)
	s.mux.HandleFunc("GET /api/search", s.handleSearch)
	s.mux.HandleFunc("GET /api/facets", s.handleFacets)
	s.mux.HandleFunc("GET /api/documents/{id}", s.handleDocument)
	s.mux.HandleFunc("GET /api/documents/{id}/thread", s.handleThread)
	s.routeUI()
	s.routeNav()
	s.routeGaps()
	s.routeConnect()
	s.routeTeam()
	s.routeReview()
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no API route %s %s", r.Method, r.URL.Path))
	})
	files := http.FileServerFS(ui)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		files.ServeHTTP(w, r)
	})
	return s, nil
}

// NewToken returns 32 random bytes from crypto/rand, base64url-encoded
// without padding (43 characters, safe in a URL).
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making the access token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Token is the secret every request must carry. Show it only to the user
// who started the server (the URL `engram serve` prints).
func (s *Server) Token() string { return string(s.token) }

// URL is the address a browser opens: base (e.g. "http://127.0.0.1:7777")
// plus the token, which the first page load turns into a cookie.
func (s *Server) URL(base string) string {
	return strings.TrimSuffix(base, "/") + "/?token=" + string(s.token)
}

// ServeHTTP checks the token, then serves the API or the frontend.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	isAPI := r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/")
	if isAPI {
		h.Set("Cache-Control", "no-store")
	}
	if !s.checkRequest(w, r, isAPI) {
		return
	}
	if !s.authorize(w, r, isAPI) {
		h.Set("WWW-Authenticate", `Bearer realm="engram"`)
		const msg = "missing or wrong access token: open the link that `engram serve` printed (it ends in ?token=…)"
		if isAPI {
			writeError(w, http.StatusUnauthorized, msg)
			return
		}
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintln(w, "Engram: "+msg)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// authorize reports whether r carries the token. A page load with a valid
// ?token= also gets the session cookie.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, isAPI bool) bool {
	if auth := r.Header.Get("Authorization"); auth != "" {
		scheme, cred, _ := strings.Cut(auth, " ")
		return strings.EqualFold(scheme, "Bearer") && s.valid(strings.TrimSpace(cred))
	}
	if c, err := r.Cookie(s.cookie); err == nil && s.valid(c.Value) {
		return true
	}
	if isAPI || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	if !s.valid(r.URL.Query().Get("token")) {
		return false
	}
	http.SetCookie(w, &http.Cookie{
		Name:     s.cookie,
		Value:    string(s.token),
		Path:     "/",
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
	// The page holding the token in its URL must not be cached.
	w.Header().Set("Cache-Control", "no-store")
	return true
}

// valid compares t with the token in constant time.
func (s *Server) valid(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), s.token) == 1
}

func (s *Server) handleInfo(w http.ResponseWriter, r *http.Request) {
	info := s.info
	if ws := workspace(r); ws != "" {
		info.Workspace = ws
	}
	writeJSON(w, http.StatusOK, info)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	req := app.SearchRequest{}
	var ok bool
	if req.Query, ok = queryParam(w, r); !ok {
		return
	}
	var err error
	if req.Limit, err = intParam(q.Get("limit"), 0, MaxPageSize); err != nil {
		writeError(w, http.StatusBadRequest, "limit "+err.Error())
		return
	}
	if req.Offset, err = intParam(q.Get("offset"), 0, bounds.SearchOffset().Max); err != nil {
		writeError(w, http.StatusBadRequest, "offset "+err.Error())
		return
	}
	switch q.Get("facets") {
	case "", "0", "false":
	case "1", "true":
		req.Facets = true
	default:
		writeError(w, http.StatusBadRequest, "facets must be 1 or 0")
		return
	}
	req.Mode = q.Get("mode") // text, semantic or hybrid; empty: hybrid when an embedding endpoint is set
	res, err := s.app.Search(r.Context(), workspace(r), req)
	if errors.Is(err, app.ErrBadMode) {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// queryParam returns the request's q, trimmed, or answers 400 when it is
// blank.
func queryParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		writeError(w, http.StatusBadRequest, "missing query: add q=WORDS")
	}
	return q, q != ""
}

func (s *Server) handleFacets(w http.ResponseWriter, r *http.Request) {
	q, ok := queryParam(w, r)
	if !ok {
		return
	}
	fs, err := s.app.Facets(r.Context(), workspace(r), q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, fs)
}

func (s *Server) handleDocument(w http.ResponseWriter, r *http.Request) {
	d, err := s.app.Document(workspace(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleThread(w http.ResponseWriter, r *http.Request) {
	msgs, err := s.search.Thread(workspace(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, msgs)
}

// fail answers err with its status: 404 for what does not exist, 500 (and
// a log line, without the query string) for everything else.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch st := statusOf(err); {
	case st != http.StatusInternalServerError:
		writeError(w, st, err.Error())
	case r.Context().Err() != nil:
		// The client went away; nobody reads the answer.
		writeError(w, http.StatusServiceUnavailable, err.Error())
	default:
		s.log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		writeError(w, http.StatusInternalServerError, err.Error())
	}
}

// intParam parses an optional integer in [lo, hi]; empty means lo.
func intParam(v string, lo, hi int) (int, error) {
	if v == "" {
		return lo, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("must be a whole number from %d to %d (got %q)", lo, hi, v)
	}
	return n, nil
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the client may be gone; there is no one to tell
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// Serve answers HTTP on ln until ctx is cancelled, then shuts down
// gracefully: it stops accepting, gives requests in flight up to five
// seconds, and returns ctx.Err(). It closes ln. Any other error (the
// listener failing) is returned as it happens.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          s.log,
	}
	srv.RegisterOnShutdown(s.endStreams) // Shutdown does not wait for streams
	s.bound = ln.Addr().String()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		err = errors.Join(fmt.Errorf("shutting down: %w", err), srv.Close())
	}
	<-errc // http.ErrServerClosed
	s.Close()
	return errors.Join(ctx.Err(), err)
}

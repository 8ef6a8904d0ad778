package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/engram-app/engram/app"
)

// Routes of memory review, search by meaning and the change feed:
//
//	GET  /api/memories/search?user=&q=&as_of=YYYY-MM-DD&kind=&all=1&limit=
//	                                  app.MemorySearchResult (as_of answers from valid time)
//	POST /api/memories/{id}/confirm   {"user"} → app.MemoryEvents
//	POST /api/memories/undo           {"user","event"} → app.MemoryEvents (event: "<id>@<version>")
//	GET  /api/embed                   app.EmbedStatus of the workspace
//	GET  /api/events                  text/event-stream of changes.Event, one "change" event each
//
// /api/events is a Server-Sent Events stream: each change is
//
//	id: VERSION
//	event: change
//	data: {"version":…,"kind":"memory"|"import","workspace":…,…}
//
// after a first "hello" event whose data is {"version": N}, the feed's
// version when the stream opened (a client that reconnects and finds it
// higher than the last it saw has missed changes), and with a comment line
// every heartbeatEvery so that proxies and the browser
// keep the connection; it ends when the client goes, the server shuts down
// or the container closes. It carries the token like every other route (a
// Bearer header from the SPA's fetch, or the session cookie).

// heartbeatEvery is how often an idle event stream sends a comment line.
const heartbeatEvery = 25 * time.Second

// eventBuffer is each stream's room for changes not yet written.
const eventBuffer = 64

func (s *Server) routeReview() {
	m := s.mux
	m.HandleFunc("GET /api/memories/search", s.uiMemorySearch)
	m.HandleFunc("POST /api/memories/{id}/confirm", s.uiMemoryConfirm)
	m.HandleFunc("POST /api/memories/undo", s.uiMemoryUndo)
	m.HandleFunc("GET /api/embed", s.uiEmbed)
	m.HandleFunc("GET /api/events", s.uiEvents)
}

func (s *Server) uiMemorySearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), 0, 100)
	if err != nil {
		writeError(w, http.StatusBadRequest, "limit "+err.Error())
		return
	}
	opts := app.MemorySearchOptions{AsOf: q.Get("as_of"), Kind: q.Get("kind"), Limit: limit}
	switch q.Get("all") {
	case "", "0", "false":
	case "1", "true":
		opts.All = true
	default:
		writeError(w, http.StatusBadRequest, "all must be 1 or 0")
		return
	}
	v, err := s.memories.Search(workspace(r), q.Get("user"), q.Get("q"), opts)
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryConfirm(w http.ResponseWriter, r *http.Request) {
	var b struct {
		User string `json:"user"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.memories.Confirm(workspace(r), b.User, r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryUndo(w http.ResponseWriter, r *http.Request) {
	var b struct {
		User  string `json:"user"`
		Event string `json:"event"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.memories.Undo(workspace(r), b.User, b.Event)
	s.answer(w, r, v, err)
}

func (s *Server) uiEmbed(w http.ResponseWriter, r *http.Request) {
	v, err := s.search.EmbedStatus(workspace(r))
	s.answer(w, r, v, err)
}

// uiEvents streams the container's changes (see routeReview).
func (s *Server) uiEvents(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	// The server's read and write timeouts are for answers, not for a
	// stream: the read timeout would cancel the request's context.
	if err := errors.Join(rc.SetReadDeadline(time.Time{}), rc.SetWriteDeadline(time.Time{})); err != nil && s.bound != "" {
		s.log.Printf("event stream: %v", err)
	}
	events, stop := s.app.Subscribe(eventBuffer)
	defer stop()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	// The first event says where the feed stands, so a client that
	// reconnects knows whether it missed something.
	fmt.Fprintf(w, "retry: 2000\nevent: hello\ndata: {\"version\":%d}\n\n", s.app.ChangesVersion())
	if rc.Flush() != nil {
		return
	}
	beat := time.NewTicker(heartbeatEvery)
	defer beat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-beat.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case e, ok := <-events:
			if !ok { // the container closed
				return
			}
			data, err := json.Marshal(e)
			if err != nil {
				return
			}
			if _, err := fmt.Fprintf(w, "id: %s\nevent: change\ndata: %s\n\n", strconv.FormatUint(e.Version, 10), data); err != nil || rc.Flush() != nil {
				return
			}
		}
	}
}

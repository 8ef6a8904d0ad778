package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/engram-app/engram/app"
)

// Routes of the UI's services beyond search (see the package comment):
//
//	GET    /api/memories?user=              app.MemoryList
//	POST   /api/memories                    {"user","text"} → app.MemoryEvents
//	PUT    /api/memories/{id}               {"user","text"} → app.MemoryEvents
//	DELETE /api/memories/{id}?user=         app.MemoryEvents
//	GET    /api/memories/{id}/history?user= app.MemoryHistory
//	POST   /api/imports                     {"path"} → {"job_id"}
//	GET    /api/jobs                        []store.Job, newest first
//	GET    /api/jobs/{id}                   app.ImportProgress (poll it)
//	POST   /api/jobs/{id}/cancel            {"cancelled": bool}
//	GET    /api/graph?name=&depth=          app.NeighborsResult
//	GET    /api/settings                    app.Settings
//	PUT    /api/settings                    {"key","value"} → app.Settings
//	GET    /api/workspaces, POST {"name"}   []app.WorkspaceInfo
//	GET    /api/dictionary                  []app.DictEntry
//	POST   /api/dictionary                  {"kind","term","expansions"}
//	DELETE /api/dictionary?kind=&term=
//
// Every route (and /api/info, /api/search, /api/documents/{id}) works in
// the workspace named by ?workspace=NAME, the default one when it is absent:
// the UI's current workspace is the frontend's choice, not server state, so
// two tabs can work in two workspaces.
//
// Writes need a JSON body (Content-Type: application/json), which a form on
// another site cannot send; the session cookie is SameSite=Strict as well.

// maxBody bounds a request's JSON body.
const maxBody = 1 << 20

func (s *Server) routeUI() {
	m := s.mux
	m.HandleFunc("GET /api/memories", s.uiMemoryList)
	m.HandleFunc("POST /api/memories", s.uiMemoryAdd)
	m.HandleFunc("PUT /api/memories/{id}", s.uiMemoryEdit)
	m.HandleFunc("DELETE /api/memories/{id}", s.uiMemoryDelete)
	m.HandleFunc("GET /api/memories/{id}/history", s.uiMemoryHistory)
	m.HandleFunc("POST /api/imports", s.uiImportStart)
	m.HandleFunc("GET /api/jobs", s.uiJobs)
	m.HandleFunc("GET /api/jobs/{id}", s.uiJob)
	m.HandleFunc("POST /api/jobs/{id}/cancel", s.uiJobCancel)
	m.HandleFunc("GET /api/graph", s.uiGraph)
	m.HandleFunc("GET /api/settings", s.uiSettings)
	m.HandleFunc("PUT /api/settings", s.uiSettingsSet)
	m.HandleFunc("GET /api/workspaces", s.uiWorkspaces)
	m.HandleFunc("POST /api/workspaces", s.uiWorkspaceCreate)
	m.HandleFunc("GET /api/dictionary", s.uiDict)
	m.HandleFunc("POST /api/dictionary", s.uiDictAdd)
	m.HandleFunc("DELETE /api/dictionary", s.uiDictRemove)
}

// errBadRequest marks errors that are the caller's (400).
var errBadRequest = errors.New("bad request")

func readJSON(r *http.Request, v any) error {
	if !isJSON(r) {
		return fmt.Errorf("%w: send a JSON body with Content-Type: application/json", errUnsupportedMedia)
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: the JSON body: %v", errBadRequest, err)
	}
	return nil
}

// answer writes v, or err with its status.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, v any, err error) {
	if err != nil {
		if st := statusOf(err); st != http.StatusInternalServerError {
			writeError(w, st, err.Error())
			return
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

type memoryBody struct {
	User string `json:"user"`
	Text string `json:"text"`
}

func (s *Server) uiMemoryList(w http.ResponseWriter, r *http.Request) {
	v, err := s.memories.List(workspace(r), r.URL.Query().Get("user"))
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryAdd(w http.ResponseWriter, r *http.Request) {
	var b memoryBody
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.memories.Add(workspace(r), b.User, b.Text)
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryEdit(w http.ResponseWriter, r *http.Request) {
	var b memoryBody
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.memories.Edit(workspace(r), b.User, r.PathValue("id"), b.Text)
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryDelete(w http.ResponseWriter, r *http.Request) {
	v, err := s.memories.Delete(workspace(r), r.URL.Query().Get("user"), r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryHistory(w http.ResponseWriter, r *http.Request) {
	v, err := s.memories.History(workspace(r), r.URL.Query().Get("user"), r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiImportStart(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Path string `json:"path"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	id, err := s.imports.Start(workspace(r), b.Path)
	s.answer(w, r, map[string]string{"job_id": id}, err)
}

func (s *Server) uiJobs(w http.ResponseWriter, r *http.Request) {
	v, err := s.imports.Jobs(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiJob(w http.ResponseWriter, r *http.Request) {
	v, err := s.imports.Progress(r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiJobCancel(w http.ResponseWriter, r *http.Request) {
	ok, err := s.imports.Cancel(r.PathValue("id"))
	s.answer(w, r, map[string]bool{"cancelled": ok}, err)
}

func (s *Server) uiGraph(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	depth, err := intParam(q.Get("depth"), 1, 3)
	if err != nil {
		writeError(w, http.StatusBadRequest, "depth "+err.Error())
		return
	}
	v, err := s.search.Neighbors(workspace(r), q.Get("name"), depth)
	if unknownName(w, err) {
		return
	}
	s.answer(w, r, v, err)
}

func (s *Server) uiSettings(w http.ResponseWriter, r *http.Request) {
	v, err := s.settings.Get(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiSettingsSet(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.settings.Set(workspace(r), b.Key, b.Value)
	s.answer(w, r, v, err)
}

func (s *Server) uiWorkspaces(w http.ResponseWriter, r *http.Request) {
	v, err := s.settings.Workspaces()
	s.answer(w, r, v, err)
}

func (s *Server) uiWorkspaceCreate(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Name string `json:"name"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.settings.CreateWorkspace(b.Name)
	s.answer(w, r, v, err)
}

func (s *Server) uiDict(w http.ResponseWriter, r *http.Request) {
	v, err := s.settings.Dictionary(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiDictAdd(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Kind       string   `json:"kind"`
		Term       string   `json:"term"`
		Expansions []string `json:"expansions"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.settings.DictAdd(workspace(r), b.Kind, b.Term, b.Expansions)
	s.answer(w, r, v, err)
}

func (s *Server) uiDictRemove(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v, err := s.settings.DictRemove(workspace(r), q.Get("kind"), q.Get("term"))
	s.answer(w, r, v, err)
}

// Close cancels the imports the server started and waits for them. Serve
// calls it when it shuts down; call it yourself when you use the Server as
// a plain http.Handler, before closing the container.
func (s *Server) Close() {
	s.endStreams()
	app.CloseImports(s.imports)
}

// endStreams ends every /api/events stream.
func (s *Server) endStreams() { s.closeOnce.Do(func() { close(s.done) }) }

// workspace is the request's ?workspace=, "" (the default workspace) when
// absent.
func workspace(r *http.Request) string {
	return strings.TrimSpace(r.URL.Query().Get("workspace"))
}

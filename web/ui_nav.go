package web

import (
	"errors"
	"net/http"

	"github.com/engram-app/engram/app"
)

// Routes of the reader's navigation and the views' newer calls:
//
//	GET    /api/documents/{id}/links   app.NoteLinks: outgoing links and backlinks with their lines
//	GET    /api/resolve?target=        app.SearchHit of the note a [[wikilink]] opens; 404 when none
//	GET    /api/suggest?q=&limit=      []app.Entity whose names start with q (limit 1-50, 10 by default)
//	DELETE /api/workspaces/{name}      []app.WorkspaceInfo left
//	GET    /api/memories/all?user=     app.MemoryList with past and deleted memories
//	GET    /api/llm                    app.LLMSettings
//	POST   /api/repair {}              app.DoctorReport, after rebuilding what disagrees with the store
//
// An unknown name in /api/graph is a 404 whose body carries the closest
// names: {"error": "no one or nothing called …", "suggestions": [app.Entity]}.
func (s *Server) routeNav() {
	m := s.mux
	m.HandleFunc("GET /api/documents/{id}/links", s.uiLinks)
	m.HandleFunc("GET /api/resolve", s.uiResolve)
	m.HandleFunc("GET /api/suggest", s.uiSuggest)
	m.HandleFunc("DELETE /api/workspaces/{name}", s.uiWorkspaceDelete)
	m.HandleFunc("GET /api/memories/all", s.uiMemoryListAll)
	m.HandleFunc("GET /api/llm", s.uiLLM)
	m.HandleFunc("POST /api/repair", s.uiRepair)
}

func (s *Server) uiLinks(w http.ResponseWriter, r *http.Request) {
	v, err := s.search.Links(workspace(r), r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiResolve(w http.ResponseWriter, r *http.Request) {
	v, err := s.search.ResolveNote(workspace(r), r.URL.Query().Get("target"))
	s.answer(w, r, v, err)
}

func (s *Server) uiSuggest(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := intParam(q.Get("limit"), 0, 50)
	if err != nil {
		writeError(w, http.StatusBadRequest, "limit "+err.Error())
		return
	}
	v, err := s.search.Suggest(workspace(r), q.Get("q"), limit)
	s.answer(w, r, v, err)
}

func (s *Server) uiWorkspaceDelete(w http.ResponseWriter, r *http.Request) {
	v, err := s.settings.DeleteWorkspace(r.PathValue("name"))
	s.answer(w, r, v, err)
}

func (s *Server) uiMemoryListAll(w http.ResponseWriter, r *http.Request) {
	v, err := s.memories.ListAll(workspace(r), r.URL.Query().Get("user"))
	s.answer(w, r, v, err)
}

func (s *Server) uiLLM(w http.ResponseWriter, r *http.Request) {
	v, err := s.settings.LLM()
	s.answer(w, r, v, err)
}

func (s *Server) uiRepair(w http.ResponseWriter, r *http.Request) {
	// A write: its JSON body ({}) is what a form on another site cannot send.
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.settings.Repair(workspace(r))
	s.answer(w, r, v, err)
}

// unknownName answers an app.UnknownNameError with 404 and its
// suggestions, and reports whether err was one.
func unknownName(w http.ResponseWriter, err error) bool {
	var u *app.UnknownNameError
	if !errors.As(err, &u) {
		return false
	}
	sug := u.Suggestions
	if sug == nil {
		sug = []app.Entity{}
	}
	writeJSON(w, http.StatusNotFound, map[string]any{"error": u.Error(), "name": u.Name, "suggestions": sug})
	return true
}

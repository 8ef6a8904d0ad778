package web

import (
	"net/http"
	"strconv"

	"github.com/engram-app/engram/app"
)

// Routes of the Gaps view (app.GapsService):
//
//	GET  /api/gaps?kind=&person=&since=&dismissed=1&limit=  app.GapsList (limit 0-10000, 0: all)
//	GET  /api/gaps/groups           []app.GapGroup: the open gaps by kind, every kind present
//	GET  /api/gaps/state            gaps.State: analysed yet, pending, running, open gaps
//	GET  /api/gaps/{id}             app.GapDetail; 404 for an unknown ID
//	POST /api/gaps/{id}/dismiss {}  {"id"}; 404 for an unknown ID
//	POST /api/gaps/{id}/restore {}  {"id"}
//	POST /api/gaps/analyze {}       gaps.Result, once the analysis has run
//	GET  /api/who-knows?topic=&limit=  app.WhoKnowsResult (limit 1-100, 10 by default)
//
// An unknown kind or a since that is not YYYY-MM-DD is a 400.
func (s *Server) routeGaps() {
	m := s.mux
	m.HandleFunc("GET /api/gaps", s.uiGapsList)
	m.HandleFunc("GET /api/gaps/groups", s.uiGapsGroups)
	m.HandleFunc("GET /api/gaps/state", s.uiGapsState)
	m.HandleFunc("GET /api/gaps/{id}", s.uiGapShow)
	m.HandleFunc("POST /api/gaps/{id}/dismiss", s.uiGapDismiss)
	m.HandleFunc("POST /api/gaps/{id}/restore", s.uiGapRestore)
	m.HandleFunc("POST /api/gaps/analyze", s.uiGapsAnalyze)
	m.HandleFunc("GET /api/who-knows", s.uiWhoKnows)
}

func (s *Server) uiGapsList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := app.GapsFilter{Kind: q.Get("kind"), Person: q.Get("person"), Since: q.Get("since")}
	switch q.Get("dismissed") {
	case "", "0", "false":
	case "1", "true":
		f.Dismissed = true
	default:
		writeError(w, http.StatusBadRequest, "dismissed must be 1 or 0")
		return
	}
	var err error
	if f.Limit, err = intParam(q.Get("limit"), 0, 10000); err != nil {
		writeError(w, http.StatusBadRequest, "limit "+err.Error())
		return
	}
	v, err := s.gaps.List(workspace(r), f)
	s.answer(w, r, v, err)
}

func (s *Server) uiGapsGroups(w http.ResponseWriter, r *http.Request) {
	v, err := s.gaps.Groups(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiGapsState(w http.ResponseWriter, r *http.Request) {
	v, err := s.gaps.State(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiGapShow(w http.ResponseWriter, r *http.Request) {
	v, err := s.gaps.Show(workspace(r), r.PathValue("id"))
	s.answer(w, r, v, err)
}

func (s *Server) uiGapDismiss(w http.ResponseWriter, r *http.Request) {
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	id := r.PathValue("id")
	s.answer(w, r, map[string]string{"id": id}, s.gaps.Dismiss(workspace(r), id))
}

func (s *Server) uiGapRestore(w http.ResponseWriter, r *http.Request) {
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	id := r.PathValue("id")
	s.answer(w, r, map[string]string{"id": id}, s.gaps.Restore(workspace(r), id))
}

func (s *Server) uiGapsAnalyze(w http.ResponseWriter, r *http.Request) {
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.gaps.Analyze(workspace(r))
	s.answer(w, r, v, err)
}

func (s *Server) uiWhoKnows(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 10
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			writeError(w, http.StatusBadRequest, "limit must be a whole number from 1 to 100 (got "+strconv.Quote(v)+")")
			return
		}
		limit = n
	}
	v, err := s.gaps.WhoKnows(workspace(r), q.Get("topic"), limit)
	s.answer(w, r, v, err)
}

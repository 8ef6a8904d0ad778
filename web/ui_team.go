package web

import (
	"net/http"
)

// Routes of the Team view (app.TeamService). No answer holds a token: the
// overview carries the server, the account's e-mail, counts and the notes'
// versions.
//
//	GET  /api/team                  teamsync.Overview: sign-in, shared workspaces (conflicts with
//	                                every version), unshared local workspaces, the latest sign-in
//	GET  /api/team/signin           teamsync.SignIn: the server and account, the latest sign-in
//	POST /api/team/login {"server"} {"auth_url"}: the page opens it; the sign-in completes in the
//	                                background (poll /api/team/signin: login.running, then
//	                                signed_in or login.error)
//	POST /api/team/push {"workspace"}  {"job_id"}: poll /api/team/jobs/{id}; "" is ?workspace=
//	POST /api/team/pull {"workspace"}  {"job_id"}, as push
//	GET  /api/team/jobs/{id}        teamsync.Progress
//
// A bad server address is a 400, a push or pull of a workspace already
// running a 409, an unknown job a 404.
func (s *Server) routeTeam() {
	m := s.mux
	m.HandleFunc("GET /api/team", s.uiTeam)
	m.HandleFunc("GET /api/team/signin", s.uiTeamSignIn)
	m.HandleFunc("POST /api/team/login", s.uiTeamLogin)
	m.HandleFunc("POST /api/team/push", s.uiTeamPush)
	m.HandleFunc("POST /api/team/pull", s.uiTeamPull)
	m.HandleFunc("GET /api/team/jobs/{id}", s.uiTeamJob)
}

func (s *Server) uiTeam(w http.ResponseWriter, r *http.Request) {
	v, err := s.team.Overview()
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamSignIn(w http.ResponseWriter, r *http.Request) {
	v, err := s.team.SignIn()
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamLogin(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Server string `json:"server"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	u, err := s.team.StartLogin(b.Server)
	s.answer(w, r, map[string]string{"auth_url": u}, err)
}

func (s *Server) uiTeamPush(w http.ResponseWriter, r *http.Request) {
	s.uiTeamStart(w, r, s.team.StartPush)
}

func (s *Server) uiTeamPull(w http.ResponseWriter, r *http.Request) {
	s.uiTeamStart(w, r, s.team.StartPull)
}

func (s *Server) uiTeamStart(w http.ResponseWriter, r *http.Request, start func(ws string) (string, error)) {
	var b struct {
		Workspace string `json:"workspace"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	if b.Workspace == "" {
		b.Workspace = workspace(r)
	}
	id, err := start(b.Workspace)
	s.answer(w, r, map[string]string{"job_id": id}, err)
}

func (s *Server) uiTeamJob(w http.ResponseWriter, r *http.Request) {
	v, err := s.team.Job(r.PathValue("id"))
	s.answer(w, r, v, err)
}

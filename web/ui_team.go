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
//	GET  /api/team/teams            []syncproto.Team: the user's teams, rosters for administrators
//	POST /api/team/teams {"name"}   syncproto.Team: a new team the user administers
//	POST /api/team/teams/{id}/members {"email"}  syncproto.Person: a teammate added
//	DELETE /api/team/teams/{id}/members?email=   {"removed": true}; the user's own e-mail leaves
//	POST /api/team/teams/{id}/leave {}          {"left": true}: the user leaves the team
//	PUT  /api/team/share {"workspace","team_id"} {"workspace","team_id"}; team_id "" is private
//	GET  /api/team/remote           []teamsync.Remote: the server's workspaces the user may read
//	POST /api/team/follow {"id","workspace"}     teamsync.Followed: the local workspace and its pull's job
//
// A bad server address is a 400, a push or pull of a workspace already
// running a 409, an unknown job a 404. The team server's refusals keep its
// status (a 403 for a team one does not administer, a 404 for an e-mail
// nobody signed in as, a 400 for a bad name), with its words as the error.
func (s *Server) routeTeam() {
	m := s.mux
	m.HandleFunc("GET /api/team", s.uiTeam)
	m.HandleFunc("GET /api/team/signin", s.uiTeamSignIn)
	m.HandleFunc("POST /api/team/login", s.uiTeamLogin)
	m.HandleFunc("POST /api/team/push", s.uiTeamPush)
	m.HandleFunc("POST /api/team/pull", s.uiTeamPull)
	m.HandleFunc("GET /api/team/jobs/{id}", s.uiTeamJob)
	m.HandleFunc("GET /api/team/teams", s.uiTeamTeams)
	m.HandleFunc("POST /api/team/teams", s.uiTeamMake)
	m.HandleFunc("POST /api/team/teams/{id}/members", s.uiTeamAdd)
	m.HandleFunc("DELETE /api/team/teams/{id}/members", s.uiTeamRemove)
	m.HandleFunc("POST /api/team/teams/{id}/leave", s.uiTeamLeave)
	m.HandleFunc("PUT /api/team/share", s.uiTeamShare)
	m.HandleFunc("GET /api/team/remote", s.uiTeamRemote)
	m.HandleFunc("POST /api/team/follow", s.uiTeamFollow)
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

func (s *Server) uiTeamTeams(w http.ResponseWriter, r *http.Request) {
	v, err := s.team.Teams()
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamMake(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Name string `json:"name"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.team.MakeTeam(b.Name)
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamAdd(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Email string `json:"email"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.team.AddMember(r.PathValue("id"), b.Email)
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamRemove(w http.ResponseWriter, r *http.Request) {
	err := s.team.RemoveMember(r.PathValue("id"), r.URL.Query().Get("email"))
	s.answer(w, r, map[string]bool{"removed": true}, err)
}

func (s *Server) uiTeamLeave(w http.ResponseWriter, r *http.Request) {
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	err := s.team.Leave(r.PathValue("id"))
	s.answer(w, r, map[string]bool{"left": true}, err)
}

func (s *Server) uiTeamShare(w http.ResponseWriter, r *http.Request) {
	var b struct {
		Workspace string `json:"workspace"`
		TeamID    string `json:"team_id"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	err := s.team.Share(b.Workspace, b.TeamID)
	s.answer(w, r, b, err)
}

func (s *Server) uiTeamRemote(w http.ResponseWriter, r *http.Request) {
	v, err := s.team.Remotes()
	s.answer(w, r, v, err)
}

func (s *Server) uiTeamFollow(w http.ResponseWriter, r *http.Request) {
	var b struct {
		ID        string `json:"id"`
		Workspace string `json:"workspace"`
	}
	if err := readJSON(r, &b); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.team.Follow(b.ID, b.Workspace)
	s.answer(w, r, v, err)
}

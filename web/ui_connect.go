package web

import (
	"net/http"

	"github.com/engram-app/engram/connect"
)

// Routes of the Connectors view (app.ConnectorsService). No answer holds a
// token: a status carries the account, counts and last error only.
//
//	GET    /api/connectors                    []connect.Status of gmail, slack and box
//	POST   /api/connectors/{name}/connect {}  app.ConnectStart {"name","auth_url"}: the page opens
//	                                          auth_url; the sign-in completes in the background
//	GET    /api/connectors/{name}/connect-error  {"error"}: why the last sign-in failed, "" if it did not
//	POST   /api/connectors/{name}/sync {}     connect.Status after the sync (poll the list meanwhile:
//	                                          its counts grow page by page)
//	DELETE /api/connectors/{name}             []connect.Status after removing its tokens and record
//
// An unknown name is a 404; a sync already running, or of a connector not
// connected, is a 409; a connector without a client ID is a 400.
func (s *Server) routeConnect() {
	m := s.mux
	m.HandleFunc("GET /api/connectors", s.uiConnectors)
	m.HandleFunc("POST /api/connectors/{name}/connect", s.uiConnectStart)
	m.HandleFunc("GET /api/connectors/{name}/connect-error", s.uiConnectError)
	m.HandleFunc("POST /api/connectors/{name}/sync", s.uiConnectSync)
	m.HandleFunc("DELETE /api/connectors/{name}", s.uiConnectDisconnect)
}

// knownConnector answers 404 for a name no connector has.
func knownConnector(w http.ResponseWriter, name string) bool {
	if _, err := connect.Lookup(name); err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return false
	}
	return true
}

func (s *Server) uiConnectors(w http.ResponseWriter, r *http.Request) {
	v, err := s.connectors.List()
	s.answer(w, r, v, err)
}

func (s *Server) uiConnectStart(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !knownConnector(w, name) {
		return
	}
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.connectors.StartConnect(workspace(r), name)
	s.answer(w, r, v, err)
}

func (s *Server) uiConnectError(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !knownConnector(w, name) {
		return
	}
	msg, err := s.connectors.ConnectError(name)
	s.answer(w, r, map[string]string{"error": msg}, err)
}

func (s *Server) uiConnectSync(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !knownConnector(w, name) {
		return
	}
	if err := readJSON(r, &struct{}{}); err != nil {
		s.answer(w, r, nil, err)
		return
	}
	v, err := s.connectors.Sync(name)
	s.answer(w, r, v, err)
}

func (s *Server) uiConnectDisconnect(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !knownConnector(w, name) {
		return
	}
	v, err := s.connectors.Disconnect(name)
	s.answer(w, r, v, err)
}

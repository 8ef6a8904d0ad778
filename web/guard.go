package web

import (
	"errors"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/config"
	"github.com/engram-app/engram/connect"
	"github.com/engram-app/engram/embed"
	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/graph"
	"github.com/engram-app/engram/internal/bounds"
	"github.com/engram-app/engram/memory"
	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// errUnsupportedMedia marks a request body that is not JSON (415).
var errUnsupportedMedia = errors.New("unsupported media type")

// allowedHost reports whether a request's Host names this server: a
// loopback address, localhost (or a name under .localhost, which browsers
// resolve to loopback themselves), or the address it is bound to. Any
// other name is a DNS rebinding attempt: a hostile page whose name now
// resolves to 127.0.0.1 would otherwise be same-origin with us.
func (s *Server) allowedHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.Trim(host, "[]"), ".")
	if host == "" {
		return false
	}
	lower := strings.ToLower(host)
	if lower == "localhost" || strings.HasSuffix(lower, ".localhost") {
		return true
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	if s.bound != "" {
		if bh, _, err := net.SplitHostPort(s.bound); err == nil && strings.EqualFold(strings.Trim(bh, "[]"), host) {
			return true
		}
	}
	return false
}

// allowedOrigin reports whether a request's Origin, when it has one, is this
// server itself (same scheme, host and port as the request's Host): a page
// served by another local port or site gets nothing, even with a job ID or
// a token it learnt.
func allowedOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true // not a browser's cross-origin request
	}
	u, err := url.Parse(o)
	if err != nil || u.Scheme != "http" || u.Path != "" && u.Path != "/" {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// checkRequest answers 403 for a foreign Host or Origin and 415 for a
// state-changing request whose body is not JSON, and reports whether the
// request may go on. It runs before the token is looked at.
func (s *Server) checkRequest(w http.ResponseWriter, r *http.Request, isAPI bool) bool {
	if !s.allowedHost(r.Host) || !allowedOrigin(r) {
		const msg = "forbidden: this server answers only pages it served itself, on a loopback address"
		if isAPI {
			writeError(w, http.StatusForbidden, msg)
		} else {
			http.Error(w, msg, http.StatusForbidden)
		}
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	// A body must be JSON, which a form on another site cannot send.
	// Requests without one (DELETE, cancel) rely on the token and the
	// Origin check above.
	if isAPI && (r.ContentLength > 0 || r.ContentLength < 0 && r.Body != nil && r.Body != http.NoBody) && !isJSON(r) {
		writeError(w, http.StatusUnsupportedMediaType, "send a JSON body with Content-Type: application/json")
		return false
	}
	return true
}

// statusOf chooses the HTTP status of an error from its type: 404 for what
// does not exist, 400 for a request the caller can correct, 409 for a
// conflict, 503 for a part that is down or damaged, 500 otherwise.
func statusOf(err error) int {
	var refused *teamclient.RefusedError
	switch {
	case errors.Is(err, errBadRequest), errors.Is(err, search.ErrInvalidQuery),
		errors.Is(err, bounds.ErrOutOfRange), errors.Is(err, config.ErrUnknownKey), errors.Is(err, config.ErrBadValue),
		errors.Is(err, app.ErrInvalid), errors.Is(err, app.ErrBadMode), errors.Is(err, app.ErrBadFilter):
		// The user's to fix; a query error's message never holds the query.
		return http.StatusBadRequest
	case errors.Is(err, errUnsupportedMedia):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, app.ErrNoDialog):
		return http.StatusNotImplemented
	case errors.Is(err, store.ErrNotFound), errors.Is(err, store.ErrNoWorkspace),
		errors.Is(err, graph.ErrNotFound), errors.Is(err, graph.ErrNoPath),
		errors.Is(err, memory.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, store.ErrBadName), errors.Is(err, graph.ErrUnknownPredicate),
		errors.Is(err, graph.ErrInvalidNode), errors.Is(err, memory.ErrEmpty),
		errors.Is(err, memory.ErrNothingToRemember), errors.Is(err, memory.ErrBadFilter),
		errors.Is(err, memory.ErrBadEvent), errors.Is(err, store.ErrBadUser),
		errors.Is(err, connect.ErrBadSetting), errors.Is(err, embed.ErrConfig):
		return http.StatusBadRequest
	case errors.Is(err, gaps.ErrNotFound), errors.Is(err, connect.ErrUnknown), errors.Is(err, teamsync.ErrNoJob):
		return http.StatusNotFound
	case errors.Is(err, teamsync.ErrBadServer):
		return http.StatusBadRequest
	case errors.Is(err, teamsync.ErrBusy), errors.Is(err, teamclient.ErrNotSignedIn):
		return http.StatusConflict
	case errors.Is(err, teamclient.ErrUnreachable):
		return http.StatusBadGateway
	case errors.Is(err, teamsync.ErrNoRemote):
		return http.StatusNotFound
	case errors.Is(err, teamclient.ErrAlreadySyncs):
		return http.StatusConflict
	case errors.As(err, &refused):
		// The team server's refusal keeps its status when it is the
		// user's to correct (403, 404, 400, 409); its failures are a 502.
		switch refused.Status {
		case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound, http.StatusConflict:
			return refused.Status
		}
		return http.StatusBadGateway
	case errors.Is(err, app.ErrBadFilter), errors.Is(err, gaps.ErrBadKind), errors.Is(err, connect.ErrNoClientID):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrWorkspaceExists), errors.Is(err, connect.ErrBusy),
		errors.Is(err, connect.ErrNotConnected), errors.Is(err, connect.ErrReconnect),
		errors.Is(err, memory.ErrNotLatest), errors.Is(err, app.ErrInUse):
		return http.StatusConflict
	case errors.Is(err, app.ErrGraphDown), errors.Is(err, app.ErrDerivedDamaged), errors.Is(err, app.ErrClosed),
		errors.Is(err, search.ErrIndexCorrupt):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// isJSON reports whether the request says its body is JSON.
func isJSON(r *http.Request) bool {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/json"
}

package teamsync

import (
	"errors"
	"net/http"

	"github.com/engram-app/engram/teamclient"
)

// ErrBusy means a push or pull of the workspace (or a sign-in) is running
// already: wait for it to end.
var ErrBusy = errors.New("already running")

// ErrNoJob means no push or pull of that ID ran in this process.
var ErrNoJob = errors.New("no such team job")

// ErrBadServer means the team server's address is not one the client
// accepts (teamclient.CheckServerURL).
var ErrBadServer = errors.New("bad team server URL")

// ErrNoRemote means no workspace of that ID on the server is a teammate's
// the user may read: the Team view's "From your teammates" lists them.
var ErrNoRemote = teamclient.ErrNoRemote

// RefusedError is a request the team server refused
// (teamclient.RefusedError), in the server's words alone: they say what to
// do ("nobody has signed in to this server as ..."). errors.As finds the
// teamclient.RefusedError, with the status, beneath it.
type RefusedError struct {
	Message string
	err     *teamclient.RefusedError
}

func (e *RefusedError) Error() string { return e.Message }
func (e *RefusedError) Unwrap() error { return e.err }

// refusal is err with a refusal of the server (teamclient.RefusedError)
// given as a RefusedError; any other error is err.
func refusal(err error) error {
	var re *teamclient.RefusedError
	if errors.As(err, &re) {
		return &RefusedError{Message: re.Message, err: re}
	}
	return err
}

// The kinds of error a Progress or a LoginState names, for the UI to say
// what to do; "" is any other error.
const (
	KindSignedOut   = "signed_out"  // no sign-in, or the session expired or was revoked
	KindUnreachable = "unreachable" // the server did not answer
	KindBusy        = "busy"        // a push or pull of the workspace runs already
	KindBadServer   = "bad_server"  // the address is not an https (or loopback http) URL
	KindForbidden   = "forbidden"   // the server refused: the user may not (administer the team, share with it)
	KindNotFound    = "not_found"   // the server knows no such user, team or workspace (nobody signed in as that e-mail)
	KindRefused     = "refused"     // the server refused the request as it was (a bad name or e-mail)
)

// ErrorKind is the kind of err, from its type: KindSignedOut,
// KindUnreachable, KindBusy, KindBadServer, KindForbidden, KindNotFound,
// KindRefused or "".
func ErrorKind(err error) string {
	var re *teamclient.RefusedError
	switch {
	case err == nil:
		return ""
	case errors.Is(err, teamclient.ErrNotSignedIn):
		return KindSignedOut
	case errors.Is(err, teamclient.ErrUnreachable):
		return KindUnreachable
	case errors.Is(err, ErrBusy):
		return KindBusy
	case errors.Is(err, ErrBadServer):
		return KindBadServer
	case errors.Is(err, ErrNoRemote):
		return KindNotFound
	case errors.As(err, &re) && re.Status == http.StatusForbidden:
		return KindForbidden
	case re != nil && re.Status == http.StatusNotFound:
		return KindNotFound
	case re != nil && re.Status >= 400 && re.Status < 500:
		return KindRefused
	}
	return ""
}

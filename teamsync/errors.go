package teamsync

import (
	"errors"

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

// The kinds of error a Progress or a LoginState names, for the UI to say
// what to do; "" is any other error.
const (
	KindSignedOut   = "signed_out"  // no sign-in, or the session expired or was revoked
	KindUnreachable = "unreachable" // the server did not answer
	KindBusy        = "busy"        // a push or pull of the workspace runs already
	KindBadServer   = "bad_server"  // the address is not an https (or loopback http) URL
)

// ErrorKind is the kind of err, from its type: KindSignedOut,
// KindUnreachable, KindBusy, KindBadServer or "".
func ErrorKind(err error) string {
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
	}
	return ""
}

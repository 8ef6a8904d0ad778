package teamsync

import (
	"time"

	"github.com/engram-app/engram/teamclient"
)

// SignIn is the sign-in part of the Team view: the server and account
// signed in to, and the UI's latest sign-in. Reading it costs no more than
// a look at memory, so a view waiting for a sign-in can poll it.
type SignIn struct {
	Server   string     `json:"server"`  // "" before a sign-in
	Account  string     `json:"account"` // the e-mail signed in as
	Device   string     `json:"device"`
	SignedIn bool       `json:"signed_in"`
	Login    LoginState `json:"login"`
}

// SignIn reads the sign-in's state. It does not call the server.
func (s *Sync) SignIn() SignIn {
	c := s.d.Client
	server, signedIn := c.Session()
	return SignIn{Server: server, Account: c.Account(), Device: c.Device(), SignedIn: signedIn, Login: s.LoginState()}
}

// Overview is what the Team view shows: the sign-in, every shared
// workspace's state with its conflicts (both versions of each), and the
// local workspaces not shared yet.
type Overview struct {
	SignIn
	Workspaces []WorkspaceOverview `json:"workspaces"`
	Unshared   []string            `json:"unshared"` // local workspaces never pushed or pulled
}

// WorkspaceOverview is one shared workspace in the Team view.
type WorkspaceOverview struct {
	Workspace string `json:"workspace"`
	// Follows is the ID of the teammate's workspace it syncs with; "" when
	// it syncs with the user's own workspace of its name.
	Follows string `json:"follows,omitempty"`
	Items   int    `json:"items"`   // items the pulled log holds
	Cursor  int64  `json:"cursor"`  // the log position pulled up to
	Pending int    `json:"pending"` // changes in the outbox, not yet acknowledged
	// Changed is what a push would send now: notes edited, added or
	// removed since this desktop's last push.
	Changed   int                    `json:"changed"`
	LastPush  string                 `json:"last_push,omitempty"` // RFC 3339, UTC; absent: never
	LastPull  string                 `json:"last_pull,omitempty"`
	Conflicts []teamclient.ItemState `json:"conflicts"`
	// Job is the latest push or pull of the workspace in this process,
	// running or ended.
	Job *Progress `json:"job,omitempty"`
}

// Overview reads the Team view's state. It does not call the server, but
// reads every shared workspace's notes to count what waits to be pushed.
func (s *Sync) Overview() (Overview, error) {
	c := s.d.Client
	st, err := c.Status(nil)
	if err != nil {
		return Overview{}, err
	}
	ov := Overview{SignIn: s.SignIn(), Workspaces: []WorkspaceOverview{}}
	shared := make([]string, 0, len(st.Workspaces))
	for _, w := range st.Workspaces {
		shared = append(shared, w.Workspace)
		o := WorkspaceOverview{Workspace: w.Workspace, Follows: w.Follows, Items: w.Items, Cursor: w.Cursor, Pending: w.Pending, Conflicts: w.Conflicts}
		if o.Changed, err = c.Changed(w.Workspace, s.d.Notes(w.Workspace)); err != nil {
			return ov, err
		}
		pushed, pulled, err := c.Synced(w.Workspace)
		if err != nil {
			return ov, err
		}
		o.LastPush, o.LastPull = stamp(pushed), stamp(pulled)
		s.mu.Lock()
		if id, ok := s.last[w.Workspace]; ok {
			p := s.jobs[id].last
			o.Job = &p
		}
		s.mu.Unlock()
		ov.Workspaces = append(ov.Workspaces, o)
	}
	if ov.Unshared, err = s.unshared(shared); err != nil {
		return ov, err
	}
	return ov, nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

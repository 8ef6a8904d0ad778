package teamsync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
)

// Teams, teammates and sharing as the Team view runs them: each is one call
// to the server through the client (teamclient.Client.MakeTeam, AddMember,
// Share, ...), its refusals in the server's words (RefusedError).

// Teams lists the user's teams by name, with the rosters of those they
// administer.
func (s *Sync) Teams(ctx context.Context) ([]syncproto.Team, error) {
	ts, err := s.d.Client.Teams(ctx)
	if ts == nil {
		ts = []syncproto.Team{}
	}
	return ts, refusal(err)
}

// MakeTeam makes a team called name with the user as its administrator.
func (s *Sync) MakeTeam(ctx context.Context, name string) (syncproto.Team, error) {
	t, err := s.d.Client.MakeTeam(ctx, strings.TrimSpace(name))
	return t, refusal(err)
}

// AddMember adds the user who signed in to the server as email to the
// team (its ID). Only the team's administrators may (KindForbidden), and
// only someone who signed in once (KindNotFound).
func (s *Sync) AddMember(ctx context.Context, team, email string) (syncproto.Person, error) {
	p, err := s.d.Client.AddMember(ctx, team, strings.TrimSpace(email))
	return p, refusal(err)
}

// RemoveMember takes email out of the team (its ID): an administrator may
// remove anyone, a member only themselves (Leave).
func (s *Sync) RemoveMember(ctx context.Context, team, email string) error {
	return refusal(s.d.Client.RemoveMember(ctx, team, strings.TrimSpace(email)))
}

// Leave takes the signed-in user out of the team (its ID).
func (s *Sync) Leave(ctx context.Context, team string) error {
	me := s.d.Client.Account()
	if me == "" {
		return fmt.Errorf("%w: the server gave no e-mail for this sign-in; sign in again", teamclient.ErrNotSignedIn)
	}
	return s.RemoveMember(ctx, team, me)
}

// Share shares the user's workspace ws, pushed before, with the team (its
// ID); team "" makes it private again.
func (s *Sync) Share(ctx context.Context, ws, team string) error {
	if ws == "" {
		return errors.New("name the workspace to share")
	}
	return refusal(s.d.Client.Share(ctx, ws, team))
}

// Remote is a workspace on the server the user may read, as the Team view
// shows it.
type Remote struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Owner    string `json:"owner"` // the owner's e-mail
	Mine     bool   `json:"mine"`
	TeamID   string `json:"team_id,omitempty"` // "" while private
	TeamName string `json:"team_name,omitempty"`
	// Local is the local workspace that syncs with it: for one of the
	// user's, the pushed workspace of its name; for a teammate's, the one
	// that follows it. "" when none does.
	Local string `json:"local,omitempty"`
}

// Remotes lists the workspaces on the server the user may read, their own
// first, then their teammates' by owner and name (the server's order),
// each with the local workspace that syncs with it.
func (s *Sync) Remotes(ctx context.Context) ([]Remote, error) {
	all, err := s.d.Client.ServerWorkspaces(ctx)
	if err != nil {
		return nil, refusal(err)
	}
	st, err := s.d.Client.Status(nil)
	if err != nil {
		return nil, err
	}
	out := make([]Remote, 0, len(all))
	for _, w := range all {
		r := Remote{ID: w.ID, Name: w.Name, Owner: w.Owner.Email, Mine: w.Mine, TeamID: w.TeamID, TeamName: w.TeamName}
		for _, l := range st.Workspaces {
			if (w.Mine && l.Follows == "" && l.Workspace == w.Name) || l.Follows == w.ID {
				r.Local = l.Workspace
				break
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Followed is a Follow's outcome: the local workspace that follows the
// teammate's and the pull that brings it in (a job, see Start).
type Followed struct {
	Workspace string `json:"workspace"`
	JobID     string `json:"job_id"`
}

// Follow makes the local workspace local (made when missing; "" is the
// remote workspace's name) sync with id, a workspace a teammate shares,
// and starts pulling it as Start does (emit gets its progress). A local
// workspace that syncs with another already is refused.
func (s *Sync) Follow(ctx context.Context, id, local string, emit func(Progress)) (Followed, error) {
	_, local, err := s.d.Client.Follow(ctx, local, id)
	if err != nil {
		return Followed{}, refusal(err)
	}
	if err := s.d.Ensure(local); err != nil {
		return Followed{}, err
	}
	job, err := s.Start(ctx, JobPull, local, emit)
	return Followed{Workspace: local, JobID: job}, err
}

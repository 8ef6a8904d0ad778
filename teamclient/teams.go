package teamclient

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
)

// Teams, teammates and the workspaces they share (the server's schema 5).
// A local workspace either syncs with the user's own workspace of the same
// name on the server, or follows a workspace a teammate shares: Follow
// records its ID, and push and pull then go to it.

// ErrAlreadySyncs means the local workspace a Follow names syncs with
// another workspace on the server already: follow into a new one.
var ErrAlreadySyncs = errors.New("already syncs with the team server")

// MakeTeam makes a team on the server with the user as its administrator.
func (c *Client) MakeTeam(ctx context.Context, name string) (syncproto.Team, error) {
	var t syncproto.Team
	err := c.call(ctx, "POST", "/v1/teams", syncproto.TeamRequest{Name: name}, &t)
	return t, err
}

// Teams lists the user's teams, with the rosters of those they administer.
func (c *Client) Teams(ctx context.Context) ([]syncproto.Team, error) {
	var ts []syncproto.Team
	err := c.call(ctx, "GET", "/v1/teams", nil, &ts)
	return ts, err
}

// FindTeam is the user's team with the ID or the name team.
func (c *Client) FindTeam(ctx context.Context, team string) (syncproto.Team, error) {
	ts, err := c.Teams(ctx)
	if err != nil {
		return syncproto.Team{}, err
	}
	var named []syncproto.Team
	for _, t := range ts {
		if t.ID == team {
			return t, nil
		}
		if strings.EqualFold(t.Name, team) {
			named = append(named, t)
		}
	}
	switch len(named) {
	case 1:
		return named[0], nil
	case 0:
		return syncproto.Team{}, fmt.Errorf("you are in no team called %q: engram team teams lists yours", team)
	}
	ids := make([]string, len(named))
	for i, t := range named {
		ids[i] = t.ID
	}
	return syncproto.Team{}, fmt.Errorf("%d of your teams are called %q: name one by its ID (%s)", len(named), team, strings.Join(ids, ", "))
}

// AddMember adds the user who signed in as email to the team (an ID).
func (c *Client) AddMember(ctx context.Context, team, email string) (syncproto.Person, error) {
	var p syncproto.Person
	err := c.call(ctx, "POST", "/v1/teams/"+url.PathEscape(team)+"/members", syncproto.MemberRequest{Email: email}, &p)
	return p, err
}

// RemoveMember takes the user who signed in as email out of the team.
func (c *Client) RemoveMember(ctx context.Context, team, email string) error {
	var res map[string]bool
	return c.call(ctx, "DELETE", "/v1/teams/"+url.PathEscape(team)+"/members?email="+url.QueryEscape(email), nil, &res)
}

// Share shares the user's workspace ws (pushed before) with the team (an
// ID); team "" makes it private again.
func (c *Client) Share(ctx context.Context, ws, team string) error {
	var res map[string]string
	return c.call(ctx, "PUT", "/v1/workspaces/share", syncproto.ShareRequest{Workspace: ws, TeamID: team}, &res)
}

// ServerWorkspaces lists the workspaces on the server the user may read:
// their own and those their teams share.
func (c *Client) ServerWorkspaces(ctx context.Context) ([]syncproto.Workspace, error) {
	var ws []syncproto.Workspace
	err := c.call(ctx, "GET", "/v1/workspaces", nil, &ws)
	return ws, err
}

// ErrNoRemote means no workspace of that ID on the server is a teammate's
// the user may read.
var ErrNoRemote = errors.New("no such workspace on the team server")

// Follow makes the local workspace local ("" is the remote workspace's
// name) sync with the server's workspace id, one a teammate shares: its
// pulls bring that workspace, its pushes add to it. It returns the remote
// workspace and the local name. A local workspace that already syncs with
// another is refused (ErrAlreadySyncs).
func (c *Client) Follow(ctx context.Context, local, id string) (syncproto.Workspace, string, error) {
	all, err := c.ServerWorkspaces(ctx)
	if err != nil {
		return syncproto.Workspace{}, "", err
	}
	i := slices.IndexFunc(all, func(w syncproto.Workspace) bool { return w.ID == id && !w.Mine })
	if i < 0 {
		return syncproto.Workspace{}, "", fmt.Errorf("%w: none of ID %q is a teammate's you may read (engram team workspaces lists them)", ErrNoRemote, id)
	}
	found := all[i]
	if local == "" {
		local = found.Name
	}
	if err := store.ValidWorkspaceName(local); err != nil {
		return found, "", err
	}
	err = c.db.Update(func(tx *bolt.Tx) error {
		items, _, state, err := wsBuckets(tx, local, true)
		if err != nil {
			return err
		}
		if cur := string(state.Get([]byte("remote"))); cur == id {
			return nil
		} else if cur != "" || items.Stats().KeyN > 0 {
			return fmt.Errorf("the local workspace %q %w; follow into a new one (--as NAME)", local, ErrAlreadySyncs)
		}
		if err := state.Put([]byte("remote"), []byte(id)); err != nil {
			return err
		}
		return remember(tx, local)
	})
	return found, local, err
}

// remote is the ID of the server workspace ws follows, or "" when it syncs
// with the user's own workspace of its name.
func (c *Client) remote(ws string) string {
	var id string
	_ = c.db.View(func(tx *bolt.Tx) error {
		if _, _, state, _ := wsBuckets(tx, ws, false); state != nil {
			id = string(state.Get([]byte("remote")))
		}
		return nil
	})
	return id
}

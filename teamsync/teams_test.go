package teamsync_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamsync"
)

// TestTeamsShareAndFollow: hana makes a team and adds ivo (who signed in
// once); adding someone who never signed in, or adding as a mere member,
// is refused in the server's words with its kind; hana shares her pushed
// workspace with the team; ivo sees it among his teammates' workspaces,
// follows it into a workspace made for it, and the pull brings hana's
// notes; his overview and remotes say it is followed; leaving the team
// takes it out of his reach.
func TestTeamsShareAndFollow(t *testing.T) {
	srv := startServer(t)
	hana := newDesktop(t, map[string]string{"plan.md": "Hana's plan: kayak."})
	ivo := newDesktop(t, map[string]string{})
	ctx := context.Background()
	hana.login(t, srv, "hana")
	ivo.login(t, srv, "ivo")

	if ts, err := hana.s.Teams(ctx); err != nil || ts == nil || len(ts) != 0 {
		t.Fatalf("teams before any: %v %v", ts, err)
	}
	team, err := hana.s.MakeTeam(ctx, "  Rowing  ")
	if err != nil || team.Name != "Rowing" || !team.Admin || team.ID == "" {
		t.Fatalf("MakeTeam: %+v %v", team, err)
	}
	if _, err := hana.s.MakeTeam(ctx, ""); teamsync.ErrorKind(err) != teamsync.KindRefused {
		t.Fatalf("a team without a name: %v (kind %q)", err, teamsync.ErrorKind(err))
	}

	_, err = hana.s.AddMember(ctx, team.ID, "nobody@example.org")
	var re *teamclient.RefusedError
	if teamsync.ErrorKind(err) != teamsync.KindNotFound || !errors.As(err, &re) || re.Status != http.StatusNotFound ||
		!strings.HasPrefix(err.Error(), "not found: nobody has signed in to this server as nobody@example.org") {
		t.Fatalf("adding someone who never signed in: %v (kind %q)", err, teamsync.ErrorKind(err))
	}
	if p, err := hana.s.AddMember(ctx, team.ID, " IVO@example.org "); err != nil || p.Email != "ivo@example.org" {
		t.Fatalf("adding ivo: %+v %v", p, err)
	}
	if _, err := ivo.s.AddMember(ctx, team.ID, "hana@example.org"); teamsync.ErrorKind(err) != teamsync.KindForbidden || !strings.Contains(err.Error(), "do not administer") {
		t.Fatalf("a member adding someone: %v (kind %q)", err, teamsync.ErrorKind(err))
	}
	ts, err := hana.s.Teams(ctx)
	if err != nil || len(ts) != 1 || len(ts[0].Members) != 2 || ts[0].Members[0].Email != "hana@example.org" || ts[0].Members[1].Email != "ivo@example.org" {
		t.Fatalf("hana's teams: %+v %v", ts, err)
	}
	if ts, err := ivo.s.Teams(ctx); err != nil || len(ts) != 1 || ts[0].Admin || len(ts[0].Members) != 0 {
		t.Fatalf("ivo's teams (no roster for a member): %+v %v", ts, err)
	}

	if err := hana.s.Share(ctx, "personal", team.ID); teamsync.ErrorKind(err) != teamsync.KindNotFound || !strings.Contains(err.Error(), "push it first") {
		t.Fatalf("sharing a workspace never pushed: %v", err)
	}
	if p := final(t, hana.run(t, teamsync.JobPush, "personal")); p.State != "done" {
		t.Fatalf("hana's push: %+v", p)
	}
	if rs := remotes(t, ivo); len(rs) != 0 {
		t.Fatalf("ivo's remotes before the share: %+v", rs)
	}
	if err := hana.s.Share(ctx, "personal", team.ID); err != nil {
		t.Fatal(err)
	}
	mine := remotes(t, hana)
	if len(mine) != 1 || !mine[0].Mine || mine[0].TeamName != "Rowing" || mine[0].Local != "personal" || mine[0].Owner != "hana@example.org" {
		t.Fatalf("hana's remotes: %+v", mine)
	}
	rs := remotes(t, ivo)
	if len(rs) != 1 || rs[0].Mine || rs[0].ID != mine[0].ID || rs[0].Owner != "hana@example.org" || rs[0].TeamName != "Rowing" || rs[0].Local != "" {
		t.Fatalf("ivo's remotes after the share: %+v", rs)
	}

	if _, err := ivo.s.Follow(ctx, "00000000-0000-4000-8000-000000000000", "", nil); !errors.Is(err, teamsync.ErrNoRemote) || teamsync.ErrorKind(err) != teamsync.KindNotFound {
		t.Fatalf("following an unknown workspace: %v", err)
	}
	if _, err := ivo.s.Follow(ctx, rs[0].ID, "Not A Name", nil); err == nil || len(ivo.ensured) != 0 {
		t.Fatalf("following into a bad name: %v, made %v", err, ivo.ensured)
	}
	done := make(chan teamsync.Progress, 1)
	f, err := ivo.s.Follow(ctx, rs[0].ID, "hana-personal", func(p teamsync.Progress) {
		if p.Finished {
			done <- p
		}
	})
	if err != nil || f.Workspace != "hana-personal" || f.JobID == "" {
		t.Fatalf("Follow: %+v %v", f, err)
	}
	select {
	case p := <-done:
		if p.State != "done" || p.Kind != teamsync.JobPull || p.Workspace != "hana-personal" || p.Pulled != 1 {
			t.Fatalf("the follow's pull: %+v", p)
		}
	case <-time.After(time.Minute):
		t.Fatal("the follow's pull never finished")
	}
	if !slices.Equal(ivo.ensured, []string{"hana-personal"}) {
		t.Fatalf("the local workspaces made: %v", ivo.ensured)
	}
	if len(ivo.shared) != 1 || ivo.shared[0].Body != "Hana's plan: kayak." {
		t.Fatalf("what the pull put in ivo's workspace: %+v", ivo.shared)
	}
	if rs := remotes(t, ivo); rs[0].Local != "hana-personal" {
		t.Fatalf("ivo's remotes after following: %+v", rs)
	}
	if ov := overview(t, ivo); len(ov.Workspaces) != 1 || ov.Workspaces[0].Follows != rs[0].ID {
		t.Fatalf("ivo's overview after following: %+v", ov.Workspaces)
	}

	if err := ivo.s.Leave(ctx, team.ID); err != nil {
		t.Fatalf("ivo leaves: %v", err)
	}
	if rs := remotes(t, ivo); len(rs) != 0 {
		t.Fatalf("ivo's remotes after leaving: %+v", rs)
	}
	if err := hana.s.RemoveMember(ctx, team.ID, "ivo@example.org"); teamsync.ErrorKind(err) != teamsync.KindNotFound {
		t.Fatalf("removing someone who left: %v", err)
	}
	if err := hana.s.Share(ctx, "personal", ""); err != nil {
		t.Fatal(err)
	}
	if mine := remotes(t, hana); mine[0].TeamID != "" || mine[0].TeamName != "" {
		t.Fatalf("hana's workspace after making it private: %+v", mine)
	}
}

func remotes(t *testing.T, d *desktop) []teamsync.Remote {
	t.Helper()
	rs, err := d.s.Remotes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

package teamserver_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamserver"
)

// inTxAs runs fn in a transaction of the app role with engram.user_id =
// user, as a handler with a bug could.
func inTxAs(t *testing.T, url, user string, fn func(ctx context.Context, tx pgx.Tx) error) error {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	return pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('engram.user_id', $1, true)`, user); err != nil {
			return err
		}
		return fn(ctx, tx)
	})
}

// asApp runs sql as the app role for user and returns its error.
func asApp(t *testing.T, url, user, sql string, args ...any) error {
	t.Helper()
	return inTxAs(t, url, user, func(ctx context.Context, tx pgx.Tx) error {
		_, err := tx.Exec(ctx, sql, args...)
		return err
	})
}

// countAs is the count sql reads as the app role for user.
func countAs(t *testing.T, url, user, sql string) int {
	t.Helper()
	var n int
	if err := inTxAs(t, url, user, func(ctx context.Context, tx pgx.Tx) error { return tx.QueryRow(ctx, sql).Scan(&n) }); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestTeams: a user makes a team, adds a teammate by email and shares a
// workspace with it; the teammate lists it, pulls it, pushes to it and
// finds it in team search; a stranger can do none of it, through the API
// or by raw SQL as the app role; leaving the team ends the access.
func TestTeams(t *testing.T) {
	c, s := setup(t, 2)
	ctx := context.Background()
	session := func(sub string) string {
		_, id, err := s[0].NewSession(ctx, "https://idp.test", sub, sub+"@example.org", strings.ToUpper(sub[:1])+sub[1:], time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	ann, bob, cat := session("ann"), session("bob"), session("cat")
	pushNote(t, s[0], ann, "plans", "ann-laptop", "00000000-0000-4000-8000-00000000a001", "trip.md", "the kayak route canaryann")
	pushNote(t, s[0], cat, "cats", "cat-laptop", "00000000-0000-4000-8000-00000000c001", "cat.md", "the kayak rental canarycat")

	team, err := s[0].MakeTeam(ctx, ann, "  Trip crew ")
	if err != nil || team.Name != "Trip crew" || !team.Admin || len(team.Members) != 1 || team.Members[0].Email != "ann@example.org" {
		t.Fatalf("MakeTeam: %+v %v", team, err)
	}
	if _, err := s[0].MakeTeam(ctx, ann, " "); err == nil {
		t.Error("a team without a name was made")
	}
	// Ann adds Bob by his email, in any case, on the other instance.
	if p, err := s[1].AddMember(ctx, ann, team.ID, " BOB@Example.org"); err != nil || p.ID != bob {
		t.Fatalf("adding bob: %+v %v", p, err)
	}
	if _, err := s[1].AddMember(ctx, ann, team.ID, "bob@example.org"); err != nil {
		t.Errorf("adding bob twice: %v", err)
	}
	for _, tc := range []struct {
		who, team, email string
		want             string
	}{
		{ann, team.ID, "nobody@example.org", "nobody has signed in"},
		{ann, team.ID, "not-an-address", "email must be"},
		{ann, "Trip crew", "cat@example.org", "lower-case UUID"},
		{bob, team.ID, "cat@example.org", "do not administer"},                     // a member is no administrator
		{cat, team.ID, "cat@example.org", "do not administer"},                     // nor is a stranger, adding herself
		{cat, "00000000-0000-4000-8000-0000000000ff", "cat@example.org", "do not"}, // a team that is not there
	} {
		if _, err := s[0].AddMember(ctx, tc.who, tc.team, tc.email); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("AddMember(%s, %s): %v, want %q", tc.team, tc.email, err, tc.want)
		}
	}
	// The hole schema 5 closes: a user adding themselves to a team by raw
	// SQL, and an owner handing a workspace to a team they are not in.
	if err := asApp(t, c.AppURL, cat, `INSERT INTO memberships (team_id, user_id) VALUES ($1, $2)`, team.ID, cat); err == nil {
		t.Error("cat joined ann's team by raw SQL")
	}
	if err := asApp(t, c.AppURL, cat, `INSERT INTO team_admins (team_id, user_id) VALUES ($1, $2)`, team.ID, cat); err == nil {
		t.Error("cat made herself an administrator of ann's team by raw SQL")
	}
	if err := asApp(t, c.AppURL, cat, `UPDATE workspaces SET team_id = $1`, team.ID); err == nil {
		t.Error("cat shared her workspace with a team she is not in, by raw SQL")
	}
	if err := s[0].Share(ctx, cat, "cats", team.ID); !errors.Is(err, teamserver.ErrForbidden) {
		t.Errorf("cat sharing with ann's team: %v", err)
	}
	if err := s[0].Share(ctx, ann, "nothere", team.ID); err == nil || !strings.Contains(err.Error(), "push it first") {
		t.Errorf("sharing a workspace never pushed: %v", err)
	}
	if err := s[0].Share(ctx, ann, "plans", team.ID); err != nil {
		t.Fatal(err)
	}

	// Bob sees the team (no roster: he administers nothing) and the
	// workspace, with its owner and team.
	if ts, err := s[0].Teams(ctx, bob); err != nil || len(ts) != 1 || ts[0].ID != team.ID || ts[0].Admin || ts[0].Members != nil {
		t.Fatalf("bob's teams: %+v %v", ts, err)
	}
	if ts, _ := s[0].Teams(ctx, ann); len(ts) != 1 || len(ts[0].Members) != 2 || ts[0].Members[0].Email != "ann@example.org" || ts[0].Members[1].Email != "bob@example.org" {
		t.Fatalf("ann's roster: %+v", ts)
	}
	ws, err := s[0].Workspaces(ctx, bob)
	if err != nil || len(ws) != 1 || ws[0].Name != "plans" || ws[0].Mine || ws[0].Owner.Email != "ann@example.org" || ws[0].TeamName != "Trip crew" {
		t.Fatalf("bob's workspaces: %+v %v", ws, err)
	}
	shared := ws[0].ID
	if mine, _ := s[0].Workspaces(ctx, ann); len(mine) != 1 || !mine[0].Mine || mine[0].ID != shared {
		t.Fatalf("ann's workspaces: %+v", mine)
	}
	// Bob pulls it, edits the note on top of ann's version and pushes it
	// back; ann pulls bob's edit.
	res, err := s[1].Pull(ctx, bob, "bob-desk", "", shared, 0, 100)
	if err != nil || len(res.Changes) != 1 || res.Changes[0].Key != "trip.md" {
		t.Fatalf("bob's pull: %+v %v", res, err)
	}
	pr, err := s[1].Push(ctx, bob, syncproto.PushRequest{Device: "bob-desk", WorkspaceID: shared, Changes: []syncproto.Change{
		{ID: "00000000-0000-4000-8000-00000000b001", Kind: syncproto.KindNote, Key: "trip.md", Title: "trip", Body: "the kayak route, with a lunch stop", Parents: []string{res.Changes[0].ID}},
	}})
	if err != nil || pr.Accepted != 1 || len(pr.Conflicts) != 0 {
		t.Fatalf("bob's push to the shared workspace: %+v %v", pr, err)
	}
	if res, err := s[0].Pull(ctx, ann, "ann-laptop", "plans", "", 1, 100); err != nil || len(res.Changes) != 1 || !strings.Contains(res.Changes[0].Body, "lunch stop") || res.Changes[0].Author != bob {
		t.Fatalf("ann's pull of bob's edit: %+v %v", res, err)
	}
	if hits, _ := s[0].Search(ctx, bob, "kayak", 10); len(hits.Hits) != 1 || !strings.Contains(hits.Hits[0].Snippet, "lunch") {
		t.Fatalf("bob's team search: %+v", hits)
	}

	// Cat, in no team, reads and writes nothing of it.
	if _, err := s[0].Pull(ctx, cat, "cat-laptop", "", shared, 0, 100); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("cat's pull of the shared workspace: %v", err)
	}
	if _, err := s[0].Push(ctx, cat, syncproto.PushRequest{Device: "cat-laptop", WorkspaceID: shared, Changes: []syncproto.Change{
		{ID: "00000000-0000-4000-8000-00000000c002", Kind: syncproto.KindNote, Key: "x.md", Body: "x"}}}); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("cat's push to the shared workspace: %v", err)
	}
	if hits, _ := s[0].Search(ctx, cat, "kayak", 10); len(hits.Hits) != 1 || hits.Hits[0].Key != "cat.md" {
		t.Errorf("cat's search: %+v", hits)
	}
	for table, want := range map[string]int{"users": 1, "teams": 0, "memberships": 0, "team_admins": 0, "workspaces": 1} {
		if n := countAs(t, c.AppURL, cat, `SELECT count(*) FROM `+table); n != want {
			t.Errorf("cat reads %d rows of %s, want %d", n, table, want)
		}
	}
	// Bob sees ann (the owner of a workspace he reads) and himself; not cat.
	if n := countAs(t, c.AppURL, bob, `SELECT count(*) FROM users`); n != 2 {
		t.Errorf("bob reads %d users, want 2", n)
	}

	// Bob may not remove ann; he leaves, and the workspace is gone for him.
	if err := s[0].RemoveMember(ctx, bob, team.ID, "ann@example.org"); !errors.Is(err, teamserver.ErrNotFound) {
		t.Errorf("bob removing ann: %v", err)
	}
	if err := s[0].RemoveMember(ctx, bob, team.ID, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s[0].Workspaces(ctx, bob); len(ws) != 0 {
		t.Errorf("bob still lists %+v after leaving", ws)
	}
	if hits, _ := s[0].Search(ctx, bob, "kayak", 10); len(hits.Hits) != 0 {
		t.Errorf("bob still finds %+v after leaving", hits)
	}
	// Ann makes it private again.
	if err := s[0].Share(ctx, ann, "plans", ""); err != nil {
		t.Fatal(err)
	}
	if ws, _ := s[0].Workspaces(ctx, ann); len(ws) != 1 || ws[0].TeamID != "" {
		t.Errorf("after unsharing: %+v", ws)
	}
}

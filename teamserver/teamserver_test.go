package teamserver_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamserver"
	"github.com/engram-app/engram/teamserver/pgtest"
)

// setup starts PostgreSQL, migrates it and opens n server instances.
func setup(t *testing.T, n int) (*pgtest.Cluster, []*teamserver.Server) {
	t.Helper()
	c := pgtest.Start(t)
	ctx := context.Background()
	if _, err := teamserver.Migrate(ctx, c.OwnerURL, "engram_app"); err != nil {
		t.Fatal(err)
	}
	var out []*teamserver.Server
	for range n {
		s, err := teamserver.Open(ctx, teamserver.Config{DB: c.AppURL, MaxConns: 4})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(s.Close)
		out = append(out, s)
	}
	return c, out
}

func TestMigrateAndRoles(t *testing.T) {
	c, _ := setup(t, 1)
	ctx := context.Background()
	if applied, err := teamserver.Migrate(ctx, c.OwnerURL, "engram_app"); err != nil || len(applied) != 0 {
		t.Fatalf("a second migrate: %v %v; want nothing applied", applied, err)
	}
	for name, url := range map[string]string{"the owner": c.OwnerURL, "a superuser": c.SuperURL} {
		if s, err := teamserver.Open(ctx, teamserver.Config{DB: url}); !errors.Is(err, teamserver.ErrRole) {
			if s != nil {
				s.Close()
			}
			t.Errorf("Open as %s: %v, want ErrRole", name, err)
		}
	}
	if _, err := teamserver.Migrate(ctx, c.OwnerURL, "engram_owner"); !errors.Is(err, teamserver.ErrRole) {
		t.Errorf("migrate granting the owner itself: %v", err)
	}
	if _, err := teamserver.Migrate(ctx, c.OwnerURL, "nobody_here"); !errors.Is(err, teamserver.ErrRole) {
		t.Errorf("migrate granting a missing role: %v", err)
	}
}

func pushNote(t testing.TB, s *teamserver.Server, user, ws, device, id, key, body string, parents ...string) syncproto.PushResponse {
	t.Helper()
	res, err := s.Push(context.Background(), user, syncproto.PushRequest{Device: device, Workspace: ws, Changes: []syncproto.Change{
		{ID: id, Kind: syncproto.KindNote, Key: key, Title: key, Body: body, Parents: parents},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func uuid(r *rand.Rand) string {
	var b [16]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// TestCatalog: every tenant table has row-level security enabled and
// forced, with a policy; the app role with no user set reads nothing.
func TestCatalog(t *testing.T) {
	c, s := setup(t, 1)
	ctx := context.Background()
	_, alice, err := s[0].NewSession(ctx, "https://idp.test", "alice", "alice@example.org", "Alice", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	pushNote(t, s[0], alice, "work", "laptop", "00000000-0000-4000-8000-000000000001", "plan.md", "canary-alice-7731")
	conn, err := pgx.Connect(ctx, c.AppURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
		(SELECT count(*) FROM pg_policy p WHERE p.polrelid = c.oid)
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'schema_migrations' ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	type table struct {
		name       string
		rls, force bool
		policies   int
	}
	tables, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (table, error) {
		var tb table
		return tb, r.Scan(&tb.name, &tb.rls, &tb.force, &tb.policies)
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) < 8 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	for _, tb := range tables {
		if !tb.rls || !tb.force || tb.policies == 0 {
			t.Errorf("table %s: rls %v, forced %v, %d policies", tb.name, tb.rls, tb.force, tb.policies)
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{tb.name}.Sanitize()).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Errorf("the app role with no user set reads %d rows of %s", n, tb.name)
		}
	}
}

// TestSearchCannotLeak: a user finds their own notes and those of a team
// they are in, never another user's.
func TestSearchCannotLeak(t *testing.T) {
	_, s := setup(t, 1)
	ctx := context.Background()
	_, alice, _ := s[0].NewSession(ctx, "https://idp.test", "alice", "", "", time.Hour)
	_, bob, _ := s[0].NewSession(ctx, "https://idp.test", "bob", "bob@example.org", "", time.Hour)
	pushNote(t, s[0], alice, "private", "a1", "00000000-0000-4000-8000-0000000000a1", "secret.md", "the falcon budget canaryalice")
	pushNote(t, s[0], bob, "mine", "b1", "00000000-0000-4000-8000-0000000000b1", "falcon.md", "the falcon schedule canarybob")
	if res, err := s[0].Search(ctx, bob, "falcon", 10); err != nil || len(res.Hits) != 1 || res.Hits[0].Key != "falcon.md" {
		t.Fatalf("bob's search: %+v %v", res, err)
	}
	if res, _ := s[0].Search(ctx, bob, "canaryalice", 10); len(res.Hits) != 0 {
		t.Fatalf("bob found alice's private note: %+v", res)
	}
	// Alice shares her workspace with a team bob is in.
	team, err := s[0].MakeTeam(ctx, alice, "falcon")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s[0].AddMember(ctx, alice, team.ID, "bob@example.org"); err != nil {
		t.Fatal(err)
	}
	if err := s[0].Share(ctx, alice, "private", team.ID); err != nil {
		t.Fatal(err)
	}
	if res, _ := s[0].Search(ctx, bob, "canaryalice", 10); len(res.Hits) != 1 || res.Hits[0].Workspace != "private" {
		t.Fatalf("bob does not find the note shared with his team: %+v", res)
	}
	_, carol, _ := s[0].NewSession(ctx, "https://idp.test", "carol", "", "", time.Hour)
	for _, q := range []string{"falcon", "canaryalice", "canarybob", "budget | schedule"} {
		if res, _ := s[0].Search(ctx, carol, q, 10); len(res.Hits) != 0 {
			t.Fatalf("carol, in no team, found %q: %+v", q, res)
		}
	}
}

// TestUserEndsWithTheQuery: a search sends the user's setting and its
// query as one batch; the setting must end with that implicit transaction,
// so the next query on the same pooled connection knows no user.
func TestUserEndsWithTheQuery(t *testing.T) {
	c, _ := setup(t, 0)
	ctx := context.Background()
	s, err := teamserver.Open(ctx, teamserver.Config{DB: c.AppURL, MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, alice, _ := s.NewSession(ctx, "https://idp.test", "alice", "", "", time.Hour)
	pushNote(t, s, alice, "private", "a1", "00000000-0000-4000-8000-0000000000a1", "secret.md", "the falcon budget")
	for _, q := range []string{"falcon", "(", "falcon & !"} { // a bad query fails inside the batch
		if res, err := s.Search(ctx, alice, q, 10); q == "falcon" && (err != nil || len(res.Hits) != 1) {
			t.Fatalf("alice's search: %+v %v", res, err)
		}
		if v, err := s.SettingAfter(ctx); err != nil || v != "" {
			t.Fatalf("after the search %q the connection still says user %q (%v)", q, v, err)
		}
	}
	// A cancelled search leaves the connection usable and without a user.
	cctx, cancel := context.WithTimeout(ctx, time.Microsecond)
	s.Search(cctx, alice, "falcon", 10)
	cancel()
	if v, err := s.SettingAfter(ctx); err != nil || v != "" {
		t.Fatalf("after a cancelled search: %q %v", v, err)
	}
}

func mustExec(t *testing.T, c *pgx.Conn, qs ...string) {
	t.Helper()
	for _, q := range qs {
		if _, err := c.Exec(context.Background(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// replica applies a pulled log as a desktop does: the heads of every item.
type replica map[string][]string

func (r replica) apply(c syncproto.PulledChange) {
	k := c.Kind + "/" + c.Key
	heads := slices.DeleteFunc(r[k], func(h string) bool { return slices.Contains(c.Parents, h) })
	if !slices.Contains(heads, c.ID) {
		heads = append(heads, c.ID)
	}
	slices.Sort(heads)
	r[k] = heads
}

// TestConcurrentEditsNeverOverwrite: two desktops edit the same note from
// the same version while offline and push in either order, some batches
// twice, through different instances: both versions are kept, and every
// replica that pulls the log reaches the server's heads.
func TestConcurrentEditsNeverOverwrite(t *testing.T) {
	_, s := setup(t, 3)
	ctx := context.Background()
	_, user, _ := s[0].NewSession(ctx, "https://idp.test", "dana", "", "", time.Hour)
	r := rand.New(rand.NewPCG(16, 1000))
	const cases = 1000
	for i := range cases {
		key := fmt.Sprintf("note-%d.md", i)
		base := uuid(r)
		pushNote(t, s[r.IntN(3)], user, "team", "laptop", base, key, "version zero")
		a, b := uuid(r), uuid(r)
		first, second := []string{a, "laptop", "edit on the laptop"}, []string{b, "desktop", "edit on the desktop"}
		if r.IntN(2) == 0 {
			first, second = second, first
		}
		pushNote(t, s[r.IntN(3)], user, "team", first[1], first[0], key, first[2], base)
		res := pushNote(t, s[r.IntN(3)], user, "team", second[1], second[0], key, second[2], base)
		if r.IntN(4) == 0 { // a batch sent again after a lost answer
			if again := pushNote(t, s[r.IntN(3)], user, "team", second[1], second[0], key, second[2], base); again.Accepted != 0 || again.Duplicates != 1 {
				t.Fatalf("case %d: a repeated batch was stored again: %+v", i, again)
			}
		}
		want := []string{a, b}
		slices.Sort(want)
		if len(res.Conflicts) != 1 || !slices.Equal(res.Conflicts[0].Heads, want) {
			t.Fatalf("case %d: concurrent edits gave %+v, want both heads %v", i, res.Conflicts, want)
		}
	}
	// Two replicas pull the whole log through different instances, in
	// pages of different sizes: the same heads as the server's.
	pullAll := func(srv *teamserver.Server, device string, page int) replica {
		rep := replica{}
		var after int64
		for {
			res, err := srv.Pull(ctx, user, device, "team", "", after, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range res.Changes {
				rep.apply(c)
			}
			after = res.Cursor
			if !res.More {
				return rep
			}
		}
	}
	r1, r2 := pullAll(s[1], "laptop", 97), pullAll(s[2], "desktop", 1000)
	if fmt.Sprint(r1) != fmt.Sprint(r2) {
		t.Fatal("two replicas of the same log differ")
	}
	overwrites := 0
	for k, heads := range r1 {
		if len(heads) != 2 {
			overwrites++
			t.Errorf("%s has heads %v, want the two concurrent edits", k, heads)
		}
	}
	if overwrites > 0 || len(r1) != cases {
		t.Fatalf("%d silent overwrites over %d items", overwrites, len(r1))
	}
}

// TestHTTP: health, readiness, sign-in required, and a push and a search
// through the API of one instance and a pull through another.
func TestHTTP(t *testing.T) {
	_, s := setup(t, 2)
	h1, h2 := httptest.NewServer(s[0].Handler()), httptest.NewServer(s[1].Handler())
	defer h1.Close()
	defer h2.Close()
	token, _, err := s[0].NewSession(context.Background(), "https://idp.test", "erin", "erin@example.org", "Erin", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	do := func(base, method, path, body, tok string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if tok != "" {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := do(h1.URL, "GET", "/healthz", "", ""); code != 200 || body != "ok\n" {
		t.Errorf("healthz: %d %q", code, body)
	}
	if code, _ := do(h1.URL, "GET", "/readyz", "", ""); code != 200 {
		t.Errorf("readyz: %d", code)
	}
	if code, _ := do(h1.URL, "GET", "/v1/search?q=x", "", ""); code != 401 {
		t.Errorf("search without a session: %d", code)
	}
	if code, _ := do(h1.URL, "GET", "/v1/search?q=x", "", "forged"); code != 401 {
		t.Errorf("search with a forged session: %d", code)
	}
	push := `{"device":"laptop","workspace":"notes","changes":[{"id":"00000000-0000-4000-8000-00000000e001","kind":"note","key":"kayak.md","parents":[],"title":"Kayak","body":"the <b>sea</b> kayak trip"}]}`
	if code, body := do(h1.URL, "POST", "/v1/sync/push", push, token); code != 200 || !strings.Contains(body, `"accepted":1`) {
		t.Fatalf("push: %d %s", code, body)
	}
	if code, body := do(h1.URL, "POST", "/v1/sync/push", `{"device":"laptop","workspace":"notes","changes":[{"id":"nope","kind":"note","key":"k"}]}`, token); code != 400 || !strings.Contains(body, "UUID") {
		t.Errorf("a bad change: %d %s", code, body)
	}
	if code, body := do(h2.URL, "GET", "/v1/sync/pull?device=phone&workspace=notes", "", token); code != 200 || !strings.Contains(body, "kayak.md") {
		t.Fatalf("pull through the other instance: %d %s", code, body)
	}
	code, body := do(h2.URL, "GET", "/v1/search?q=kayak", "", token)
	if code != 200 || !strings.Contains(body, "&lt;b&gt;<mark>sea</mark>") && !strings.Contains(body, "<mark>kayak</mark>") {
		t.Fatalf("search: %d %s", code, body)
	}
	if strings.Contains(body, "<b>sea</b>") {
		t.Errorf("a body's HTML reached the snippet unescaped: %s", body)
	}
}

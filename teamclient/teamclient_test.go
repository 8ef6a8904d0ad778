package teamclient_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamserver/pgtest"
	"github.com/engram-app/engram/teamserver/teamtest"
)

// team is a real engram-server (two instances on one PostgreSQL, the
// desktops talk to them in turn) signing in through a real OpenID
// Connect provider on loopback.
type team struct {
	pg   *pgtest.Cluster
	tm   *teamtest.Team
	urls []string
}

func startTeam(t *testing.T) *team {
	t.Helper()
	tm := teamtest.Start(t, 2, nil)
	return &team{pg: tm.PG, tm: tm, urls: tm.URLs}
}

// desktop is one data directory: its store (for the sign-in in progress),
// its encrypted secrets file and its team client.
type desktop struct {
	dir string
	st  *store.Store
	sec secrets.Store
	hc  *http.Client
	c   *teamclient.Client
}

func newDesktop(t *testing.T, hc *http.Client) *desktop {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "engram.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := &desktop{dir: dir, st: st, hc: hc,
		sec: secrets.NewFile(filepath.Join(dir, "secrets.enc"), func() ([]byte, error) { return []byte("pw"), nil }, 1<<10)}
	d.reopen(t)
	t.Cleanup(func() { d.c.Close() })
	return d
}

// reopen is the desktop starting again: a new client over the same files.
func (d *desktop) reopen(t *testing.T) {
	t.Helper()
	if d.c != nil {
		d.c.Close()
	}
	c, err := teamclient.Open(teamclient.Options{Dir: d.dir, Secrets: d.sec, HTTPClient: d.hc, Batch: 7})
	if err != nil {
		t.Fatal(err)
	}
	d.c = c
}

func (d *desktop) login(t *testing.T, tm *team, server, subject string) {
	t.Helper()
	who, err := d.c.Login(context.Background(), server, d.st, func(u string) error { return tm.tm.Browse(subject, u) })
	if err != nil {
		t.Fatal(err)
	}
	if who.Email != subject+"@example.org" {
		t.Fatalf("signed in as %+v", who)
	}
}

type notes map[string]string // key -> body

func (n notes) each(fn func(teamclient.Note) error) error {
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := fn(teamclient.Note{Kind: syncproto.KindNote, Key: k, Title: strings.TrimSuffix(k, ".md"), Body: n[k]}); err != nil {
			return err
		}
	}
	return nil
}

func (d *desktop) push(t *testing.T, ws string, n notes) teamclient.PushReport {
	t.Helper()
	rep, err := d.c.Push(context.Background(), ws, n.each)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func (d *desktop) pull(t *testing.T, ws string) {
	t.Helper()
	if _, err := d.c.Pull(context.Background(), ws); err != nil {
		t.Fatal(err)
	}
}

func state(t *testing.T, d *desktop, ws string) string {
	t.Helper()
	items, err := d.c.Items(ws)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, it := range items {
		fmt.Fprintf(&b, "%s/%s:", it.Kind, it.Key)
		for _, h := range it.Heads {
			fmt.Fprintf(&b, " %s=%q deleted=%v", h.ID, h.Body, h.Deleted)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestTwoDesktopsEditOffline: two desktops of one user sign in through
// the team server, share a workspace, edit the same note while offline
// and sync: both versions are kept, the conflict shows in status, both
// replicas reach the same state, an edit on top of both resolves it, and
// a deletion propagates.
func TestTwoDesktopsEditOffline(t *testing.T) {
	tm := startTeam(t)
	a, b := newDesktop(t, nil), newDesktop(t, nil)
	a.login(t, tm, tm.urls[0], "fran")
	b.login(t, tm, tm.urls[1], "fran")

	base := notes{"plan.md": "the plan, version zero", "ideas.md": "kayak, tent"}
	if rep := a.push(t, "team", base); rep.Queued != 2 || rep.Accepted != 2 {
		t.Fatalf("first push: %+v", rep)
	}
	b.pull(t, "team")
	a.pull(t, "team")
	if again := a.push(t, "team", base); again.Queued != 0 || again.Sent != 0 {
		t.Fatalf("an unchanged workspace pushed %+v", again)
	}
	// Offline, both edit plan.md.
	ea := notes{"plan.md": "the plan, as the laptop has it", "ideas.md": "kayak, tent"}
	eb := notes{"plan.md": "the plan, as the desktop has it", "ideas.md": "kayak, tent"}
	a.push(t, "team", ea)
	rep := b.push(t, "team", eb)
	if len(rep.Conflicts) != 1 || rep.Conflicts[0].Key != "plan.md" || len(rep.Conflicts[0].Heads) != 2 {
		t.Fatalf("the second push shows no conflict: %+v", rep)
	}
	a.pull(t, "team")
	b.pull(t, "team")
	sa, sb := state(t, a, "team"), state(t, b, "team")
	if sa != sb {
		t.Fatalf("the replicas differ:\n%s\n%s", sa, sb)
	}
	if !strings.Contains(sa, "as the laptop has it") || !strings.Contains(sa, "as the desktop has it") {
		t.Fatalf("a version was lost:\n%s", sa)
	}
	st, err := a.c.Status(nil)
	if err != nil || len(st.Workspaces) != 1 || len(st.Workspaces[0].Conflicts) != 1 || st.Workspaces[0].Conflicts[0].Key != "plan.md" {
		t.Fatalf("status: %+v %v", st, err)
	}
	// b's version pulled onto a does not come back as a's edit.
	if rep := a.push(t, "team", ea); rep.Queued != 0 {
		t.Fatalf("a pull made a push: %+v", rep)
	}
	// a merges both versions by hand: one head again, everywhere.
	merged := notes{"plan.md": "the plan: both", "ideas.md": "kayak, tent"}
	a.push(t, "team", merged)
	a.pull(t, "team")
	b.pull(t, "team")
	if st, _ := b.c.Status(nil); len(st.Workspaces[0].Conflicts) != 0 {
		t.Fatalf("the merge did not resolve the conflict: %+v", st)
	}
	// b deletes ideas.md.
	b.push(t, "team", notes{"plan.md": "the plan, as the desktop has it"})
	a.pull(t, "team")
	b.pull(t, "team")
	sa, sb = state(t, a, "team"), state(t, b, "team")
	if sa != sb || !strings.Contains(sa, "note/ideas.md:") || !strings.Contains(sa, `deleted=true`) || !strings.Contains(sa, "the plan: both") {
		t.Fatalf("after the deletion:\n%s\n%s", sa, sb)
	}
}

// dying is a transport that lets the server answer the first n pushes
// and then fails every request after the server has answered, as a client
// killed between the server's commit and its own record does.
type dying struct {
	n    atomic.Int64
	base http.RoundTripper
}

var errKilled = errors.New("killed")

func (d *dying) RoundTrip(r *http.Request) (*http.Response, error) {
	res, err := d.base.RoundTrip(r)
	if err == nil && strings.HasSuffix(r.URL.Path, "/v1/sync/push") && d.n.Add(-1) < 0 {
		res.Body.Close()
		return nil, errKilled
	}
	return res, err
}

// TestPushKilledThenRerun: a push of 50 notes in batches of 7 dies after
// the server stored the fourth batch, whose answer the client never reads; the desktop starts again and pushes:
// every note is stored once, the batch the client never heard back about
// counts as duplicates, and nothing is left in the outbox.
func TestPushKilledThenRerun(t *testing.T) {
	tm := startTeam(t)
	tr := &dying{base: http.DefaultTransport}
	tr.n.Store(1 << 30)
	d := newDesktop(t, &http.Client{Transport: tr})
	d.login(t, tm, tm.urls[0], "gus")
	n := notes{}
	for i := range 50 {
		n[fmt.Sprintf("note-%02d.md", i)] = fmt.Sprintf("body %d", i)
	}
	tr.n.Store(3)
	if _, err := d.c.Push(context.Background(), "big", n.each); !errors.Is(err, errKilled) {
		t.Fatalf("the dying push: %v", err)
	}
	tr.n.Store(1 << 30)
	d.reopen(t)
	if st, _ := d.c.Status([]string{"big"}); st.Workspaces[0].Pending != 50-3*7 {
		t.Fatalf("after the kill %d changes wait, want %d", st.Workspaces[0].Pending, 50-3*7)
	}
	rep, err := d.c.Push(context.Background(), "big", n.each)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Queued != 0 || rep.Accepted != 50-4*7 || rep.Duplicates != 7 {
		t.Fatalf("the rerun: %+v", rep)
	}
	d.pull(t, "big")
	items, _ := d.c.Items("big")
	if len(items) != 50 {
		t.Fatalf("%d items after the rerun, want 50", len(items))
	}
	conn, err := pgx.Connect(context.Background(), tm.pg.SuperURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var rows, distinct int
	if err := conn.QueryRow(context.Background(), `SELECT count(*), count(DISTINCT key) FROM changes`).Scan(&rows, &distinct); err != nil {
		t.Fatal(err)
	}
	if rows != 50 || distinct != 50 {
		t.Fatalf("the server holds %d changes of %d notes, want 50 of 50", rows, distinct)
	}
	if st, _ := d.c.Status(nil); st.Workspaces[0].Pending != 0 || len(st.Workspaces[0].Conflicts) != 0 {
		t.Fatalf("status after the rerun: %+v", st)
	}
}

package teamsync_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/connect/secrets"
	"github.com/engram-app/engram/store"
	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamserver/teamtest"
	"github.com/engram-app/engram/teamsync"
)

// server is a real engram-server on a real PostgreSQL, signing in through a
// real OpenID Connect provider on loopback.
type server struct {
	url string
	tm  *teamtest.Team
	hs  *httptest.Server
}

func startServer(t *testing.T) *server {
	t.Helper()
	tm := teamtest.Start(t, 1, nil)
	return &server{url: tm.URLs[0], tm: tm, hs: tm.HTTP[0]}
}

// desktop is one data directory's Sync over notes held in memory: what
// Apply was given is what the local workspace would show.
type desktop struct {
	s *teamsync.Sync

	mu      sync.Mutex
	notes   map[string]string // key -> body, workspace "personal"
	dict    []teamsync.DictEntry
	shared  []teamclient.Shared
	ensured []string      // the local workspaces a Follow made
	block   chan struct{} // when set, a push waits for it to close
	reading chan struct{} // closed when a blocked push reads the notes
}

func newDesktop(t *testing.T, notes map[string]string) *desktop {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "engram.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sec := secrets.NewFile(filepath.Join(dir, "secrets.enc"), func() ([]byte, error) { return []byte("pw"), nil }, 1<<10)
	c, err := teamclient.Open(teamclient.Options{Dir: dir, Secrets: sec})
	if err != nil {
		t.Fatal(err)
	}
	d := &desktop{notes: notes}
	d.s = teamsync.New(teamsync.Deps{
		Client:  c,
		Pending: st,
		Notes: func(ws string) func(fn func(teamclient.Note) error) error {
			return func(fn func(teamclient.Note) error) error {
				d.mu.Lock()
				block, reading := d.block, d.reading
				keys := make([]string, 0, len(d.notes))
				for k := range d.notes {
					keys = append(keys, k)
				}
				slices.Sort(keys)
				ns := make([]teamclient.Note, 0, len(keys))
				for _, k := range keys {
					ns = append(ns, teamclient.Note{Kind: syncproto.KindNote, Key: k, Title: k, Body: d.notes[k]})
				}
				d.mu.Unlock()
				if block != nil {
					close(reading)
					<-block
				}
				for _, n := range ns {
					if err := fn(n); err != nil {
						return err
					}
				}
				return nil
			}
		},
		Dictionary: func(string) ([]teamsync.DictEntry, error) { return d.dict, nil },
		Apply: func(_ context.Context, _ string, shared []teamclient.Shared) (teamsync.Applied, error) {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.shared = shared
			return teamsync.Applied{Added: len(shared)}, nil
		},
		ApplyMemories: func(context.Context, string, []teamclient.SharedMemory) (int, error) { return 0, nil },
		Local:         func() ([]string, error) { return []string{"personal", "work", "archive"}, nil },
		Ensure: func(ws string) error {
			d.mu.Lock()
			defer d.mu.Unlock()
			d.ensured = append(d.ensured, ws)
			return nil
		},
	})
	t.Cleanup(func() { d.s.Close() })
	return d
}

// login signs in as subject the way the UI does: StartLogin, then the
// browser follows the address to the provider and back to the loopback.
func (d *desktop) login(t *testing.T, srv *server, subject string) {
	t.Helper()
	u, err := d.s.StartLogin(context.Background(), srv.url)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, srv.url+"/auth/login?") {
		t.Fatalf("the sign-in address is %q", u)
	}
	if ls := d.s.LoginState(); !ls.Running || ls.AuthURL != u {
		t.Fatalf("while signing in: %+v", ls)
	}
	if err := srv.tm.Browse(subject, u); err != nil {
		t.Fatalf("the browser's sign-in: %v", err)
	}
	for deadline := time.Now().Add(20 * time.Second); d.s.LoginState().Running; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the sign-in never ended")
		}
	}
	if ls := d.s.LoginState(); ls.Error != "" {
		t.Fatalf("the sign-in failed: %+v", ls)
	}
}

// run starts a job and returns every progress it emitted, the final last.
func (d *desktop) run(t *testing.T, kind, ws string) []teamsync.Progress {
	t.Helper()
	var mu sync.Mutex
	var got []teamsync.Progress
	done := make(chan struct{})
	id, err := d.s.Start(context.Background(), kind, ws, func(p teamsync.Progress) {
		mu.Lock()
		got = append(got, p)
		mu.Unlock()
		if p.Finished {
			close(done)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("the %s of %s never finished", kind, ws)
	}
	if p, err := d.s.Job(id); err != nil || !p.Finished || p.JobID != id {
		t.Fatalf("Job(%s) after the end: %+v %v", id, p, err)
	}
	mu.Lock()
	defer mu.Unlock()
	return got
}

func final(t *testing.T, ps []teamsync.Progress) teamsync.Progress {
	t.Helper()
	for i, p := range ps {
		if p.Finished != (i == len(ps)-1) {
			t.Fatalf("progress %d of %d finished=%v: %+v", i, len(ps), p.Finished, ps)
		}
	}
	return ps[len(ps)-1]
}

func overview(t *testing.T, d *desktop) teamsync.Overview {
	t.Helper()
	ov, err := d.s.Overview()
	if err != nil {
		t.Fatal(err)
	}
	return ov
}

// TestTwoDesktopsThroughTheUI: two desktops sign in as the UI does, one
// pushes a workspace picked from the unshared ones, the other pulls it; a
// note edited on both is a conflict both overviews show with both
// versions; the last push and pull times and the changes waiting are
// there.
func TestTwoDesktopsThroughTheUI(t *testing.T) {
	srv := startServer(t)
	laptop := newDesktop(t, map[string]string{"plan.md": "Version zero.", "trip.md": "Kayak and tent."})
	tower := newDesktop(t, map[string]string{})

	ov := overview(t, laptop)
	if ov.SignedIn || ov.Server != "" || !slices.Equal(ov.Unshared, []string{"archive", "personal", "work"}) || len(ov.Workspaces) != 0 {
		t.Fatalf("before a sign-in: %+v", ov)
	}
	for _, d := range []*desktop{laptop, tower} {
		d.login(t, srv, "hana")
		if ov := overview(t, d); !ov.SignedIn || ov.Server != srv.url || ov.Account != "hana@example.org" || ov.SignIn != d.s.SignIn() {
			t.Fatalf("after the sign-in: %+v, SignIn %+v", ov, d.s.SignIn())
		}
	}

	laptop.dict = []teamsync.DictEntry{{Kind: "synonym", Term: "kayak", Expansions: []string{"canoe"}}}
	p := final(t, laptop.run(t, teamsync.JobPush, "personal"))
	if p.State != "done" || p.Push == nil || p.Push.Sent != 2 || p.Push.Accepted != 2 || p.Waiting != 0 || p.Kind != teamsync.JobPush {
		t.Fatalf("the push: %+v", p)
	}
	ov = overview(t, laptop)
	if len(ov.Workspaces) != 1 || ov.Workspaces[0].Workspace != "personal" || ov.Workspaces[0].LastPush == "" || ov.Workspaces[0].LastPull != "" ||
		ov.Workspaces[0].Changed != 0 || ov.Workspaces[0].Job == nil || ov.Workspaces[0].Job.State != "done" || !slices.Equal(ov.Unshared, []string{"archive", "work"}) {
		t.Fatalf("the laptop after its push: %+v", ov)
	}

	p = final(t, tower.run(t, teamsync.JobPull, "personal"))
	if p.State != "done" || p.Pull == nil || p.Pull.Changes != 2 || p.Pulled != 2 || p.Pull.Applied.Added != 2 {
		t.Fatalf("the pull: %+v", p)
	}
	if len(tower.shared) != 2 || tower.shared[0].Key != "plan.md" || tower.shared[0].Body != "Version zero." {
		t.Fatalf("what the pull put in the workspace: %+v", tower.shared)
	}
	if ov := overview(t, tower); ov.Workspaces[0].LastPull == "" || ov.Workspaces[0].Items != 2 {
		t.Fatalf("the tower after its pull: %+v", ov)
	}

	// Both edit plan.md before hearing of the other's edit.
	laptop.mu.Lock()
	laptop.notes["plan.md"] = "The laptop's version."
	laptop.mu.Unlock()
	tower.mu.Lock()
	tower.notes["plan.md"] = "The tower's version."
	tower.mu.Unlock()
	if ov := overview(t, laptop); ov.Workspaces[0].Changed != 1 {
		t.Fatalf("the laptop's edit waits to be pushed: %+v", ov.Workspaces[0])
	}
	for _, d := range []*desktop{laptop, tower} {
		if p := final(t, d.run(t, teamsync.JobPush, "personal")); p.State != "done" {
			t.Fatalf("a push of the edit: %+v", p)
		}
	}
	for _, d := range []*desktop{laptop, tower} {
		final(t, d.run(t, teamsync.JobPull, "personal"))
		w := overview(t, d).Workspaces[0]
		if len(w.Conflicts) != 1 || w.Conflicts[0].Key != "plan.md" || len(w.Conflicts[0].Heads) != 2 {
			t.Fatalf("the conflict: %+v", w)
		}
		bodies := w.Conflicts[0].Heads[0].Body + "|" + w.Conflicts[0].Heads[1].Body
		if !strings.Contains(bodies, "laptop's") || !strings.Contains(bodies, "tower's") {
			t.Fatalf("both versions of the conflict: %s", bodies)
		}
	}
}

// TestOneJobPerWorkspace: while a push of a workspace runs, another push
// or pull of it is refused with ErrBusy (KindBusy), and a push of another
// workspace is not.
func TestOneJobPerWorkspace(t *testing.T) {
	srv := startServer(t)
	d := newDesktop(t, map[string]string{"a.md": "A."})
	d.login(t, srv, "ines")
	d.mu.Lock()
	d.block, d.reading = make(chan struct{}), make(chan struct{})
	block, reading := d.block, d.reading
	d.mu.Unlock()
	done := make(chan teamsync.Progress, 1)
	if _, err := d.s.Start(context.Background(), teamsync.JobPush, "personal", func(p teamsync.Progress) {
		if p.Finished {
			done <- p
		}
	}); err != nil {
		t.Fatal(err)
	}
	<-reading
	for _, kind := range []string{teamsync.JobPush, teamsync.JobPull} {
		if _, err := d.s.Start(context.Background(), kind, "personal", nil); !errors.Is(err, teamsync.ErrBusy) || teamsync.ErrorKind(err) != teamsync.KindBusy {
			t.Fatalf("a second %s while one runs: %v", kind, err)
		}
	}
	if _, err := d.s.Pull(context.Background(), "personal", nil); !errors.Is(err, teamsync.ErrBusy) {
		t.Fatalf("the CLI's pull while a push runs: %v", err)
	}
	d.mu.Lock()
	d.block = nil
	d.mu.Unlock()
	close(block)
	if p := <-done; p.State != "done" {
		t.Fatalf("the first push: %+v", p)
	}
	if _, err := d.s.Pull(context.Background(), "personal", nil); err != nil {
		t.Fatalf("a pull after the push ended: %v", err)
	}
}

// TestErrorsSayWhatToDo: a push before a sign-in fails as signed out; a
// push to a server that went away fails as unreachable, with the changes
// kept in the outbox; a sign-in to a bad address is refused at once.
func TestErrorsSayWhatToDo(t *testing.T) {
	srv := startServer(t)
	d := newDesktop(t, map[string]string{"a.md": "A.", "b.md": "B."})
	p := final(t, d.run(t, teamsync.JobPush, "personal"))
	if p.State != "failed" || p.ErrorKind != teamsync.KindSignedOut || !strings.Contains(p.Error, "not signed in") {
		t.Fatalf("a push before signing in: %+v", p)
	}
	for _, bad := range []string{"ftp://x", "http://team.example.org", "not a url"} {
		if _, err := d.s.StartLogin(context.Background(), bad); !errors.Is(err, teamsync.ErrBadServer) || teamsync.ErrorKind(err) != teamsync.KindBadServer {
			t.Fatalf("StartLogin(%q): %v", bad, err)
		}
	}
	d.login(t, srv, "joao")
	srv.hs.Close()
	p = final(t, d.run(t, teamsync.JobPush, "personal"))
	if p.State != "failed" || p.ErrorKind != teamsync.KindUnreachable || p.Waiting != 2 {
		t.Fatalf("a push to a server that went away: %+v", p)
	}
	if ov := overview(t, d); ov.Workspaces[0].Pending != 2 || ov.Workspaces[0].LastPush != "" || ov.Workspaces[0].Job.ErrorKind != teamsync.KindUnreachable {
		t.Fatalf("the overview after the failed push: %+v", ov.Workspaces[0])
	}
	if _, err := d.s.Job("team-0-0"); !errors.Is(err, teamsync.ErrNoJob) {
		t.Fatalf("an unknown job: %v", err)
	}
}

// TestWorkspaces: the workspaces a bare push covers are the ones named,
// else the chosen one, else the ones shared before, else the fallback.
func TestWorkspaces(t *testing.T) {
	d := newDesktop(t, nil)
	for _, tc := range []struct {
		name   string
		named  []string
		chosen string
		want   []string
	}{
		{"named", []string{"a", "b"}, "c", []string{"a", "b"}},
		{"chosen", nil, "c", []string{"c"}},
		{"fallback before any push", nil, "", []string{"personal"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.s.Workspaces(tc.named, tc.chosen, "personal")
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %v %v, want %v", got, err, tc.want)
			}
		})
	}
}

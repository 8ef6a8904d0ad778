package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/engram-app/engram/teamserver/teamtest"
	"github.com/engram-app/engram/teamsync"
)

// TestTeamServiceEvents: the desktop's Team service signs in, pushes the
// workspace and sends the push's progress as team:progress:<job> events
// (the window's Wails events), the final one last and once; the container
// hands every face the same team sync, and closes it with itself.
func TestTeamServiceEvents(t *testing.T) {
	tm := teamtest.Start(t, 1, nil)
	t.Setenv(EnvPassphrase, "team service")
	a := newTestApp(t, t.TempDir())
	if err := a.SetSetting(SettingSecretsStore, "file"); err != nil {
		t.Fatal(err)
	}
	vault := t.TempDir()
	writeFiles(t, vault, map[string]string{"plan.md": "# Plan\n\nVersion zero.\n", "trip/ideas.md": "# Ideas\n\nKayak.\n"})
	if _, err := a.Import(context.Background(), "", []string{vault}, nil); err != nil {
		t.Fatal(err)
	}
	one, err := a.Team()
	if err != nil {
		t.Fatal(err)
	}
	if two, _ := a.Team(); two != one {
		t.Fatal("the container built a second team sync")
	}

	svc := NewTeamService(a)
	type event struct {
		name string
		p    teamsync.Progress
	}
	var mu sync.Mutex
	var events []event
	done := make(chan struct{})
	SetTeamEmitter(svc, func(name string, data any) {
		p := data.(teamsync.Progress)
		mu.Lock()
		events = append(events, event{name, p})
		mu.Unlock()
		if p.Finished {
			close(done)
		}
	})

	u, err := svc.StartLogin(tm.URLs[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := tm.Browse("kim", u); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		si, err := svc.SignIn()
		if err != nil {
			t.Fatal(err)
		}
		if !si.Login.Running {
			if !si.SignedIn || si.Account != "kim@example.org" || si.Login.Error != "" {
				t.Fatalf("after the sign-in: %+v", si)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sign-in never ended")
		}
	}

	id, err := svc.StartPush("")
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("no final progress event")
	}
	mu.Lock()
	defer mu.Unlock()
	for i, e := range events {
		if e.name != TeamProgressEvent+id || e.p.JobID != id || e.p.Workspace != DefaultWorkspace || e.p.Finished != (i == len(events)-1) {
			t.Fatalf("event %d of %d: %s %+v", i, len(events), e.name, e.p)
		}
	}
	last := events[len(events)-1].p
	if last.State != "done" || last.Push == nil || last.Push.Sent != 2 || last.Push.Accepted != 2 {
		t.Fatalf("the final event: %+v", last)
	}
	if p, err := svc.Job(id); err != nil || p.State != "done" {
		t.Fatalf("Job after the push: %+v %v", p, err)
	}
	ov, err := svc.Overview()
	if err != nil || len(ov.Workspaces) != 1 || ov.Workspaces[0].LastPush == "" || !strings.HasPrefix(ov.Server, "http://127.0.0.1:") {
		t.Fatalf("the overview after the push: %+v %v", ov, err)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Team(); err == nil {
		t.Fatal("the team sync opened again after Close")
	}
}

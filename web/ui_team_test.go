package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/app"
)

// TestTeamAPI: before a sign-in the overview says signed out and lists the
// local workspaces as unshared; a bad server address is a 400 that says
// what to type, an unknown job a 404, and a push before a sign-in a job
// that fails as signed out (a push starts at once; it is the job that
// fails).
func TestTeamAPI(t *testing.T) {
	t.Setenv(app.EnvPassphrase, "team api")
	s, a := newServer(t)
	if err := a.SetSetting(app.SettingSecretsStore, "file"); err != nil {
		t.Fatal(err)
	}
	w := get(s, "/api/team", bearer)
	ov := decode[struct {
		SignedIn bool     `json:"signed_in"`
		Server   string   `json:"server"`
		Unshared []string `json:"unshared"`
	}](t, w.Body.Bytes())
	if w.Code != 200 || ov.SignedIn || ov.Server != "" || len(ov.Unshared) != 1 || ov.Unshared[0] != "personal" {
		t.Fatalf("the overview before a sign-in: %d %s", w.Code, w.Body)
	}
	for _, bad := range []string{`{"server":"http://team.example.org"}`, `{"server":"ftp://x"}`, `{"server":""}`} {
		if w := do(s, http.MethodPost, "/api/team/login", testHost, jsonBody, bad); w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), "team server URL must be") {
			t.Fatalf("POST /api/team/login %s: %d %s", bad, w.Code, w.Body)
		}
	}
	if w := get(s, "/api/team/jobs/team-0-0", bearer); w.Code != http.StatusNotFound {
		t.Fatalf("an unknown job: %d %s", w.Code, w.Body)
	}
	if w := do(s, http.MethodPost, "/api/team/push", testHost, nil, `{}`); w.Code != http.StatusUnsupportedMediaType {
		t.Fatalf("a push without a JSON body: %d %s", w.Code, w.Body)
	}
	w = do(s, http.MethodPost, "/api/team/push", testHost, jsonBody, `{"workspace":""}`)
	id := decode[map[string]string](t, w.Body.Bytes())["job_id"]
	if w.Code != 200 || id == "" {
		t.Fatalf("a push: %d %s", w.Code, w.Body)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the push never finished")
		}
		w := get(s, "/api/team/jobs/"+id, bearer)
		p := decode[struct {
			Workspace string `json:"workspace"`
			Finished  bool   `json:"finished"`
			State     string `json:"state"`
			ErrorKind string `json:"error_kind"`
		}](t, w.Body.Bytes())
		if !p.Finished {
			continue
		}
		if p.State != "failed" || p.ErrorKind != "signed_out" || p.Workspace != "personal" {
			t.Fatalf("a push before a sign-in: %s", w.Body)
		}
		break
	}
}

package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/teamserver/teamtest"
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

// TestTeamAPISharing: signed in to a real team server through the API, the
// team routes answer the server's refusals with its status and its words
// alone (a 404 for an e-mail nobody signed in as, a 403 for a team one does
// not administer, a 400 for a bad name), never a 500.
func TestTeamAPISharing(t *testing.T) {
	tm := teamtest.Start(t, 1, nil)
	t.Setenv(app.EnvPassphrase, "team api sharing")
	s, a := newServer(t)
	if err := a.SetSetting(app.SettingSecretsStore, "file"); err != nil {
		t.Fatal(err)
	}
	w := do(s, http.MethodPost, "/api/team/login", testHost, jsonBody, `{"server":"`+tm.URLs[0]+`"}`)
	if w.Code != 200 {
		t.Fatalf("the sign-in: %d %s", w.Code, w.Body)
	}
	if err := tm.Browse("hana", decode[map[string]string](t, w.Body.Bytes())["auth_url"]); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(20 * time.Second); !decode[struct {
		SignedIn bool `json:"signed_in"`
	}](t, get(s, "/api/team/signin", bearer).Body.Bytes()).SignedIn; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the sign-in never completed")
		}
	}
	w = do(s, http.MethodPost, "/api/team/teams", testHost, jsonBody, `{"name":"Rowing"}`)
	team := decode[struct {
		ID    string `json:"id"`
		Admin bool   `json:"admin"`
	}](t, w.Body.Bytes())
	if w.Code != 200 || team.ID == "" || !team.Admin {
		t.Fatalf("a new team: %d %s", w.Code, w.Body)
	}
	other := "00000000-0000-4000-8000-000000000000"
	for _, c := range []struct {
		name, method, target, body string
		want                       int
		msg                        string
	}{
		{"an e-mail nobody signed in as", "POST", "/api/team/teams/" + team.ID + "/members", `{"email":"nobody@example.org"}`, 404, "nobody has signed in to this server as nobody@example.org"},
		{"a team one does not administer", "POST", "/api/team/teams/" + other + "/members", `{"email":"hana@example.org"}`, 403, "you do not administer the team"},
		{"a team without a name", "POST", "/api/team/teams", `{"name":" "}`, 400, "a team's name must be"},
		{"removing someone not in it", "DELETE", "/api/team/teams/" + team.ID + "/members?email=nobody@example.org", "", 404, "nobody has signed in"},
		{"sharing a workspace never pushed", "PUT", "/api/team/share", `{"workspace":"personal","team_id":"` + team.ID + `"}`, 404, "push it first"},
		{"following a workspace nobody shares", "POST", "/api/team/follow", `{"id":"` + other + `","workspace":""}`, 404, "no such workspace on the team server"},
		{"leaving a team one is not in", "POST", "/api/team/teams/" + other + "/leave", `{}`, 404, "not a member"},
	} {
		var hdr map[string]string
		if c.body != "" {
			hdr = jsonBody
		}
		w := do(s, c.method, c.target, testHost, hdr, c.body)
		if w.Code != c.want || !strings.Contains(w.Body.String(), c.msg) || strings.Contains(w.Body.String(), "the team server answered") {
			t.Errorf("%s: %d %s, want %d with %q", c.name, w.Code, w.Body, c.want, c.msg)
		}
	}
	w = get(s, "/api/team/teams", bearer)
	if teams := decode[[]struct {
		Name    string `json:"name"`
		Members []struct {
			Email string `json:"email"`
		} `json:"members"`
	}](t, w.Body.Bytes()); w.Code != 200 || len(teams) != 1 || teams[0].Name != "Rowing" || len(teams[0].Members) != 1 || teams[0].Members[0].Email != "hana@example.org" {
		t.Fatalf("the teams: %d %s", w.Code, w.Body)
	}
	if w := get(s, "/api/team/remote", bearer); w.Code != 200 || strings.TrimSpace(w.Body.String()) != "[]" {
		t.Fatalf("the server's workspaces before a push: %d %s", w.Code, w.Body)
	}
}

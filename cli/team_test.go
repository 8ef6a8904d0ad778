package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/engram-app/engram/syncproto"
	"github.com/engram-app/engram/teamclient"
	"github.com/engram-app/engram/teamserver/pgtest"
	"github.com/engram-app/engram/teamserver/teamtest"
)

// holdPushes answers pushes normally, except while hold is set: then it
// lets the server store the batch, says so on stored, and keeps the answer
// back until release (the client is killed meanwhile).
type holdPushes struct {
	h       http.Handler
	hold    atomic.Bool
	stored  chan struct{}
	release chan struct{}
}

func (p *holdPushes) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/v1/sync/push" || !p.hold.Load() {
		p.h.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	p.stored <- struct{}{}
	<-p.release
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}

func writeNotes(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTeamTwoDesktops: two data directories import the same vault, sign in
// with `engram team login URL --no-browser` through a real engram-server
// and OpenID Connect provider, edit the same note offline and push and
// pull: both versions are kept and `team status --json` shows the same
// conflict on both. Then `engram team push` is killed (SIGKILL) after the
// server stored its batch and before it heard back; run again, it stores
// nothing twice and loses nothing.
// teamServer is a real engram-server on PostgreSQL with a real OpenID
// Connect provider, on loopback.
type teamServer struct {
	url string
	pg  *pgtest.Cluster
	tm  *teamtest.Team
	hp  *holdPushes
}

func startTeamServer(t *testing.T) *teamServer {
	t.Helper()
	ts := &teamServer{}
	tm := teamtest.Start(t, 1, func(h http.Handler) http.Handler {
		ts.hp = &holdPushes{h: h, stored: make(chan struct{}), release: make(chan struct{})}
		return ts.hp
	})
	ts.url, ts.pg, ts.tm = tm.URLs[0], tm.PG, tm
	return ts
}

// login signs the data directory in as subject with `engram team login
// URL --no-browser`, playing the browser, and checks no token is in plain
// text.
func (ts *teamServer) login(t *testing.T, data, subject string) {
	t.Helper()
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"--data", data, "team", "login", ts.url, "--no-browser"}, strings.NewReader(""), &out, &errb)
	}()
	loginURL := regexp.MustCompile(regexp.QuoteMeta(ts.url) + `/auth/login\?\S+`)
	var u string
	for deadline := time.Now().Add(20 * time.Second); u == ""; time.Sleep(10 * time.Millisecond) {
		if u = loginURL.FindString(errb.String()); u == "" && time.Now().After(deadline) {
			t.Fatalf("no sign-in address printed: %s", errb.String())
		}
	}
	if err := ts.tm.Browse(subject, u); err != nil {
		t.Fatalf("the browser's sign-in: %v", err)
	}
	if code := <-done; code != 0 || !strings.Contains(out.String(), "as "+subject+"@example.org") {
		t.Fatalf("login: %d %s %s", code, out.String(), errb.String())
	}
	for _, f := range []string{"team.db", "engram.db"} {
		if b, _ := os.ReadFile(filepath.Join(data, f)); bytes.Contains(b, []byte("access_token")) {
			t.Errorf("a token is in plain text in %s", f)
		}
	}
}

// mustEngram runs engram and returns its output, failing t on an error.
func mustEngram(t *testing.T, args ...string) string {
	t.Helper()
	r := engram(t, args...)
	if r.code != 0 {
		t.Fatalf("%v: %d %s", args, r.code, r.stderr)
	}
	return r.stdout
}

// newTeamDesktop is a data directory with the encrypted secrets file and
// the vault imported.
func newTeamDesktop(t *testing.T, vault map[string]string) (data, dir string) {
	t.Helper()
	data, dir = t.TempDir(), t.TempDir()
	writeNotes(t, dir, vault)
	if r := engram(t, "--data", data, "config", "set", "secrets.store", "file"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := engram(t, "--data", data, "import", dir); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	return data, dir
}

func TestTeamTwoDesktops(t *testing.T) {
	ts := startTeamServer(t)
	pg, hp, ctx := ts.pg, ts.hp, context.Background()
	t.Setenv("ENGRAM_SECRETS_PASSPHRASE", "team test")
	vault := map[string]string{"plan.md": "# Plan\n\nVersion zero.\n", "trip/ideas.md": "# Ideas\n\nKayak and tent.\n"}
	var datas, vaults [2]string
	for i := range 2 {
		datas[i], vaults[i] = newTeamDesktop(t, vault)
		ts.login(t, datas[i], "hana")
	}
	mustRun := func(args ...string) string { t.Helper(); return mustEngram(t, args...) }
	mustRun("--data", datas[0], "team", "push", "personal")
	mustRun("--data", datas[1], "team", "pull", "personal")
	mustRun("--data", datas[1], "team", "push")
	mustRun("--data", datas[0], "team", "pull")

	// Offline, each edits plan.md.
	writeNotes(t, vaults[0], map[string]string{"plan.md": "# Plan\n\nThe laptop's version.\n"})
	writeNotes(t, vaults[1], map[string]string{"plan.md": "# Plan\n\nThe desktop's version.\n"})
	for i := range 2 {
		mustRun("--data", datas[i], "import", vaults[i])
		mustRun("--data", datas[i], "team", "push")
	}
	var statuses [2]teamclient.Status
	for i := range 2 {
		mustRun("--data", datas[i], "team", "pull")
		if err := json.Unmarshal([]byte(mustRun("--data", datas[i], "team", "status", "--json")), &statuses[i]); err != nil {
			t.Fatal(err)
		}
	}
	cf := statuses[0].Workspaces[0].Conflicts
	if len(cf) != 1 || cf[0].Key != "plan.md" || len(cf[0].Heads) != 2 ||
		!strings.Contains(cf[0].Heads[0].Body+cf[0].Heads[1].Body, "laptop's") || !strings.Contains(cf[0].Heads[0].Body+cf[0].Heads[1].Body, "desktop's") {
		t.Fatalf("status --json of the first desktop: %+v", statuses[0])
	}
	a, _ := json.Marshal(statuses[0].Workspaces)
	b, _ := json.Marshal(statuses[1].Workspaces)
	if !bytes.Equal(a, b) {
		t.Fatalf("the two desktops differ:\n%s\n%s", a, b)
	}
	if plain := mustRun("--data", datas[1], "team", "status"); !strings.Contains(plain, "conflict plan.md") {
		t.Fatalf("status shows no conflict: %s", plain)
	}
	// Each desktop finds the other's side of the conflict in its own
	// workspace, titled as a conflict, beside its own version.
	type hits struct {
		Hits []struct{ Title, Path string }
	}
	search := func(data, q string) hits {
		t.Helper()
		var h hits
		if err := json.Unmarshal([]byte(mustRun("--data", data, "search", "--json", q)), &h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := search(datas[1], "laptop's"); len(h.Hits) != 1 || h.Hits[0].Path == "" || !strings.HasPrefix(h.Hits[0].Path, teamclient.SharedPrefix+"plan.md#") || !strings.Contains(h.Hits[0].Title, "conflict") {
		t.Fatalf("the laptop's version on the desktop: %+v", h)
	}
	if h := search(datas[0], "desktop's"); len(h.Hits) != 1 || !strings.Contains(h.Hits[0].Title, "conflict") {
		t.Fatalf("the desktop's version on the laptop: %+v", h)
	}
	if h := search(datas[0], "laptop's"); len(h.Hits) != 1 || strings.HasPrefix(h.Hits[0].Path, teamclient.SharedPrefix) {
		t.Fatalf("the laptop's own version, from its file: %+v", h)
	}
	// The laptop joins the two: the desktop's conflict copy goes, the
	// joined version comes.
	writeNotes(t, vaults[0], map[string]string{"plan.md": "# Plan\n\nBoth versions, merged.\n"})
	mustRun("--data", datas[0], "import", vaults[0])
	mustRun("--data", datas[0], "team", "push")
	mustRun("--data", datas[1], "team", "pull")
	if h := search(datas[1], "laptop's"); len(h.Hits) != 0 {
		t.Fatalf("the conflict copy is still on the desktop after the join: %+v", h)
	}
	if h := search(datas[1], "merged"); len(h.Hits) != 1 || h.Hits[0].Path != teamclient.SharedPrefix+"plan.md" {
		t.Fatalf("the joined version on the desktop: %+v", h)
	}

	// kill -9 of a push after the server stored its batch.
	extra := map[string]string{}
	for i := range 30 {
		extra[fmt.Sprintf("extra/n%02d.md", i)] = fmt.Sprintf("# N%d\n\nExtra note %d.\n", i, i)
	}
	writeNotes(t, vaults[0], extra)
	mustRun("--data", datas[0], "import", vaults[0])
	exe, _ := os.Executable()
	cmd := exec.Command(exe, "--data", datas[0], "team", "push")
	cmd.Env = append(os.Environ(), "ENGRAM_TEST_AS_CLI=1")
	var childOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &childOut, &childOut
	hp.hold.Store(true)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-hp.stored:
	case <-time.After(2 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("the push never reached the server: %s", childOut.String())
	}
	cmd.Process.Kill()
	cmd.Wait()
	hp.hold.Store(false)
	close(hp.release)

	var rep []teamclient.PushReport
	if err := json.Unmarshal([]byte(mustRun("--data", datas[0], "team", "push", "--json")), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep) != 1 || rep[0].Queued != 0 || rep[0].Accepted != 0 || rep[0].Duplicates != 30 {
		t.Fatalf("the push after the kill: %+v", rep)
	}
	conn, err := pgx.Connect(ctx, pg.SuperURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var rows, keys int
	if err := conn.QueryRow(ctx, `SELECT count(*), count(DISTINCT key) FROM changes WHERE key LIKE 'extra/%'`).Scan(&rows, &keys); err != nil {
		t.Fatal(err)
	}
	if rows != 30 || keys != 30 {
		t.Fatalf("the server holds %d changes of %d extra notes, want 30 of 30", rows, keys)
	}
	mustRun("--data", datas[1], "team", "pull")
	var st teamclient.Status
	json.Unmarshal([]byte(mustRun("--data", datas[1], "team", "status", "--json")), &st)
	if st.Workspaces[0].Items != 2+30 {
		t.Fatalf("the other desktop has %d items, want 32", st.Workspaces[0].Items)
	}
	// The pulled notes are in the other desktop's workspace: found by a
	// word, once each, and a pull with nothing new changes nothing.
	if h := search(datas[1], `"Extra note 17"`); len(h.Hits) != 1 || h.Hits[0].Path != teamclient.SharedPrefix+"extra/n17.md" || h.Hits[0].Title != "n17" {
		t.Fatalf("a pulled note on the other desktop: %+v", h)
	}
	var pulls []struct {
		Applied struct{ Added, Updated, Removed int }
	}
	if err := json.Unmarshal([]byte(mustRun("--data", datas[1], "team", "pull", "--json")), &pulls); err != nil || len(pulls) != 1 || pulls[0].Applied.Added+pulls[0].Applied.Updated+pulls[0].Applied.Removed != 0 {
		t.Fatalf("a pull with nothing new: %+v %v", pulls, err)
	}
	if r := engram(t, "--data", datas[1], "doctor", "--json"); r.code != 0 || !strings.Contains(r.stdout, `"ok": true`) {
		t.Fatalf("doctor after the pulls: %s %s", r.stdout, r.stderr)
	}
}

// TestTeamShareWithTeammate: hana pushes a workspace, makes a team, adds
// ivo (who signed in once) and shares the workspace with it; ivo lists
// it, follows it into a workspace of his and pulls: hana's notes are
// found on his desktop; his own note, pushed, reaches hana. Refusals say
// what to do.
func TestTeamShareWithTeammate(t *testing.T) {
	ts := startTeamServer(t)
	t.Setenv("ENGRAM_SECRETS_PASSPHRASE", "team test")
	hana, _ := newTeamDesktop(t, map[string]string{"trip.md": "# Trip\n\nThe kayak route along the fjord.\n"})
	ivo, ivoVault := newTeamDesktop(t, map[string]string{"own.md": "# Own\n\nIvo's private plans.\n"})
	ts.login(t, hana, "hana")
	ts.login(t, ivo, "ivo")
	mustRun := func(args ...string) string { t.Helper(); return mustEngram(t, args...) }
	mustRun("--data", hana, "team", "push", "personal")
	if out := mustRun("--data", hana, "team", "create", "Fjord trip"); !strings.Contains(out, `made the team "Fjord trip"`) {
		t.Fatalf("create: %s", out)
	}
	if r := engram(t, "--data", hana, "team", "add", "Fjord trip", "nobody@example.org"); r.code == 0 || !strings.Contains(r.stderr, "engram team login first") {
		t.Errorf("adding someone never signed in: %d %s", r.code, r.stderr)
	}
	if r := engram(t, "--data", hana, "team", "add", "No such team", "ivo@example.org"); r.code == 0 || !strings.Contains(r.stderr, "team teams lists") {
		t.Errorf("adding to a team that is not there: %d %s", r.code, r.stderr)
	}
	mustRun("--data", hana, "team", "add", "fjord TRIP", "ivo@example.org")
	if r := engram(t, "--data", ivo, "team", "add", "Fjord trip", "hana@example.org"); r.code == 0 || !strings.Contains(r.stderr, "do not administer") {
		t.Errorf("a member adding: %d %s", r.code, r.stderr)
	}
	mustRun("--data", hana, "team", "share", "personal", "Fjord trip")

	var ws []struct {
		ID, Name string
		Mine     bool
		Owner    struct{ Email string }
	}
	if err := json.Unmarshal([]byte(mustRun("--data", ivo, "team", "workspaces", "--json")), &ws); err != nil || len(ws) != 1 || ws[0].Mine || ws[0].Owner.Email != "hana@example.org" {
		t.Fatalf("ivo's workspaces: %+v %v", ws, err)
	}
	// ivo's own "personal" syncs with nothing yet, but follow into it is
	// refused once it has pushed; here he follows into "fjord".
	if r := engram(t, "--data", ivo, "team", "follow", "00000000-0000-4000-8000-000000000000"); r.code == 0 || !strings.Contains(r.stderr, "team workspaces lists") {
		t.Errorf("following a workspace that is not there: %d %s", r.code, r.stderr)
	}
	mustRun("--data", ivo, "team", "push", "personal")
	if r := engram(t, "--data", ivo, "team", "follow", ws[0].ID, "--as", "personal"); r.code == 0 || !strings.Contains(r.stderr, "--as NAME") {
		t.Errorf("following into a workspace that syncs already: %d %s", r.code, r.stderr)
	}
	mustRun("--data", ivo, "team", "follow", ws[0].ID, "--as", "fjord")
	mustRun("--data", ivo, "team", "pull", "fjord")
	type hits struct {
		Hits []struct{ Title, Path string }
	}
	search := func(data, ws, q string) hits {
		t.Helper()
		var h hits
		if err := json.Unmarshal([]byte(mustRun("--data", data, "--workspace", ws, "search", "--json", q)), &h); err != nil {
			t.Fatal(err)
		}
		return h
	}
	if h := search(ivo, "fjord", "kayak"); len(h.Hits) != 1 || h.Hits[0].Path != teamclient.SharedPrefix+"trip.md" || h.Hits[0].Title != "trip" {
		t.Fatalf("hana's note on ivo's desktop: %+v", h)
	}
	if h := search(hana, "personal", "private plans"); len(h.Hits) != 0 {
		t.Fatalf("ivo's private workspace reached hana: %+v", h)
	}
	// ivo adds a note of his to the shared workspace; hana pulls it.
	writeNotes(t, ivoVault, map[string]string{"gear.md": "# Gear\n\nPaddles and dry bags.\n"})
	mustRun("--data", ivo, "--workspace", "fjord", "import", filepath.Join(ivoVault, "gear.md"))
	mustRun("--data", ivo, "team", "push", "fjord")
	mustRun("--data", hana, "team", "pull", "personal")
	if h := search(hana, "personal", "dry bags"); len(h.Hits) != 1 || h.Hits[0].Path != teamclient.SharedPrefix+"gear.md" {
		t.Fatalf("ivo's note on hana's desktop: %+v", h)
	}
	var st teamclient.Status
	json.Unmarshal([]byte(mustRun("--data", ivo, "team", "status", "--json")), &st)
	var follows string
	for _, w := range st.Workspaces {
		if w.Workspace == "fjord" {
			follows = w.Follows
		}
	}
	if follows != ws[0].ID {
		t.Fatalf("ivo's status does not say fjord follows %s: %+v", ws[0].ID, st)
	}
	// ivo leaves; the workspace is no longer his to pull.
	mustRun("--data", ivo, "team", "remove", "Fjord trip", "ivo@example.org")
	if r := engram(t, "--data", ivo, "team", "pull", "fjord"); r.code == 0 || !strings.Contains(r.stderr, "team workspaces lists") {
		t.Errorf("pulling after leaving: %d %s", r.code, r.stderr)
	}
	// A bare pull still pulls his own workspace, says which one was
	// refused, and fails.
	if r := engram(t, "--data", ivo, "team", "pull"); r.code == 0 || !strings.Contains(r.stderr, "fjord: ") || !strings.Contains(r.stderr, "1 of 2 workspaces were refused") ||
		!strings.Contains(r.stdout, "personal: ") {
		t.Errorf("a bare pull after leaving: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestTeamMemories: a memory told on one desktop reaches the other with
// its ID; an edit there comes back; the same memory changed on both
// before they sync keeps each desktop's version and shows both in team
// status; a deletion propagates.
func TestTeamMemories(t *testing.T) {
	ts := startTeamServer(t)
	t.Setenv("ENGRAM_SECRETS_PASSPHRASE", "team test")
	var ds [2]string
	for i := range ds {
		ds[i], _ = newTeamDesktop(t, map[string]string{"a.md": "# A\n\nA note.\n"})
		ts.login(t, ds[i], "hana")
	}
	run := func(i int, args ...string) string {
		t.Helper()
		return mustEngram(t, append([]string{"--data", ds[i]}, args...)...)
	}
	type mem struct{ ID, Memory, Kind, Value string }
	list := func(i int) []mem {
		t.Helper()
		var ms struct{ Memories []mem }
		if err := json.Unmarshal([]byte(run(i, "memory", "list", "--json")), &ms); err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(ms.Memories, func(a, b mem) int { return strings.Compare(a.ID, b.ID) })
		return ms.Memories
	}
	// Both share the workspace first (each sends its copy of a.md once).
	run(0, "team", "push", "personal")
	run(1, "team", "pull", "personal")
	run(1, "team", "push")
	run(0, "team", "pull")
	run(0, "memory", "add", "I live in Oslo")
	run(0, "memory", "add", "My sister is Anna")
	run(0, "team", "push")
	run(1, "team", "pull")
	a, b := list(0), list(1)
	if len(a) != 2 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("the memories differ after the pull:\n%v\n%v", a, b)
	}
	if out := run(1, "memory", "search", "where do I live"); !strings.Contains(out, "Oslo") {
		t.Fatalf("the pulled memory is not found: %s", out)
	}
	// Nothing of the other desktop's comes back as this one's edit.
	var rep []teamclient.PushReport
	json.Unmarshal([]byte(run(1, "team", "push", "--json")), &rep)
	if len(rep) != 1 || rep[0].Queued != 0 {
		t.Fatalf("a push after the pull sent %+v", rep)
	}
	oslo := ""
	for _, m := range a {
		if strings.Contains(m.Memory, "Oslo") {
			oslo = m.ID
		}
	}
	// The same memory changed on both before they sync.
	run(0, "memory", "edit", oslo, "I live in Paris")
	run(1, "memory", "edit", oslo, "I live in Rome")
	run(0, "team", "push")
	run(1, "team", "push")
	run(0, "team", "pull")
	run(1, "team", "pull")
	var st teamclient.Status
	json.Unmarshal([]byte(run(0, "team", "status", "--json")), &st)
	cf := st.Workspaces[0].Conflicts
	if len(cf) != 1 || cf[0].Kind != syncproto.KindMemory || len(cf[0].Heads) != 2 ||
		!strings.Contains(cf[0].Heads[0].Body+cf[0].Heads[1].Body, "Paris") || !strings.Contains(cf[0].Heads[0].Body+cf[0].Heads[1].Body, "Rome") {
		t.Fatalf("the conflict in status: %+v", st.Workspaces[0])
	}
	for i, want := range []string{"Paris", "Rome"} {
		if out := run(i, "memory", "show", oslo); !strings.Contains(out, want) {
			t.Fatalf("desktop %d lost its own version: %s", i, out)
		}
	}
	// One joins them: both desktops take it.
	run(1, "memory", "edit", oslo, "I live in Paris and Rome")
	run(1, "team", "push")
	run(0, "team", "pull")
	if out := run(0, "memory", "show", oslo); !strings.Contains(out, "Paris and Rome") {
		t.Fatalf("the joined version did not arrive: %s", out)
	}
	json.Unmarshal([]byte(run(0, "team", "status", "--json")), &st)
	if len(st.Workspaces[0].Conflicts) != 0 {
		t.Fatalf("still in conflict after the join: %+v", st.Workspaces[0].Conflicts)
	}
	// A deletion propagates.
	anna := ""
	for _, m := range a {
		if strings.Contains(m.Memory, "Anna") {
			anna = m.ID
		}
	}
	run(0, "memory", "delete", anna)
	run(0, "team", "push")
	run(1, "team", "pull")
	if ms := list(1); len(ms) != 1 || ms[0].ID != oslo {
		t.Fatalf("after the deletion the other desktop has %v", ms)
	}
}

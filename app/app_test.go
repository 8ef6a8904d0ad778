package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/search"
	"github.com/engram-app/engram/store"
)

func searchRequest(q string) search.Request { return search.Request{Query: q, Limit: 10} }

func newTestApp(t testing.TB, dir string) *App {
	t.Helper()
	a, err := New(Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func writeFiles(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func vault(t testing.TB) string {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Project Atlas.md": "---\ntags: [planning]\naliases: [Atlas]\n---\n# Project Atlas\n\nThe atlas rollout depends on [[Budget Review|the budget]] and [[Hiring Plan#Q3]].\nSee also [[Tokyo Office]]. #roadmap\n",
		"Budget Review.md": "# Budget Review\n\nQuarterly numbers for the rollout. Links back to [[Atlas]].\n",
		"Hiring Plan.md":   "# Hiring Plan\n\n## Q3\nWe hire three engineers.\n",
		"notes/東京オフィス.md":  "---\naliases: [Tokyo Office]\n---\n# 東京オフィス\n\n新しい事務所は渋谷にあります。会議室の予約が必要です。\n",
		"知识管理.md":          "# 知识管理\n\n个人知识管理系统帮助我们整理笔记和想法。\n",
		"Übersicht.md":     "# Übersicht\n\nDie Besprechung über die Straßenbahn findet morgen statt.\n",
		"Réunion.md":       "# Réunion d'équipe\n\nLes données du trimestre sont prêtes pour la réunion.\n",
		"mail/hello.eml":   "From: Jeff Skilling <jeff.skilling@enron.com>\r\nTo: Kenneth Lay <kenneth.lay@enron.com>\r\nSubject: Quarterly power trading\r\nMessage-ID: <1@enron.com>\r\nDate: Mon, 14 May 2001 16:39:00 -0700\r\n\r\nThe west desk power trading numbers look strong.\r\n",
	})
	return dir
}

func find(t testing.TB, a *App, q string) []SearchHit {
	t.Helper()
	res, err := a.Search(context.Background(), "", SearchRequest{Query: q, Limit: 10})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res.Hits
}

func topTitle(t testing.TB, a *App, q string) string {
	t.Helper()
	hits := find(t, a, q)
	if len(hits) == 0 {
		return ""
	}
	return hits[0].Title
}

func TestImportSearchAndGraph(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	res, err := a.Import(ctx, "", []string{vault(t)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 8 || res.Failed != 0 {
		t.Fatalf("import: %+v", res)
	}
	tests := []struct {
		query, want string
	}{
		{"project atlas", "Project Atlas"},
		{"\"quarterly numbers\"", "Budget Review"},
		{"渋谷", "東京オフィス"},
		{"知识管理", "知识管理"},
		{"Straßenbahn", "Übersicht"},
		{"données", "Réunion"},
		{"power trading", "Quarterly power trading"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			if got := topTitle(t, a, tc.query); got != tc.want {
				t.Fatalf("top hit %q, want %q", got, tc.want)
			}
		})
	}

	nb, err := a.Neighbors(ctx, "", "Project Atlas", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, n := range nb.Neighbors {
		got[n.Name] = n.Predicate + "/" + n.Direction
	}
	for name, want := range map[string]string{
		"Budget Review": "LINKS_TO/out", // [[Budget Review|the budget]]
		"Hiring Plan":   "LINKS_TO/out", // [[Hiring Plan#Q3]]
		"Tokyo Office":  "LINKS_TO/out", // [[Tokyo Office]] is only an alias of 東京オフィス: unresolved, as in Obsidian
		"#roadmap":      "TAGGED/out",
		"#planning":     "TAGGED/out",
	} {
		if got[name] != want {
			t.Errorf("neighbour %q: got %q, want %q (all: %v)", name, got[name], want, got)
		}
	}
	if got["東京オフィス"] != "" {
		t.Errorf("[[Tokyo Office]] resolved by alias to 東京オフィス: %v", got)
	}
	// Budget Review links back through the alias "Atlas", so Atlas has it
	// both ways; by alias, the note resolves too.
	nb, err = a.Neighbors(ctx, "", "atlas", 1, []string{"LINKS_TO"})
	if err != nil || nb.Entity.Name != "Project Atlas" {
		t.Fatalf("by alias: %+v, %v", nb, err)
	}
	nb, err = a.Neighbors(ctx, "", "jeff.skilling@enron.com", 1, []string{"SENT_TO"})
	if err != nil || len(nb.Neighbors) != 1 || nb.Neighbors[0].Name != "Kenneth Lay" {
		t.Fatalf("person: %+v, %v", nb, err)
	}
	// A known predicate without edges is quietly empty; an unknown one is an error.
	nb, err = a.Neighbors(ctx, "", "Project Atlas", 1, []string{"WORKS_AT"})
	if err != nil || len(nb.Neighbors) != 0 {
		t.Fatalf("WORKS_AT: %+v, %v", nb, err)
	}
	if _, err := a.Neighbors(ctx, "", "Project Atlas", 1, []string{"LIKES"}); err == nil {
		t.Fatal("unknown predicate accepted")
	}
	st, err := a.Stats(ctx, "")
	if err != nil || st.Documents != 8 || st.Indexed != 8 || st.Health["graph"].Status != StatusOK || st.Edges == 0 {
		t.Fatalf("stats %+v, %v", st, err)
	}
}

func TestDanglingLinkResolvesWhenNoteArrives(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"a/First.md": "Points to [[Second Note]].\n"})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "a")}, nil); err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{"b/Second Note.md": "Here at last.\n"})
	if _, err := a.Import(ctx, "", []string{filepath.Join(dir, "b")}, nil); err != nil {
		t.Fatal(err)
	}
	nb, err := a.Neighbors(ctx, "", "Second Note", 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Neighbors) != 1 || nb.Neighbors[0].Name != "First" || nb.Neighbors[0].Direction != "in" {
		t.Fatalf("neighbours of the late note: %+v", nb.Neighbors)
	}
}

func TestBadInputIsReportedAndSkipped(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Good note.md": "# Good note\n\nThe zebra crossing is here.\n",
		"garbage.md":   "\x00\x01\x02\x03binary\x00\xff\xfe",
		"latin1.txt":   "caf\xe9 cr\xe8me",
		"empty.md":     "",
		"big.txt":      strings.Repeat("large file words ", 10000),
	})
	if err := a.SetSetting(SettingMaxFileMB, "0.1"); err != nil {
		t.Fatal(err)
	}
	res, err := a.Import(context.Background(), "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != 1 || res.Failed != 2 || res.Skipped != 2 {
		t.Fatalf("counts: %+v", res)
	}
	reasons := map[string]string{}
	for _, e := range res.Errors {
		reasons[filepath.Base(e.Path)] = e.Error
	}
	for file, want := range map[string]string{
		"garbage.md": "binary",
		"latin1.txt": "UTF-8",
		"empty.md":   "empty",
		"big.txt":    "limit",
	} {
		if !strings.Contains(reasons[file], want) {
			t.Errorf("%s: reason %q does not say %q", file, reasons[file], want)
		}
	}
	if got := topTitle(t, a, "zebra"); got != "Good note" {
		t.Fatalf("good file not searchable: %q", got)
	}
}

func TestReimportSkipsUpdatesAndRemoves(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"Keep.md":   "# Keep\n\nalpha words\n",
		"Edit.md":   "# Edit\n\nbefore the change\n",
		"Remove.md": "# Remove\n\nwalrus text\n",
	})
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := a.Import(ctx, "", []string{dir}, nil)
	if err != nil || res.Imported+res.Updated != 0 || res.Skipped != 3 {
		t.Fatalf("unchanged re-import: %+v, %v", res, err)
	}
	writeFiles(t, dir, map[string]string{"Edit.md": "# Edit\n\nafter the flamingo arrived\n"})
	future := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "Edit.md"), future, future)
	os.Remove(filepath.Join(dir, "Remove.md"))
	res, err = a.Import(ctx, "", []string{dir}, nil)
	if err != nil || res.Updated != 1 || res.Removed != 1 || res.Skipped != 1 {
		t.Fatalf("changed re-import: %+v, %v", res, err)
	}
	if got := topTitle(t, a, "flamingo"); got != "Edit" {
		t.Fatalf("edit not searchable: %q", got)
	}
	if hits := find(t, a, "before the change"); len(hits) != 0 && hits[0].Title == "Edit" && strings.Contains(hits[0].Snippet, "before") {
		t.Fatalf("old text still found: %+v", hits)
	}
	if hits := find(t, a, "walrus"); len(hits) != 0 {
		t.Fatalf("removed file still found: %+v", hits)
	}
	if n, _ := a.store.CountDocuments(DefaultWorkspace); n != 2 {
		t.Fatalf("store holds %d documents", n)
	}
}

func TestDoctorRebuildsDeletedIndexAndGraph(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	a, err := New(Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{vault(t)}, nil); err != nil {
		t.Fatal(err)
	}
	before := find(t, a, "rollout")
	nbBefore, _ := a.Neighbors(ctx, "", "Project Atlas", 1, nil)
	if rep, err := a.Doctor(ctx, "", false); err != nil || !rep.OK {
		t.Fatalf("healthy doctor: %+v, %v", rep, err)
	}
	a.Close()

	wsDir := filepath.Join(data, "workspaces", DefaultWorkspace)
	if err := os.RemoveAll(filepath.Join(wsDir, "index")); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(wsDir, "graph.db")); err != nil {
		t.Fatal(err)
	}
	a = newTestApp(t, data)
	rep, err := a.Doctor(ctx, "", false)
	if err != nil || rep.OK || rep.Index.Missing != 8 || rep.Graph.Missing != 8 {
		t.Fatalf("doctor after deletion: %+v, %v", rep, err)
	}
	if rep, err = a.Doctor(ctx, "", true); err != nil || !rep.Repaired {
		t.Fatalf("repair: %+v, %v", rep, err)
	}
	after := find(t, a, "rollout")
	if len(after) != len(before) {
		t.Fatalf("after repair %d hits, before %d", len(after), len(before))
	}
	for i := range before {
		if before[i].ID != after[i].ID {
			t.Fatalf("hit %d: %s, before %s", i, after[i].ID, before[i].ID)
		}
	}
	nbAfter, err := a.Neighbors(ctx, "", "Project Atlas", 1, nil)
	if err != nil || len(nbAfter.Neighbors) != len(nbBefore.Neighbors) {
		t.Fatalf("graph after repair: %+v, %v (before %d)", nbAfter, err, len(nbBefore.Neighbors))
	}
	if rep, err := a.Doctor(ctx, "", false); err != nil || !rep.OK {
		t.Fatalf("doctor after repair: %+v, %v", rep, err)
	}
}

func TestSecondContainerOnSameDirFailsFast(t *testing.T) {
	data := t.TempDir()
	newTestApp(t, data)
	start := time.Now()
	_, err := New(Config{DataDir: data})
	if !errors.Is(err, store.ErrLocked) || !strings.Contains(err.Error(), "already running on "+data) {
		t.Fatalf("got %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %s", el)
	}
}

func TestWorkspacesAreIsolatedAndEvictionWaitsForUsers(t *testing.T) {
	data := t.TempDir()
	a, err := New(Config{DataDir: data, MaxOpenWorkspaces: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	ctx := context.Background()
	if err := a.CreateWorkspace("work"); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"Memo.md": "# Memo\n\nthe pelican budget\n"})
	if _, err := a.Import(ctx, "work", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	if res, _ := a.Search(ctx, "personal", SearchRequest{Query: "pelican"}); res.Total != 0 {
		t.Fatalf("work document visible in personal: %+v", res)
	}
	// Hold "work", then open "personal": the LRU (size 1) evicts "work",
	// which must stay usable until released.
	w, release, err := a.acquire("work")
	if err != nil {
		t.Fatal(err)
	}
	if res, err := a.Search(ctx, "personal", SearchRequest{Query: "x"}); err != nil || res.Total != 0 {
		t.Fatalf("personal: %+v, %v", res, err)
	}
	if !w.evicted {
		t.Fatal("work was not evicted")
	}
	if res, err := w.index.Search(ctx, searchRequest("pelican")); err != nil || res.Total != 1 {
		t.Fatalf("evicted-but-held workspace: %+v, %v", res, err)
	}
	release()
	if _, ok := a.open["work"]; ok {
		t.Fatal("evicted workspace still open after release")
	}
	if res, err := a.Search(ctx, "work", SearchRequest{Query: "pelican"}); err != nil || res.Total != 1 {
		t.Fatalf("reopened: %+v, %v", res, err)
	}
	if err := a.DeleteWorkspace("work"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Search(ctx, "work", SearchRequest{Query: "pelican"}); !errors.Is(err, store.ErrNoWorkspace) {
		t.Fatalf("deleted workspace: %v", err)
	}
}

func TestBrokenGraphDegradesSearchInsteadOfFailingIt(t *testing.T) {
	data := t.TempDir()
	ctx := context.Background()
	a, err := New(Config{DataDir: data})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{vault(t)}, nil); err != nil {
		t.Fatal(err)
	}
	a.Close()
	gp := filepath.Join(data, "workspaces", DefaultWorkspace, "graph.db")
	if err := os.WriteFile(gp, []byte(strings.Repeat("not a bolt file ", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	a = newTestApp(t, data)
	res, err := a.Search(ctx, "", SearchRequest{Query: "rollout"})
	if err != nil || res.Total == 0 {
		t.Fatalf("search with a broken graph: %+v, %v", res, err)
	}
	if len(res.Degraded) != 1 || res.Degraded[0] != "graph" {
		t.Fatalf("degraded = %v", res.Degraded)
	}
	st, err := a.Stats(ctx, "")
	if err != nil || st.Health["graph"].Status != StatusDegraded || st.Health["search"].Status != StatusOK {
		t.Fatalf("stats: %+v, %v", st, err)
	}
	if _, err := a.Neighbors(ctx, "", "Project Atlas", 1, nil); !errors.Is(err, ErrGraphDown) {
		t.Fatalf("neighbors: %v", err)
	}
	rep, err := a.Doctor(ctx, "", true)
	if err != nil || !rep.Repaired {
		t.Fatalf("repair: %+v, %v", rep, err)
	}
	if nb, err := a.Neighbors(ctx, "", "Project Atlas", 1, nil); err != nil || len(nb.Neighbors) == 0 {
		t.Fatalf("neighbors after repair: %+v, %v", nb, err)
	}
}

func TestSharedMessageStaysUntilItsLastCopyGoes(t *testing.T) {
	a := newTestApp(t, t.TempDir())
	ctx := context.Background()
	dir := t.TempDir()
	msg := "From: Ann <ann@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: Octopus budget\r\nMessage-ID: <octo@example.com>\r\nDate: Mon, 14 May 2001 16:39:00 -0700\r\n\r\nThe octopus budget is approved.\r\n"
	other := "From: Ann <ann@example.com>\r\nTo: Bob <bob@example.com>\r\nSubject: Squid plan\r\nMessage-ID: <squid@example.com>\r\nDate: Mon, 14 May 2001 16:39:00 -0700\r\n\r\nThe squid plan.\r\n"
	writeFiles(t, dir, map[string]string{"inbox/1.eml": msg, "archive/7.eml": msg, "inbox/2.eml": other})
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n, err := a.store.CountDocuments(DefaultWorkspace)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(); n != 2 {
		t.Fatalf("%d documents, want 2 (one message in two folders is one document)", n)
	}
	os.Remove(filepath.Join(dir, "inbox/1.eml"))
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	if hits := find(t, a, "octopus"); len(hits) != 1 || count() != 2 {
		t.Fatalf("after deleting one copy: %d hits, %d documents", len(hits), count())
	}
	os.Remove(filepath.Join(dir, "archive/7.eml"))
	// A changed file that no longer yields a message drops it too.
	writeFiles(t, dir, map[string]string{"inbox/2.eml": strings.Replace(other, "squid@example.com", "squid-2@example.com", 1)})
	future := time.Now().Add(time.Minute)
	os.Chtimes(filepath.Join(dir, "inbox/2.eml"), future, future)
	if _, err := a.Import(ctx, "", []string{dir}, nil); err != nil {
		t.Fatal(err)
	}
	if hits := find(t, a, "octopus"); len(hits) != 0 || count() != 1 {
		t.Fatalf("after deleting the last copy: %d hits, %d documents", len(hits), count())
	}
	if rep, err := a.Doctor(ctx, "", false); err != nil || !rep.OK {
		t.Fatalf("doctor: %+v, %v", rep, err)
	}
}

package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/embed/embedtest"
)

// meaningCorpus has one note that a paraphrase finds only by meaning, and
// others that share none of its words.
func meaningCorpus(t testing.TB) string {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"afternoon.md": "# Afternoon\n\nOur kitten dozed all afternoon on the sofa.\n",
		"budget.md":    "# Budget review\n\nThe quarterly budget review moved to Thursday with the finance team.\n",
		"garden.txt":   "Planted tomatoes and basil in the garden beds this weekend.\n",
		"letter.eml": "From: Ann <ann@example.com>\r\nTo: Bo <bo@example.com>\r\nSubject: Lunch\r\nMessage-ID: <l1@example.com>\r\n" +
			"Date: Mon, 14 May 2001 16:39:00 -0700\r\n\r\nLunch on Friday at noon?\r\n\r\nOn Sun, Bo wrote:\r\n> my puppy slept on the couch\r\n",
	})
	return dir
}

// semanticApp is an App on dir whose embedding endpoint is srv.
func semanticApp(t testing.TB, dir string, srv *embedtest.Server) *App {
	t.Helper()
	a := newTestApp(t, dir)
	if err := a.SetSetting(SettingEmbedEndpoint, srv.URL); err != nil {
		t.Fatal(err)
	}
	return a
}

func importAndEmbed(t testing.TB, a *App, dir string) *ImportResult {
	t.Helper()
	ctx := context.Background()
	res, err := a.Import(ctx, "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.EmbedWait(ctx, "", 0, nil); err != nil {
		t.Fatalf("embedding: %v", err)
	}
	return res
}

func searchMode(t testing.TB, a *App, q, mode string) *SearchResult {
	t.Helper()
	res, err := a.Search(context.Background(), "", SearchRequest{Query: q, Limit: 10, Mode: mode})
	if err != nil {
		t.Fatalf("search %q (%s): %v", q, mode, err)
	}
	return res
}

func hitByTitle(res *SearchResult, title string) *SearchHit {
	for i := range res.Hits {
		if res.Hits[i].Title == title {
			return &res.Hits[i]
		}
	}
	return nil
}

func TestParaphraseIsFoundByMeaningOnly(t *testing.T) {
	srv := embedtest.Start(t)
	a := semanticApp(t, t.TempDir(), srv)
	importAndEmbed(t, a, meaningCorpus(t))

	for _, tc := range []struct {
		name, query, mode string
		wantMode          string
		found             bool
	}{
		{"text mode misses the paraphrase", "cat sleeping couch", ModeText, ModeText, false},
		{"hybrid mode finds it", "cat sleeping couch", ModeHybrid, ModeHybrid, true},
		{"hybrid is the default with an endpoint", "feline napping on a settee", "", ModeHybrid, true},
		{"semantic mode finds it", "cat sleeping couch", ModeSemantic, ModeSemantic, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := searchMode(t, a, tc.query, tc.mode)
			if res.Mode != tc.wantMode {
				t.Fatalf("mode %q, want %q (notice %q)", res.Mode, tc.wantMode, res.Notice)
			}
			h := hitByTitle(res, "afternoon")
			if (h != nil) != tc.found {
				t.Fatalf("afternoon found = %v, want %v; hits %+v", h != nil, tc.found, res.Hits)
			}
			if h != nil && !slices.Contains(h.Matched, MatchedSemantic) {
				t.Fatalf("hit by meaning says matched %v", h.Matched)
			}
			// The quote of the puppy on the couch is Bo's, not this
			// message's: it is not embedded with the letter.
			if l := hitByTitle(res, "Lunch"); l != nil {
				t.Fatalf("a quoted line made the letter match: %+v", l)
			}
		})
	}

	// A query both words and meaning match says so, and ranks first.
	res := searchMode(t, a, "budget review", ModeHybrid)
	if len(res.Hits) == 0 || res.Hits[0].Title != "budget" || !slices.Equal(res.Hits[0].Matched, []string{MatchedText, MatchedSemantic}) {
		t.Fatalf("budget review: %+v", res.Hits)
	}
}

func TestEndpointDownFallsBackToTextWithANotice(t *testing.T) {
	srv := embedtest.Start(t)
	a := semanticApp(t, t.TempDir(), srv)
	importAndEmbed(t, a, meaningCorpus(t))
	srv.SetDown(true)
	// Distinct queries, so that none has its vector cached.
	for mode, q := range map[string]string{"": "quarterly budget", ModeHybrid: "budget review", ModeSemantic: "finance team budget"} {
		res := searchMode(t, a, q, mode)
		if res.Mode != ModeText || res.Notice == "" {
			t.Fatalf("mode %q with the endpoint down: ran %q, notice %q", mode, res.Mode, res.Notice)
		}
		if h := hitByTitle(res, "budget"); h == nil || len(h.Matched) != 0 {
			t.Fatalf("mode %q: text results missing: %+v", mode, res.Hits)
		}
	}
	st, err := a.EmbedStatus("")
	if err != nil || st.State != "down" {
		t.Fatalf("status %+v, %v; want down", st, err)
	}
	// No endpoint at all: text, and asking for meaning says how to turn it on.
	if err := a.SetSetting(SettingEmbedEndpoint, ""); err != nil {
		t.Fatal(err)
	}
	if res := searchMode(t, a, "budget", ""); res.Mode != ModeText || res.Notice != "" {
		t.Fatalf("default without endpoint: %q %q", res.Mode, res.Notice)
	}
	if res := searchMode(t, a, "budget", ModeHybrid); res.Mode != ModeText || res.Notice == "" {
		t.Fatalf("hybrid without endpoint: %q %q", res.Mode, res.Notice)
	}
}

func TestRestartAndReimportUnchangedEmbedsNothing(t *testing.T) {
	srv := embedtest.Start(t)
	data, corpus := t.TempDir(), meaningCorpus(t)
	a := semanticApp(t, data, srv)
	importAndEmbed(t, a, corpus)
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	first := srv.Requests()
	if first == 0 {
		t.Fatal("nothing was embedded")
	}

	a = newTestApp(t, data)
	if res := importAndEmbed(t, a, corpus); res.Skipped != 4 {
		t.Fatalf("re-import %+v, want 4 skipped", res)
	}
	if n := srv.Requests(); n != first {
		t.Fatalf("re-importing an unchanged folder after a restart sent %d embedding requests", n-first)
	}
	if h := hitByTitle(searchMode(t, a, "cat sleeping couch", ModeHybrid), "afternoon"); h == nil {
		t.Fatal("vectors lost over the restart")
	}

	// One changed paragraph: only its chunk is embedded again.
	texts := srv.Texts()
	writeFiles(t, corpus, map[string]string{"budget.md": "# Budget review\n\nThe quarterly budget review moved to Thursday with the finance team.\n\n## Later\n\nA second section about the seaside.\n"})
	importAndEmbed(t, a, corpus)
	if d := srv.Texts() - texts; d != 1 {
		t.Fatalf("a note with one new section sent %d texts, want 1", d)
	}
}

func TestDeletionsAndModelChangePropagate(t *testing.T) {
	srv := embedtest.Start(t)
	corpus := meaningCorpus(t)
	a := semanticApp(t, t.TempDir(), srv)
	importAndEmbed(t, a, corpus)
	st, _ := a.EmbedStatus("")
	if st.Documents != 4 || st.Pending != 0 || st.State != "idle" {
		t.Fatalf("status after import: %+v", st)
	}

	if err := os.Remove(filepath.Join(corpus, "afternoon.md")); err != nil {
		t.Fatal(err)
	}
	importAndEmbed(t, a, corpus)
	if h := hitByTitle(searchMode(t, a, "cat sleeping couch", ModeSemantic), "afternoon"); h != nil {
		t.Fatal("a deleted note is still found by meaning")
	}
	if st, _ := a.EmbedStatus(""); st.Documents != 3 {
		t.Fatalf("%d documents embedded after a deletion, want 3", st.Documents)
	}

	// Another model: everything is embedded again, in the background.
	texts := srv.Texts()
	if err := a.SetSetting(SettingEmbedModel, "all-minilm"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.EmbedWait(ctx, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	if st, _ := a.EmbedStatus(""); st.Documents != 3 || st.Endpoint.Model != "all-minilm" {
		t.Fatalf("after the model change: %+v", st)
	}
	if srv.Texts()-texts < 3 {
		t.Fatalf("a new model embedded %d texts, want every chunk", srv.Texts()-texts)
	}
}

func TestMemoriesAndContextPacksByMeaning(t *testing.T) {
	srv := embedtest.Start(t)
	a := semanticApp(t, t.TempDir(), srv)
	importAndEmbed(t, a, meaningCorpus(t))
	ctx := context.Background()
	if _, err := a.MemoryAdd(ctx, "", "maya", "I love my kitten.", "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.MemoryAdd(ctx, "", "maya", "I live in Lyon.", "test"); err != nil {
		t.Fatal(err)
	}
	res, err := a.MemorySearch(ctx, "", "maya", "feline", 5, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || !strings.Contains(res.Hits[0].Text, "itten") || !slices.Contains(res.Semantic, res.Hits[0].ID) {
		t.Fatalf("memory search by meaning: %+v", res)
	}
	// Another user's memories are never found.
	if other, _ := a.MemorySearch(ctx, "", "theo", "feline", 5, false); len(other.Hits) != 0 {
		t.Fatalf("theo sees %+v", other.Hits)
	}
	pack, err := a.Context(ctx, "", "maya", "which feline was napping on the settee", 800)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, p := range pack.Passages {
		found = found || p.Title == "afternoon"
	}
	if !found {
		t.Fatalf("context pack lacks the passage found by meaning: %+v", pack.Passages)
	}
}

func TestDeletedWorkspaceLeavesNoVectors(t *testing.T) {
	srv := embedtest.Start(t)
	a := semanticApp(t, t.TempDir(), srv)
	ctx := context.Background()
	if err := a.CreateWorkspace("lab"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "lab", []string{meaningCorpus(t)}, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.EmbedWait(ctx, "lab", 0, nil); err != nil {
		t.Fatal(err)
	}
	if h := hitByTitle(mustSearch(t, a, "lab", "cat sleeping couch"), "afternoon"); h == nil {
		t.Fatal("not found by meaning before the deletion")
	}
	if err := a.DeleteWorkspace("lab"); err != nil {
		t.Fatal(err)
	}
	if err := a.CreateWorkspace("lab"); err != nil {
		t.Fatal(err)
	}
	if res := mustSearch(t, a, "lab", "cat sleeping couch"); len(res.Hits) != 0 {
		t.Fatalf("a new workspace of the same name finds %+v", res.Hits)
	}
	if st, _ := a.EmbedStatus("lab"); st.Documents != 0 || st.Pending != 0 {
		t.Fatalf("status of the new workspace: %+v", st)
	}
}

func mustSearch(t testing.TB, a *App, ws, q string) *SearchResult {
	t.Helper()
	res, err := a.Search(context.Background(), ws, SearchRequest{Query: q, Limit: 10, Mode: ModeSemantic})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"

	"github.com/engram-app/engram/document"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// corpus is a small mixed collection: notes, a text file and emails in
// English, German, French, Japanese and Chinese.
func corpus() []document.Document {
	md, txt, mail := document.SourceMarkdown, document.SourceText, document.SourceEmail
	docs := []document.Document{
		{ID: "handbook", Source: md, Title: "Project Management Handbook", Body: "How we plan projects, run reviews and track risks.", Tags: []string{"work/projects"}, Date: day("2022-05-01")},
		{ID: "weekly", Source: md, Title: "Weekly notes", Body: "Talked about project management and the handbook draft with the team.", Tags: []string{"work"}, Date: day("2025-05-30")},
		{ID: "gonotes", Source: md, Title: "Go concurrency patterns", Body: "Channels and goroutines. Take a WaitGroup & <b>care</b> with data races.", Tags: []string{"go"}, Date: day("2023-01-10")},
		{ID: "goerrors", Source: md, Title: "Error handling in Go", Body: "Wrap errors with %w and compare with errors.Is.", Tags: []string{"go"}, Date: day("2024-02-10")},
		{ID: "grocery", Source: txt, Title: "Grocery list", Body: "milk, eggs, bread, coffee", Date: day("2022-03-03")},
		{ID: "budget", Source: mail, Title: "Q3 budget review", From: "Jeff Skilling <jeff.skilling@enron.com>", To: []string{"Kenneth Lay <ken.lay@enron.com>"}, Body: "Please review the third quarter budget before the board meeting.", Date: day("2001-08-14")},
		{ID: "lunch", Source: mail, Title: "Lunch on Friday?", From: "Anna Schmidt <anna@example.org>", To: []string{"jeff.skilling@enron.com"}, Body: "Shall we grab lunch near the office?", Date: day("2001-09-01")},
		{ID: "german", Source: md, Title: "Übersicht der Projekte", Body: "Diese Übersicht zeigt alle laufenden Vorhaben und offenen Aufgaben.", Date: day("2024-04-04")},
		{ID: "french", Source: md, Title: "Analyse des données", Body: "Nous étudions les résultats clients chaque trimestre et l'hébergement du site.", Date: day("2024-04-05")},
		{ID: "japanese", Source: md, Title: "東京の会議メモ", Body: "明日は大阪で新しい製品について話し合います。", Date: day("2024-04-06")},
		{ID: "chinese", Source: md, Title: "知识管理系统", Body: "我们正在构建一个个人工具，帮助整理笔记和想法。", Date: day("2024-04-07")},
		{ID: "k8s", Source: md, Title: "Cluster upgrade", Body: "Upgrade the kubernetes cluster to 1.30 next week.", Date: day("2024-06-01")},
		{ID: "insurance", Source: md, Title: "Automobile insurance", Body: "Renew the policy before March.", Date: day("2023-03-01")},
		{ID: "holiday", Source: md, Title: "Summer plans", Body: "Taking PTO in August to visit family.", Date: day("2024-07-01")},
		{ID: "searchnotes", Source: md, Title: "Search engine notes", Body: "Inverted indexes, ranking and relevance.", Date: day("2023-11-11")},
		{ID: "running", Source: md, Title: "Training log", Body: "She runs every morning before work.", Date: day("2023-09-09")},
	}
	for i := range docs {
		docs[i].Path = "/notes/" + docs[i].ID + ".md"
		docs[i].ContentHash = "hash-" + docs[i].ID
	}
	return docs
}

func openTest(tb testing.TB, opts Options) (*Index, string) {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "index")
	ix, err := Open(dir, opts)
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix, dir
}

func openCorpus(tb testing.TB) *Index {
	tb.Helper()
	ix, _ := openTest(tb, Options{})
	if err := ix.Put(context.Background(), corpus()); err != nil {
		tb.Fatalf("Put: %v", err)
	}
	return ix
}

func search(tb testing.TB, ix *Index, req Request) *Result {
	tb.Helper()
	if req.Now.IsZero() {
		req.Now = now
	}
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		tb.Fatalf("Search(%q): %v", req.Query, err)
	}
	return res
}

func mustParse(tb testing.TB, s string) Query {
	tb.Helper()
	q, err := ParseQuery(s)
	if err != nil {
		tb.Fatalf("ParseQuery(%q): %v", s, err)
	}
	return q
}

func ids(res *Result) []string {
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out
}

func TestSearch(t *testing.T) {
	ix := openCorpus(t)
	dict := NewDictionary(DefaultEntries())
	tests := []struct {
		name  string
		query string
		dict  bool
		top   string   // the first hit, if set
		want  []string // exactly these hits, in any order, if set
		none  bool     // no hits at all
	}{
		{name: "title words make the note the top hit", query: "project management handbook", top: "handbook"},
		{name: "title outranks a newer body match", query: "project management", top: "handbook"},
		{name: "all words must match", query: "budget lunch", none: true},
		{name: "stop words are optional", query: "the grocery list", want: []string{"grocery"}},
		{name: "phrase", query: `"third quarter budget"`, want: []string{"budget"}},
		{name: "phrase in the wrong order", query: `"budget third quarter"`, none: true},
		{name: "or", query: "grocery OR lunch", want: []string{"grocery", "lunch"}},
		{name: "bar is or", query: "grocery|lunch", want: []string{"grocery", "lunch"}},
		{name: "or of phrases and filters", query: `"third quarter" OR tag:go`, want: []string{"budget", "goerrors", "gonotes"}},
		{name: "grouping", query: "(channels OR wrap) errors", want: []string{"goerrors"}},
		{name: "not", query: "go NOT concurrency", want: []string{"goerrors"}},
		{name: "not a group", query: "tag:go NOT (channels OR goroutines)", want: []string{"goerrors"}},
		{name: "negated or", query: "source:email -(lunch | meeting)", none: true},
		{name: "subject", query: "subject:budget", want: []string{"budget"}},
		{name: "subject is the title only", query: "subject:board", none: true},
		{name: "subject phrase", query: `subject:"budget review"`, want: []string{"budget"}},
		{name: "path", query: "path:grocery", want: []string{"grocery"}},
		{name: "path parts in a row", query: "path:notes/k8s.md", want: []string{"k8s"}},
		{name: "exclusion", query: "go -concurrency", want: []string{"goerrors"}},
		{name: "phrase exclusion", query: `notes -"search engine"`, want: []string{"weekly"}},
		{name: "prefix", query: "goroutin*", want: []string{"gonotes"}},
		{name: "prefix of a stemmed word", query: "manage*", want: []string{"handbook", "weekly"}},
		{name: "tag", query: "tag:go", want: []string{"goerrors", "gonotes"}},
		{name: "hash tag", query: "#go errors", want: []string{"goerrors"}},
		{name: "parent tag finds children", query: "tag:work", want: []string{"handbook", "weekly"}},
		{name: "child tag", query: "tag:work/projects", want: []string{"handbook"}},
		{name: "negated tag", query: "tag:work -tag:work/projects", want: []string{"weekly"}},
		{name: "source", query: "source:email", want: []string{"budget", "lunch"}},
		{name: "source is case-insensitive", query: "source:TEXT", want: []string{"grocery"}},
		{name: "from name", query: "from:jeff", want: []string{"budget"}},
		{name: "from address", query: "from:jeff.skilling@enron.com", want: []string{"budget"}},
		{name: "from full name", query: `from:"Jeff Skilling"`, want: []string{"budget"}},
		{name: "from name in another order", query: `from:"Skilling, Jeff"`, want: []string{"budget"}},
		{name: "to name", query: `to:"Kenneth Lay"`, want: []string{"budget"}},
		{name: "from quoted name", query: `from:"Jeff Skilling" budget`, want: []string{"budget"}},
		{name: "to", query: "to:jeff", want: []string{"lunch"}},
		{name: "person is from or to", query: "person:skilling", want: []string{"budget", "lunch"}},
		{name: "before year", query: "before:2002", want: []string{"budget", "lunch"}},
		{name: "before month", query: "before:2001-09", want: []string{"budget"}},
		{name: "after day is inclusive", query: "after:2024-07-01", want: []string{"holiday", "weekly"}},
		{name: "date range", query: "after:2024-04 before:2024-04-07", want: []string{"german", "french", "japanese"}},
		{name: "typo", query: "managment", want: []string{"handbook", "weekly"}},
		{name: "typo of five letters", query: "seach", want: []string{"searchnotes"}},
		{name: "typo of seven letters", query: "invertd", want: []string{"searchnotes"}},
		{name: "two typos from eight letters", query: "hamdboook", want: []string{"handbook", "weekly"}},
		{name: "a swap in four letters", query: "mlik", want: []string{"grocery"}},
		{name: "no typo under four letters", query: "mlk", none: true},
		{name: "exact beats typo", query: "runs", top: "running"},
		{name: "stemming", query: "running", want: []string{"running", "handbook"}}, // "runs", "run"
		{name: "German title", query: "Übersicht", want: []string{"german"}},
		{name: "German without accent", query: "ubersicht", want: []string{"german"}},
		{name: "German body", query: "Aufgaben", want: []string{"german"}},
		{name: "French title", query: "données", want: []string{"french"}},
		{name: "French elision", query: "hébergement", want: []string{"french"}},
		{name: "French elided phrase", query: `"l'hébergement du site"`, want: []string{"french"}},
		{name: "French body", query: "étudions résultats", want: []string{"french"}},
		{name: "Japanese title", query: "東京", want: []string{"japanese"}},
		{name: "Japanese body", query: "製品", want: []string{"japanese"}},
		{name: "Japanese phrase", query: "新しい製品", want: []string{"japanese"}},
		{name: "Chinese title", query: "知识管理", want: []string{"chinese"}},
		{name: "Chinese body substring", query: "整理笔记", want: []string{"chinese"}},
		{name: "Chinese characters not adjacent", query: "知识笔记", none: true},
		{name: "acronym without dictionary", query: "k8s", none: true},
		{name: "acronym", query: "k8s", dict: true, want: []string{"k8s"}},
		{name: "acronym expands back", query: "paid time off", dict: true, want: []string{"holiday"}},
		{name: "synonym", query: "car insurance", dict: true, want: []string{"insurance"}},
		{name: "empty query lists everything newest first", query: "", top: "weekly"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{Query: tc.query, Limit: 50}
			if tc.dict {
				req.Expander = dict
			}
			res := search(t, ix, req)
			got := ids(res)
			if tc.none && len(got) > 0 {
				t.Fatalf("got %v, want no hits", got)
			}
			if !tc.none && len(got) == 0 {
				t.Fatalf("no hits")
			}
			if tc.top != "" && got[0] != tc.top {
				t.Errorf("top hit %s, want %s (all: %v)", got[0], tc.top, got)
			}
			if tc.want != nil {
				g, w := slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(tc.want))
				if !slices.Equal(g, w) {
					t.Errorf("hits %v, want %v", got, tc.want)
				}
				if res.Total != uint64(len(tc.want)) {
					t.Errorf("total %d, want %d", res.Total, len(tc.want))
				}
			}
		})
	}
}

func TestFilterOnlyIsNewestFirst(t *testing.T) {
	ix := openCorpus(t)
	res := search(t, ix, Request{Query: "tag:go"})
	if got := ids(res); !slices.Equal(got, []string{"goerrors", "gonotes"}) {
		t.Errorf("got %v, want goerrors (2024) before gonotes (2023)", got)
	}
	h := res.Hits[0]
	if h.Title != "Error handling in Go" || h.Source != "markdown" || h.Path != "/notes/goerrors.md" || !h.Date.Equal(day("2024-02-10")) {
		t.Errorf("hit fields: %+v", h)
	}
}

func TestRanking(t *testing.T) {
	ix, _ := openTest(t, Options{})
	same := "Notes on the quarterly roadmap planning session."
	docs := []document.Document{
		{ID: "old", Title: "Roadmap", Body: same, Date: now.AddDate(-3, 0, 0)},
		{ID: "new", Title: "Roadmap", Body: same, Date: now.AddDate(0, 0, -2)},
		{ID: "body", Title: "Misc", Body: "roadmap", Date: now},
		{ID: "exact", Title: "Box", Body: "the search box", Date: now.AddDate(-5, 0, 0)},
		{ID: "typo", Title: "Box", Body: "the serch box", Date: now},
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		req   Request
		order []string
	}{
		{"recency breaks a tie, title beats recency", Request{Query: "roadmap"}, []string{"new", "old", "body"}},
		{"a word the index knows is not fuzzed", Request{Query: "search"}, []string{"exact"}},
		{"an unknown word is searched as its nearest indexed word", Request{Query: "saerch"}, []string{"exact"}},
		{"caller boost", Request{Query: "roadmap", Boost: map[string]float64{"old": 2}}, []string{"old", "new", "body"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, ix, tc.req)
			if got := ids(res); !slices.Equal(got, tc.order) {
				t.Errorf("got %v, want %v", got, tc.order)
			}
			for i := 1; i < len(res.Hits); i++ {
				if res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("scores not descending: %v", res.Hits)
				}
			}
		})
	}
}

func TestFacets(t *testing.T) {
	ix := openCorpus(t)
	tests := []struct {
		name, query, facet string
		want               []Facet
	}{
		{"source", "", FacetSource, []Facet{{"markdown", 13, ""}, {"email", 2, ""}, {"text", 1, ""}}},
		{"person", "source:email", FacetPerson, []Facet{{"Jeff Skilling", 2, "jeff.skilling@enron.com"}, {"Anna Schmidt", 1, "anna@example.org"}, {"Kenneth Lay", 1, "ken.lay@enron.com"}}},
		{"year", "source:email", FacetYear, []Facet{{"2001", 2, ""}}},
		{"year of a text query", "go", FacetYear, []Facet{{"2023", 1, ""}, {"2024", 1, ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := search(t, ix, Request{Query: tc.query, Facets: true}).Facets[tc.facet]
			slices.SortStableFunc(got, func(a, b Facet) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return strings.Compare(a.Value, b.Value)
			})
			if !slices.Equal(got, tc.want) {
				t.Errorf("facet %s = %v, want %v", tc.facet, got, tc.want)
			}
		})
	}
}

func TestPaging(t *testing.T) {
	ix := openCorpus(t)
	for _, q := range []string{"", "the"} {
		t.Run(fmt.Sprintf("query %q", q), func(t *testing.T) {
			all := search(t, ix, Request{Query: q, Limit: 100})
			var paged []string
			for off := 0; off < len(all.Hits)+3; off += 3 {
				res := search(t, ix, Request{Query: q, Limit: 3, Offset: off})
				if res.Total != all.Total {
					t.Errorf("offset %d: total %d, want %d", off, res.Total, all.Total)
				}
				if len(res.Hits) > 3 {
					t.Fatalf("offset %d: %d hits, limit 3", off, len(res.Hits))
				}
				paged = append(paged, ids(res)...)
			}
			if !slices.Equal(paged, ids(all)) {
				t.Errorf("pages %v, want %v", paged, ids(all))
			}
			if len(all.Hits) < 4 {
				t.Errorf("too few hits to test paging: %v", ids(all))
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	ix := openCorpus(t)
	tests := []struct {
		name, query, id string
		contains        []string
	}{
		{"marked term", "budget review", "budget", []string{"<mark>budget</mark> before", "review"}},
		{"html escaped", "care", "gonotes", []string{"&amp; &lt;b&gt;<mark>care</mark>&lt;/b&gt;"}},
		{"stem aware", "run", "running", []string{"She <mark>runs</mark> every"}},
		{"accented", "ubersicht", "german", []string{"Diese <mark>Übersicht</mark> zeigt"}},
		{"CJK", "整理笔记", "chinese", []string{"帮助<mark>整理笔记</mark>和"}},
		{"title only match shows the body start", "grocery", "grocery", []string{"milk, eggs"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := search(t, ix, Request{Query: tc.query})
			i := slices.IndexFunc(res.Hits, func(h Hit) bool { return h.ID == tc.id })
			if i < 0 {
				t.Fatalf("%s not found: %v", tc.id, ids(res))
			}
			for _, c := range tc.contains {
				if !strings.Contains(res.Hits[i].Snippet, c) {
					t.Errorf("snippet %q lacks %q", res.Hits[i].Snippet, c)
				}
			}
		})
	}
}

func TestSnippetWindow(t *testing.T) {
	an := analyzerForTest(t)
	body := strings.Repeat("filler words here. ", 40) + "The needle is here. " + strings.Repeat("more filler text. ", 40)
	s := newMatcher(an, mustParse(t, "needle")).snippet(an, body)
	if !strings.Contains(s, "<mark>needle</mark>") || len(s) > snippetLen+40 {
		t.Errorf("snippet %q (%d bytes)", s, len(s))
	}
	if !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("cut snippet should show ellipses: %q", s)
	}
}

func TestWrites(t *testing.T) {
	ctx := context.Background()
	ix, dir := openTest(t, Options{BatchSize: 4}) // several batches
	docs := corpus()
	if err := ix.Put(ctx, docs); err != nil {
		t.Fatal(err)
	}
	count := func(want uint64) {
		t.Helper()
		if n, err := ix.Count(); err != nil || n != want {
			t.Fatalf("Count = %d, %v; want %d", n, err, want)
		}
	}
	count(uint64(len(docs)))

	// Re-putting updates in place.
	docs[0].Title = "Renamed handbook"
	docs[0].ContentHash = "hash-2"
	if err := ix.Put(ctx, docs[:1]); err != nil {
		t.Fatal(err)
	}
	count(uint64(len(docs)))
	if got := ids(search(t, ix, Request{Query: "renamed"})); !slices.Equal(got, []string{"handbook"}) {
		t.Errorf("after update: %v", got)
	}

	hashes, err := ix.Hashes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hashes) != len(docs) || hashes["handbook"] != "hash-2" || hashes["k8s"] != "hash-k8s" {
		t.Errorf("Hashes = %v", hashes)
	}

	if err := ix.Delete(ctx, []string{"handbook", "weekly", "no-such-id"}); err != nil {
		t.Fatal(err)
	}
	count(uint64(len(docs) - 2))
	if got := ids(search(t, ix, Request{Query: "management"})); len(got) != 0 {
		t.Errorf("deleted docs still found: %v", got)
	}

	if err := ix.Put(ctx, []document.Document{{Title: "no id"}}); !errors.Is(err, ErrEmptyID) {
		t.Errorf("Put without id: %v, want ErrEmptyID", err)
	}

	// Reopening keeps everything.
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := ix.Search(ctx, Request{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
	ix2, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix2.Close()
	if n, _ := ix2.Count(); n != uint64(len(docs)-2) {
		t.Errorf("after reopen: %d docs", n)
	}
	if got := ids(search(t, ix2, Request{Query: "知识管理"})); !slices.Equal(got, []string{"chinese"}) {
		t.Errorf("after reopen: %v", got)
	}
}

func TestPutManyBatches(t *testing.T) {
	ix, _ := openTest(t, Options{})
	docs := make([]document.Document, 2500)
	for i := range docs {
		docs[i] = document.Document{ID: fmt.Sprintf("d%04d", i), Source: "text", Title: fmt.Sprintf("note %d", i), Body: "common words", ContentHash: fmt.Sprint(i)}
	}
	if err := ix.Put(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
	res := search(t, ix, Request{Query: "common", Limit: 5, Offset: 150})
	if res.Total != 2500 || len(res.Hits) != 5 {
		t.Errorf("total %d, %d hits", res.Total, len(res.Hits))
	}
	h, err := ix.Hashes(context.Background())
	if err != nil || len(h) != 2500 {
		t.Errorf("Hashes: %d, %v", len(h), err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ix.Put(ctx, docs); !errors.Is(err, context.Canceled) {
		t.Errorf("Put with cancelled ctx: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(dir string) error
		want  error
	}{
		{"files but no index", func(dir string) error {
			os.MkdirAll(dir, 0o700)
			return os.WriteFile(filepath.Join(dir, "junk"), []byte("x"), 0o600)
		}, ErrIndexCorrupt},
		{"damaged metadata", func(dir string) error {
			os.MkdirAll(dir, 0o700)
			return os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte("{not json"), 0o600)
		}, ErrIndexCorrupt},
		{"damaged store", func(dir string) error {
			ix, err := Open(dir, Options{})
			if err != nil {
				return err
			}
			ix.Close()
			return os.WriteFile(filepath.Join(dir, "store", "root.bolt"), []byte("garbage garbage garbage"), 0o600)
		}, ErrIndexCorrupt},
		{"older mapping", func(dir string) error {
			ix, err := Open(dir, Options{})
			if err != nil {
				return err
			}
			defer ix.Close()
			return ix.idx.SetInternal([]byte(internalVersionKey), []byte("0"))
		}, ErrMappingChanged},
	}
	tests = append(tests, struct {
		name  string
		setup func(dir string) error
		want  error
	}{"open in another handle", func(dir string) error {
		ix, err := Open(dir, Options{})
		if err == nil {
			t.Cleanup(func() { ix.Close() })
		}
		return err
	}, ErrIndexLocked})
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "index")
			if err := tc.setup(dir); err != nil {
				t.Fatal(err)
			}
			ix, err := Open(dir, Options{LockTimeout: 100 * time.Millisecond})
			if err == nil {
				ix.Close()
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("Open = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestConcurrentPutAndSearch(t *testing.T) {
	ix := openCorpus(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for round := 0; round < 5; round++ {
			docs := make([]document.Document, 50)
			for i := range docs {
				docs[i] = document.Document{ID: fmt.Sprintf("c%d-%d", round, i), Source: "text", Title: "concurrent note", Body: "written while searching", Date: now}
			}
			if err := ix.Put(ctx, docs); err != nil {
				errc <- err
				return
			}
		}
	}()
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if _, err := ix.Search(ctx, Request{Query: "concurrent note", Now: now}); err != nil {
					errc <- err
					return
				}
				if _, err := ix.Search(ctx, Request{Query: "project management"}); err != nil {
					errc <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
	if n, err := ix.Count(); err != nil || n != uint64(len(corpus())+250) {
		t.Errorf("Count = %d, %v; want %d", n, err, len(corpus())+250)
	}
	// Searches run during the writes left no stale answer behind: the
	// same queries now see every note written.
	for _, q := range []string{"concurrent note", `"written while searching"`} {
		res, err := ix.Search(ctx, Request{Query: q, Now: now})
		if err != nil {
			t.Fatalf("%s after the writes: %v", q, err)
		}
		if res.Total != 250 {
			t.Errorf("%s after the writes: %d matches, want 250", q, res.Total)
		}
	}
}

func analyzerForTest(tb testing.TB) analysis.Analyzer {
	tb.Helper()
	m, err := newMapping()
	if err != nil {
		tb.Fatal(err)
	}
	return m.AnalyzerNamed(queryAnalyzer)
}

// IDsOnly gives the same hits in the same order, with nothing read for
// them; a page asked for in full afterwards (the same query, cached) still
// has its titles and snippets, and one asked for IDs after it has none.
func TestIDsOnlyGivesTheSameHitsWithNothingRead(t *testing.T) {
	ix := openCorpus(t)
	for _, q := range []string{"budget", "project management", `"project management"`, "from:jeff.skilling@enron.com", "proj*", "go"} {
		for _, order := range [][2]bool{{true, false}, {false, true}} {
			var got [2]*Result
			for i, idsOnly := range order {
				got[i] = search(t, ix, Request{Query: q, Limit: 5, IDsOnly: idsOnly})
			}
			ids, full := got[0], got[1]
			if !order[0] {
				ids, full = full, ids
			}
			if len(full.Hits) == 0 {
				t.Fatalf("%q finds nothing: the test needs hits", q)
			}
			if ids.Total != full.Total || len(ids.Hits) != len(full.Hits) {
				t.Fatalf("%q: IDs only %d of %d hits, in full %d of %d", q, len(ids.Hits), ids.Total, len(full.Hits), full.Total)
			}
			for i := range ids.Hits {
				a, b := ids.Hits[i], full.Hits[i]
				if a.ID != b.ID || a.Score != b.Score || !a.Date.Equal(b.Date) {
					t.Errorf("%q hit %d: IDs only %s %v, in full %s %v", q, i, a.ID, a.Score, b.ID, b.Score)
				}
				if a.Title != "" || a.Snippet != "" || a.Path != "" || a.From.Address != "" {
					t.Errorf("%q hit %d asked for its ID only has %+v", q, i, a)
				}
				if b.Title == "" && b.Snippet == "" {
					t.Errorf("%q hit %d asked for in full has no title or snippet: %+v", q, i, b)
				}
			}
		}
	}
}

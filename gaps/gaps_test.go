package gaps_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/engram-app/engram/document"
	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/gaps/gapstest"
	"github.com/engram-app/engram/store"
)

const ws = "personal"

func openStore(tb testing.TB) *store.Store {
	tb.Helper()
	st, err := store.Open(filepath.Join(tb.TempDir(), "engram.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := st.CreateWorkspace(ws, true); err != nil {
		tb.Fatal(err)
	}
	return st
}

func put(tb testing.TB, st *store.Store, docs []document.Document) {
	tb.Helper()
	for i := 0; i < len(docs); i += 500 {
		if err := st.Apply(ws, store.Write{Put: docs[i:min(i+500, len(docs))]}); err != nil {
			tb.Fatal(err)
		}
	}
}

func analyse(tb testing.TB, an *gaps.Analyzer) gaps.Result {
	tb.Helper()
	res, err := an.Run(context.Background(), ws, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

func newAnalyzer(tb testing.TB, st *store.Store, now time.Time) *gaps.Analyzer {
	tb.Helper()
	an, err := gaps.New(st, gaps.Options{Workers: 2, Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	return an
}

// cites reports whether a gap cites the planted document and passage.
func cites(g gaps.Gap, p gapstest.Planted) bool {
	for _, e := range g.Evidence {
		if p.Kind == gaps.SingleExpert {
			if strings.Contains(e.Passage, p.Passage) && e.DocID == p.DocID {
				return true
			}
			continue
		}
		if e.DocID == p.DocID && strings.Contains(e.Passage, strings.TrimSpace(p.Passage)) {
			return true
		}
	}
	return false
}

func TestPlantedGaps(t *testing.T) {
	for _, seed := range []uint64{1, 7} {
		c := gapstest.Generate(gapstest.Options{Seed: seed, PerKind: 12})
		st := openStore(t)
		put(t, st, c.Docs)
		an := newAnalyzer(t, st, c.Now)
		analyse(t, an)
		found, err := an.List(ws, gaps.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range gaps.Kinds() {
			var planted []gapstest.Planted
			for _, p := range c.Planted {
				if p.Kind == k && p.Gap {
					planted = append(planted, p)
				}
			}
			var reported []gaps.Gap
			for _, g := range found {
				if g.Kind == k {
					reported = append(reported, g)
				}
			}
			hit := 0
			for _, p := range planted {
				for _, g := range reported {
					if cites(g, p) {
						hit++
						break
					}
				}
			}
			right := 0
			for _, g := range reported {
				ok := false
				for _, p := range planted {
					ok = ok || cites(g, p)
				}
				if ok {
					right++
				} else {
					t.Logf("seed %d %s: not planted: %s | %s", seed, k, g.Summary, g.Evidence[0].Passage)
				}
			}
			recall := float64(hit) / float64(len(planted))
			precision := 1.0
			if len(reported) > 0 {
				precision = float64(right) / float64(len(reported))
			}
			t.Logf("seed %d %-28s planted %2d reported %2d recall %.2f precision %.2f", seed, k, len(planted), len(reported), recall, precision)
			if recall < 0.8 || precision < 0.8 {
				t.Errorf("seed %d %s: recall %.2f precision %.2f, want both >= 0.8", seed, k, recall, precision)
				for _, p := range planted {
					missed := true
					for _, g := range reported {
						if cites(g, p) {
							missed = false
						}
					}
					if missed {
						t.Logf("  missed: %s", p.Passage)
					}
				}
			}
		}
	}
}

// plantedGap returns the open gap citing a planted case, if any.
func plantedGap(tb testing.TB, an *gaps.Analyzer, p gapstest.Planted) (gaps.Gap, bool) {
	tb.Helper()
	gs, err := an.List(ws, gaps.Filter{Kind: p.Kind})
	if err != nil {
		tb.Fatal(err)
	}
	for _, g := range gs {
		if cites(g, p) {
			return g, true
		}
	}
	return gaps.Gap{}, false
}

func firstPlanted(c *gapstest.Corpus, k gaps.Kind) gapstest.Planted {
	for _, p := range c.Planted {
		if p.Kind == k && p.Gap {
			return p
		}
	}
	panic("no planted " + string(k))
}

func TestDeletingADocumentRemovesItsGaps(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 3, PerKind: 3})
	st := openStore(t)
	put(t, st, c.Docs)
	an := newAnalyzer(t, st, c.Now)
	analyse(t, an)
	for _, k := range []gaps.Kind{gaps.UnansweredQuestion, gaps.Contradiction, gaps.UndocumentedProcess, gaps.DeadlineWithoutFollowup} {
		p := firstPlanted(c, k)
		if _, ok := plantedGap(t, an, p); !ok {
			t.Fatalf("%s: planted gap not found before the delete", k)
		}
		if err := st.Apply(ws, store.Write{Delete: []string{p.DocID}}); err != nil {
			t.Fatal(err)
		}
		analyse(t, an)
		if g, ok := plantedGap(t, an, p); ok {
			t.Errorf("%s: gap %s still cites deleted document %s", k, g.ID, p.DocID)
		}
	}
}

func TestDismissSurvivesReimport(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 4, PerKind: 3})
	st := openStore(t)
	put(t, st, c.Docs)
	an := newAnalyzer(t, st, c.Now)
	analyse(t, an)
	p := firstPlanted(c, gaps.DecisionWithoutRationale)
	g, ok := plantedGap(t, an, p)
	if !ok {
		t.Fatal("planted gap not found")
	}
	before, _ := an.Count(ws)
	if err := an.Dismiss(ws, g.ID, c.Now); err != nil {
		t.Fatal(err)
	}
	// Import everything again, as a re-import of changed files would.
	put(t, st, c.Docs)
	res := analyse(t, an)
	if res.Documents != len(c.Docs) {
		t.Fatalf("re-analysed %d documents, want %d", res.Documents, len(c.Docs))
	}
	if _, ok := plantedGap(t, an, p); ok {
		t.Error("a dismissed gap is raised again after a re-import")
	}
	got, dismissed, err := an.Show(ws, g.ID)
	if err != nil || !dismissed || got.ID != g.ID {
		t.Errorf("Show(%s) = %v, dismissed %v, %v; want the dismissed gap", g.ID, got.ID, dismissed, err)
	}
	if after, _ := an.Count(ws); after != before-1 {
		t.Errorf("open gaps %d after dismissing one of %d", after, before)
	}
}

func TestUnchangedRunIsANoOp(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 5, PerKind: 2})
	st := openStore(t)
	put(t, st, c.Docs)
	an := newAnalyzer(t, st, c.Now)
	if res := analyse(t, an); res.Unchanged || res.Documents != len(c.Docs) {
		t.Fatalf("first run: %+v", res)
	}
	if res := analyse(t, an); !res.Unchanged || res.Documents != 0 {
		t.Fatalf("second run with nothing changed: %+v", res)
	}
}

func TestCancelledRunResumes(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 6, PerKind: 12})
	full := openStore(t)
	put(t, full, c.Docs)
	an := newAnalyzer(t, full, c.Now)
	analyse(t, an)
	want, err := an.List(ws, gaps.Filter{})
	if err != nil {
		t.Fatal(err)
	}

	st := openStore(t)
	put(t, st, c.Docs)
	an2 := newAnalyzer(t, st, c.Now)
	ctx, cancel := context.WithCancel(context.Background())
	_, err = an2.Run(ctx, ws, func(gaps.Progress) { cancel() })
	if err == nil {
		t.Fatal("a run cancelled after its first step finished without error")
	}
	partial, _ := an2.Count(ws)
	if partial >= len(want) {
		t.Fatalf("cancelled run already had all %d gaps", partial)
	}
	analyse(t, an2)
	got, _ := an2.List(ws, gaps.Filter{})
	if len(got) != len(want) {
		t.Fatalf("after resuming: %d gaps, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i].ID != want[i].ID {
			t.Fatalf("gap %d: %s, want %s", i, got[i].ID, want[i].ID)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	c := gapstest.Generate(gapstest.Options{Seed: 9, PerKind: 40, Noise: 400})
	b.ReportAllocs()
	var msgs int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st := openStore(b)
		put(b, st, c.Docs)
		an := newAnalyzer(b, st, c.Now)
		b.StartTimer()
		res := analyse(b, an)
		msgs += res.Documents
	}
	b.ReportMetric(float64(msgs)/b.Elapsed().Seconds(), "msgs/s")
}

// TestStateTellsNeverAnalysedFromNoGaps: a workspace never analysed says
// so; after a run it is analysed with nothing pending and counts its open
// gaps, a dismissed one not among them; a new document is pending again.
func TestStateTellsNeverAnalysedFromNoGaps(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 5, PerKind: 1})
	st := openStore(t)
	an := newAnalyzer(t, st, c.Now)
	s, err := an.State(ws)
	if err != nil || s.Analysed || s.Pending != 0 || s.Gaps != 0 || s.Running {
		t.Fatalf("never analysed: %+v, %v", s, err)
	}
	put(t, st, c.Docs[:len(c.Docs)-1])
	analyse(t, an)
	s, err = an.State(ws)
	if err != nil || !s.Analysed || s.Pending != 0 || s.Running {
		t.Fatalf("after a run: %+v, %v", s, err)
	}
	open, err := an.List(ws, gaps.Filter{})
	if err != nil || len(open) == 0 || s.Gaps != len(open) {
		t.Fatalf("state counts %d gaps, the list has %d (%v)", s.Gaps, len(open), err)
	}
	if err := an.Dismiss(ws, open[0].ID, c.Now); err != nil {
		t.Fatal(err)
	}
	if s, _ = an.State(ws); s.Gaps != len(open)-1 {
		t.Fatalf("after a dismissal: %+v", s)
	}
	put(t, st, c.Docs[len(c.Docs)-1:])
	if s, _ = an.State(ws); s.Pending != 1 {
		t.Fatalf("a new document is not pending: %+v", s)
	}
}

// TestBackgroundRunYields checks that the background run (the one after an
// import) hands its core back between every two documents and every two
// conversations or aggregates, and that a foreground run never does: the
// searches running beside a background run wait behind one document's
// analysis at most, not a whole scheduler time slice.
func TestBackgroundRunYields(t *testing.T) {
	c := gapstest.Generate(gapstest.Options{Seed: 3, PerKind: 3})
	for _, background := range []bool{true, false} {
		st := openStore(t)
		put(t, st, c.Docs)
		yields := 0
		an, err := gaps.New(st, gaps.Options{Workers: 2, Now: func() time.Time { return c.Now }, Yield: func() { yields++ }})
		if err != nil {
			t.Fatal(err)
		}
		run := an.Run
		if background {
			run = func(ctx context.Context, ws string, _ func(gaps.Progress)) (gaps.Result, error) {
				return an.RunBackground(ctx, ws)
			}
		}
		res, err := run(context.Background(), ws, nil)
		if err != nil {
			t.Fatal(err)
		}
		if res.Documents != len(c.Docs) || res.Owners == 0 {
			t.Fatalf("background %v: analysed %d of %d documents, %d owners", background, res.Documents, len(c.Docs), res.Owners)
		}
		switch want := 2*res.Documents + res.Owners; {
		case background && yields < want:
			t.Errorf("background run yielded %d times over %d documents and %d owners, want %d", yields, res.Documents, res.Owners, want)
		case !background && yields != 0:
			t.Errorf("foreground run yielded %d times", yields)
		}
	}
}

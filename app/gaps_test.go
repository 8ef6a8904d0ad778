package app

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/gaps/gapstest"
)

// gapFor returns the open gap citing a planted case.
func gapFor(t *testing.T, a *App, p gapstest.Planted) (gaps.Gap, bool) {
	t.Helper()
	l, err := a.Gaps(context.Background(), "", GapsFilter{Kind: string(p.Kind)})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range l.Gaps {
		for _, e := range g.Evidence {
			if e.DocID == p.DocID && strings.Contains(e.Passage, p.Passage) {
				return g, true
			}
		}
	}
	return gaps.Gap{}, false
}

func TestGapsThroughImport(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t, t.TempDir())
	c := gapstest.Generate(gapstest.Options{Seed: 11, PerKind: 2})
	src := t.TempDir()
	paths, err := gapstest.Write(src, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GapsAnalyze(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	var question, decision gapstest.Planted
	for _, p := range c.Planted {
		if !p.Gap || p.Kind == gaps.SingleExpert {
			continue
		}
		if _, ok := gapFor(t, a, p); !ok {
			t.Errorf("imported mail: planted %s not found: %s", p.Kind, p.Passage)
		}
		switch p.Kind {
		case gaps.UnansweredQuestion:
			question = p
		case gaps.DecisionWithoutOwner:
			decision = p
		}
	}
	res, err := a.GapsAnalyze(ctx, "", nil)
	if err != nil || !res.Unchanged {
		t.Fatalf("second analysis with nothing new: %+v, %v", res, err)
	}

	// Deleting the source file removes its gap.
	if err := os.Remove(paths[question.DocID]); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(ctx, "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GapsAnalyze(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	if g, ok := gapFor(t, a, question); ok {
		t.Errorf("gap %s outlived its deleted message", g.ID)
	}

	// A dismissal survives the message being imported again.
	g, ok := gapFor(t, a, decision)
	if !ok {
		t.Fatal("planted decision gap missing")
	}
	if err := a.GapDismiss(ctx, "", g.ID); err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(paths[decision.DocID])
	if err := os.WriteFile(paths[decision.DocID], append(raw, "\r\n\r\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if r, err := a.Import(ctx, "", []string{src}, nil); err != nil || r.Updated != 1 {
		t.Fatalf("re-import: %+v, %v", r, err)
	}
	// The import started the analysis in the background; this one waits
	// for it, or does the work itself.
	if _, err := a.GapsAnalyze(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	if _, ok := gapFor(t, a, decision); ok {
		t.Error("dismissed gap raised again after a re-import")
	}
	d, err := a.GapShow(ctx, "", g.ID)
	if err != nil || !d.Dismissed {
		t.Errorf("GapShow(%s) = %+v, %v; want it dismissed", g.ID, d, err)
	}

	if _, err := a.Gaps(ctx, "", GapsFilter{Kind: "nonsense"}); err == nil {
		t.Error("an unknown kind was accepted")
	}
	groups, err := a.GapsByKind(ctx, "")
	if err != nil || len(groups) != len(gaps.Kinds()) {
		t.Fatalf("GapsByKind: %d groups, %v", len(groups), err)
	}
}

func TestWhoKnowsRanksWritersAboveReaders(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t, t.TempDir())
	src := t.TempDir()
	mail := func(from, to, subject, body string) string {
		return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nDate: Mon, 8 Jan 2024 09:00:00 +0000\r\nMessage-ID: <" + subject + "@x>\r\n\r\n" + body + "\r\n"
	}
	writeFiles(t, src, map[string]string{
		"1.eml": mail("Ann Lee <ann@x.com>", "Bob Ray <bob@x.com>", "kestrel1", "The Kestrel migration moved the archive."),
		"2.eml": mail("Ann Lee <ann@x.com>", "Cat Poe <cat@x.com>", "kestrel2", "Kestrel migration notes: the indexes are rebuilt."),
		"3.eml": mail("Bob Ray <bob@x.com>", "Ann Lee <ann@x.com>", "kestrel3", "Is the Kestrel migration finished?"),
		"4.eml": mail("Dan Oz <dan@x.com>", "Cat Poe <cat@x.com>", "lunch", "Lunch on Friday?"),
	})
	if _, err := a.Import(ctx, "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	res, err := a.WhoKnows(ctx, "", "kestrel migration", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.People) < 3 || res.People[0].Address != "ann@x.com" || res.People[0].Wrote != 2 {
		t.Fatalf("who knows kestrel: %+v", res.People)
	}
	for _, p := range res.People {
		if p.Address == "dan@x.com" {
			t.Errorf("Dan, who never wrote or received a word about it, is ranked: %+v", p)
		}
	}
}

func TestContextPackNamesTheGapsOfItsPassages(t *testing.T) {
	ctx := context.Background()
	a := newTestApp(t, t.TempDir())
	src := t.TempDir()
	writeFiles(t, src, map[string]string{
		"q.eml": "From: Ann Lee <ann@x.com>\r\nTo: Bob Ray <bob@x.com>\r\nSubject: Halvard numbers\r\nDate: Mon, 8 Jan 2024 09:00:00 +0000\r\nMessage-ID: <q1@x>\r\n\r\nWhat is the final headcount for the Halvard pilot?\r\n",
		"n.eml": "From: Cat Poe <cat@x.com>\r\nTo: Dan Oz <dan@x.com>\r\nSubject: lunch\r\nDate: Mon, 8 Jan 2024 10:00:00 +0000\r\nMessage-ID: <n1@x>\r\n\r\nLunch is at noon.\r\n",
	})
	if _, err := a.Import(ctx, "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := a.GapsAnalyze(ctx, "", nil); err != nil {
		t.Fatal(err)
	}
	pack, err := a.Context(ctx, "", "", "Halvard pilot headcount", 1500)
	if err != nil {
		t.Fatal(err)
	}
	if len(pack.Gaps) != 1 || pack.Gaps[0].Kind != gaps.UnansweredQuestion {
		t.Fatalf("context pack gaps: %+v", pack.Gaps)
	}
	pack, err = a.Context(ctx, "", "", "lunch", 1500)
	if err != nil {
		t.Fatal(err)
	}
	if len(pack.Gaps) != 0 {
		t.Errorf("a question about lunch got gaps %+v", pack.Gaps)
	}
}

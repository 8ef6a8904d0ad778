package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/gaps"
	"github.com/engram-app/engram/gaps/gapstest"
)

// emptyApp opens a container on a fresh data directory with nothing in it.
func emptyApp(t *testing.T) *app.App {
	t.Helper()
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := a.Close(); err != nil {
			t.Error(err)
		}
	})
	return a
}

// plantedGap returns the open gap that cites a planted case.
func plantedGap(t *testing.T, a *app.App, p gapstest.Planted) gaps.Gap {
	t.Helper()
	l, err := a.Gaps(context.Background(), "", app.GapsFilter{Kind: string(p.Kind)})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range l.Gaps {
		for _, e := range g.Evidence {
			if e.DocID == p.DocID && strings.Contains(e.Passage, strings.TrimSpace(p.Passage)) {
				return g
			}
		}
	}
	t.Fatalf("no open %s gap cites %s (%q)", p.Kind, p.DocID, p.Passage)
	return gaps.Gap{}
}

// TestBrowserGaps drives the Gaps view in a real Chromium over a real
// store: a workspace never analysed says so, and once analysed with nothing
// in it says no gaps were found; over imported mail holding a planted
// unanswered question and a contradiction, Analyse now lists the gaps
// grouped by kind with their counts, the contradiction's values with the
// newer one marked; an evidence item opens its document in the reader; the
// kind and person filters narrow the list; a dismissed gap goes, stays gone
// after a reload, shows among the dismissed and comes back when restored.
// ENGRAM_UPDATE_SCREENSHOTS=1 writes docs/screenshots/gaps.png and
// gaps-contradiction.png.
func TestBrowserGaps(t *testing.T) {
	a := emptyApp(t)
	u := startUI(t, a)
	ctx := u.ctx
	group := func(kind string) string { return `.gaps-view > .gap-group[data-kind=` + jsString(kind) + `]` }
	card := func(id string) string { return `.gaps-view > .gap-group [data-gap-id=` + jsString(id) + `]` }

	step(t, ctx, "opening the Gaps view of a workspace never analysed",
		chromedp.Navigate(u.link()+"#/gaps"),
		poll(`document.querySelector(".gaps-empty")?.dataset.empty === "not-analysed"`),
		poll(`(document.querySelector(".gaps-empty")?.textContent ?? "").includes("Not analysed yet")`),
	)
	step(t, ctx, "analysing the empty workspace",
		js(`document.querySelector(".gaps-analyze").click()`),
		poll(`document.querySelector(".gaps-empty")?.dataset.empty === "none"`),
		poll(`(document.querySelector(".gaps-empty")?.textContent ?? "").includes("No gaps found")`),
	)

	// The corpus: mail with every kind of gap planted, and as many near
	// misses. The test knows the planted question and contradiction.
	c := gapstest.Generate(gapstest.Options{Seed: 11, PerKind: 1})
	src := t.TempDir()
	if _, err := gapstest.Write(src, c); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Import(context.Background(), "", []string{src}, nil); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "analysing the imported mail",
		js(`document.querySelector(".gaps-analyze").click()`),
		poll(`document.querySelector(".gaps-analyze")?.disabled === false && document.querySelectorAll(".gaps-view > .gap-group").length > 0`),
	)
	var question, contra gapstest.Planted
	for _, p := range c.Planted {
		if p.Gap && p.Kind == gaps.UnansweredQuestion && question.DocID == "" {
			question = p
		}
		if p.Gap && p.Kind == gaps.Contradiction && contra.DocID == "" {
			contra = p
		}
	}
	q := plantedGap(t, a, question)
	k := plantedGap(t, a, contra)
	groups, err := a.GapsByKind(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}

	// Every kind with gaps is a group whose count is its number of gaps.
	for _, g := range groups {
		if len(g.Gaps) == 0 {
			if n := evaluate[int](t, ctx, `document.querySelectorAll(`+jsString(group(string(g.Kind)))+`).length`); n != 0 {
				t.Errorf("empty kind %s has a group", g.Kind)
			}
			continue
		}
		got := evaluate[string](t, ctx, `document.querySelector(`+jsString(group(string(g.Kind))+` .gap-group-title .gap-count`)+`)?.textContent ?? ""`)
		if want := strconv.Itoa(len(g.Gaps)); got != want {
			t.Errorf("kind %s: count %q, want %s", g.Kind, got, want)
		}
		if n := evaluate[int](t, ctx, `document.querySelectorAll(`+jsString(group(string(g.Kind))+` .gap`)+`).length`); n != len(g.Gaps) {
			t.Errorf("kind %s: %d cards, want %d", g.Kind, n, len(g.Gaps))
		}
	}
	// The question's card: summary, the question to ask, whom, the passage.
	qText := evaluate[string](t, ctx, `document.querySelector(`+jsString(card(q.ID))+`)?.innerText ?? ""`)
	for _, want := range []string{q.Summary, q.Question, strings.TrimSpace(question.Passage)} {
		if !strings.Contains(qText, want) {
			t.Errorf("the question's card lacks %q:\n%s", want, qText)
		}
	}
	if len(q.Ask) > 0 && !strings.Contains(qText, q.Ask[0].Name) {
		t.Errorf("the question's card does not say to ask %s:\n%s", q.Ask[0].Name, qText)
	}
	// The contradiction: its values, the newer one marked.
	var newer string
	for _, v := range k.Values {
		if v.Newer {
			newer = v.Value
		}
	}
	if newer == "" || len(k.Values) < 2 {
		t.Fatalf("the planted contradiction has no newer value: %+v", k.Values)
	}
	step(t, ctx, "reading the contradiction's values",
		poll(`document.querySelectorAll(`+jsString(card(k.ID)+` .gap-value`)+`).length === `+strconv.Itoa(len(k.Values))),
		poll(`[...document.querySelectorAll(`+jsString(card(k.ID)+` .gap-value[data-newer="1"]`)+`)].map(e => e.querySelector(".gap-value-text").textContent).join("|") === `+jsString(newer)),
	)
	u.shoot("gaps.png")

	// An evidence item opens its document in the reader.
	ev := q.Evidence[0]
	step(t, ctx, "opening the question's evidence",
		js(`document.querySelector(`+jsString(card(q.ID)+` .gap-evidence-item[data-doc-id=`+jsString(ev.DocID)+`]`)+`).click()`),
		poll(`location.hash.startsWith("#/search") && location.hash.includes("doc=")`),
		poll(`document.querySelector(".reader-title")?.textContent === `+jsString(ev.Title)),
		poll(`(document.querySelector(".reader")?.innerText ?? "").includes(`+jsString(strings.TrimSpace(question.Passage))+`)`),
	)

	// The filters: a kind, then a person.
	step(t, ctx, "filtering by kind",
		js(`location.hash = "#/gaps"`),
		poll(`document.querySelector(`+jsString(card(q.ID))+`) !== null`),
		js(`(() => { const s = document.querySelector(".gaps-kind"); s.value = "contradiction"; s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		poll(`[...document.querySelectorAll(".gaps-view > .gap-group")].every(g => g.dataset.kind === "contradiction") && document.querySelector(`+jsString(card(k.ID))+`) !== null`),
	)
	u.shoot("gaps-contradiction.png")
	step(t, ctx, "showing every kind again",
		js(`(() => { const s = document.querySelector(".gaps-kind"); s.value = ""; s.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		poll(`document.querySelector(`+jsString(card(q.ID))+`) !== null`),
	)
	asker := q.Ask[0].Address
	step(t, ctx, "filtering by person",
		js(`(() => { const i = document.querySelector(".gaps-person"); i.value = `+jsString(strings.ToUpper(asker))+`; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		poll(`document.querySelector(`+jsString(card(q.ID))+`) !== null && [...document.querySelectorAll(".gaps-view > .gap-group .gap")].length < `+strconv.Itoa(countOpen(groups))),
		js(`(() => { const i = document.querySelector(".gaps-person"); i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		poll(`[...document.querySelectorAll(".gaps-view > .gap-group .gap")].length === `+strconv.Itoa(countOpen(groups))),
	)

	// Dismissing: gone, and still gone after a reload; restored: back.
	step(t, ctx, "dismissing the question",
		js(`document.querySelector(`+jsString(card(q.ID)+` .gap-dismiss`)+`).click()`),
		poll(`document.querySelector(`+jsString(card(q.ID))+`) === null`),
		chromedp.Reload(),
		poll(`document.querySelectorAll(".gaps-view > .gap-group").length > 0`),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll(`+jsString(card(q.ID))+`).length`); n != 0 {
		t.Fatalf("the dismissed gap is back after a reload")
	}
	if d, err := a.GapShow(context.Background(), "", q.ID); err != nil || !d.Dismissed {
		t.Fatalf("the store does not have the gap dismissed: %+v, %v", d, err)
	}
	dismissedCard := `.gaps-dismissed [data-gap-id=` + jsString(q.ID) + `]`
	step(t, ctx, "showing the dismissed gaps and restoring the question",
		js(`document.querySelector(".gaps-show-dismissed").click()`),
		poll(`document.querySelector(`+jsString(dismissedCard)+`) !== null`),
		js(`document.querySelector(`+jsString(dismissedCard+` .gap-restore`)+`).click()`),
		poll(`document.querySelector(`+jsString(card(q.ID))+`) !== null && document.querySelector(`+jsString(dismissedCard)+`) === null`),
	)
}

func countOpen(gs []app.GapGroup) int {
	n := 0
	for _, g := range gs {
		n += len(g.Gaps)
	}
	return n
}

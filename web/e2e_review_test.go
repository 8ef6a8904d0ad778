package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/embed/embedtest"
)

// TestBrowserMemoryReview drives the Memories view's review in a real
// Chromium: a memory added through the container (as MCP and the CLI add
// them, through the owning process) appears in the open view without a
// reload; a machine-made memory is confirmed, its history reads as a
// timeline of both clocks (valid time with an unknown start, record time
// closed for the past version), the confirm is undone and the undo is in
// the history; an "as of" day answers from valid time. Screenshot:
// memories-timeline.png. An import that ends elsewhere shows in the open
// imports view the same way.
func TestBrowserMemoryReview(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	if _, err := a.MemoryAdd(ctx, "", "", "I live in Utrecht.", "mcp"); err != nil {
		t.Fatal(err)
	}
	moved, err := a.MemoryAdd(ctx, "", "", "I moved to Aarhus in April.", "mcp")
	if err != nil || len(moved.Events) != 1 {
		t.Fatalf("%+v %v", moved, err)
	}
	id := moved.Events[0].ID
	b := startUI(t, a)
	row := `document.querySelector('.memory-list:not(.memory-asof-list) .memory[data-id=` + jsString(id) + `]')`

	b.step("opening the memories",
		chromedp.Navigate(b.link()),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="memories"]`)),
		poll(row+`?.querySelector(".memory-text")?.textContent.startsWith("Lives in Aarhus")`),
		// A reload would lose this mark.
		js(`window.__sameDocument = true`),
	)

	// Live: added from this goroutine, through the container, not the page.
	sister, err := a.MemoryAdd(ctx, "", "", "My sister Anna lives in York.", "mcp")
	if err != nil || len(sister.Events) == 0 {
		t.Fatalf("%+v %v", sister, err)
	}
	b.step("seeing the memory added elsewhere",
		poll(`[...document.querySelectorAll(".memory-list .memory-text")].some(e => e.textContent.includes("Anna"))`),
	)
	if !evaluate[bool](t, b.ctx, `window.__sameDocument === true`) {
		t.Fatal("the page reloaded to show the new memory")
	}

	b.step("confirming the move",
		js(row+`.querySelector(".memory-confirm").click()`),
		poll(row+`?.querySelector(".badge-confirmed") !== null && `+row+`.querySelector(".memory-confirm") === null`),
	)
	b.step("opening its history",
		js(row+`.querySelector(".memory-history-button").click()`),
		poll(`document.querySelectorAll(".timeline-item").length === 3`),
	)
	v := func(n int, sel string) string {
		return evaluate[string](t, b.ctx, `document.querySelector('.timeline-item[data-version="`+string(rune('0'+n))+`"] `+sel+`')?.textContent ?? ""`)
	}
	if got := v(1, ".badge"); got != "ADD" {
		t.Errorf("v1 event %q", got)
	}
	// Utrecht: its start unknown (never today), its end the move.
	if got := v(1, ".timeline-valid"); !matches(got, `^valid unknown → \d{4}-04-01$`) {
		t.Errorf("v1 valid time %q", got)
	}
	if !evaluate[bool](t, b.ctx, `document.querySelector('.timeline-item[data-version="1"]').classList.contains("timeline-closed")`) {
		t.Error("the past version's record time is not closed")
	}
	if got := v(2, ".timeline-valid"); !matches(got, `^valid \d{4}-04-01 → still true$`) {
		t.Errorf("v2 valid time %q", got)
	}
	if got := v(3, ".badge"); got != "CONFIRM" {
		t.Errorf("v3 event %q", got)
	}
	if got := v(3, ".timeline-record"); !matches(got, `^recorded \d{4}-\d{2}-\d{2} → current$`) {
		t.Errorf("v3 record time %q", got)
	}

	b.step("undoing the confirm from the history",
		js(`document.querySelector(".history-undo").click()`),
		poll(`document.querySelectorAll(".timeline-item").length === 4`),
		poll(`document.querySelector('.timeline-item[data-version="4"] .timeline-undoes')?.textContent.trim() === "undoes v3"`),
		poll(row+`?.querySelector(".memory-confirm") !== null`),
	)
	b.shoot("memories-timeline.png")

	b.step("opening the imports",
		js(`location.hash = "#/imports"`),
		poll(`document.querySelectorAll("tr[data-job]").length === 1`),
	)
	// An import run elsewhere (the CLI, through the owner) ends: its job
	// shows in the open history without a reload.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lake.md"), []byte("# Lake\n\nHerons at dawn.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := a.Import(ctx, "", []string{dir}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b.step("seeing the import that ended elsewhere",
		poll(`document.querySelector('tr[data-job=`+jsString(res.JobID)+`] .badge')?.textContent === "done"`),
	)
	if !evaluate[bool](t, b.ctx, `window.__sameDocument === true`) {
		t.Fatal("the page reloaded to show the import")
	}
	b.step("back to the memories",
		js(`location.hash = "#/memories"`),
		poll(row+` !== null`),
	)

	b.step("asking where I lived in January",
		js(`(() => { const i = document.querySelector("input.memory-search"); i.value = "where did I live"; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		js(`(() => { const i = document.querySelector("input.memory-asof"); i.value = "2026-01-15"; i.dispatchEvent(new Event("change", {bubbles: true})); })()`),
		poll(`document.querySelector(".memory-asof-hit .memory-text")?.textContent.startsWith("Lives in Utrecht")`),
	)
}

// TestBrowserSearchModes drives search by meaning in the search view with
// a loopback embedding server: hybrid is the default once an endpoint is
// set and finds a paraphrase (marked "by meaning") that words alone miss;
// the mode is in the URL, so a reload keeps it; the embedding's state is
// shown; with the endpoint down the search falls back to words and says
// so. Then a Slack reply shows its channel and a link that opens its
// thread's start. Screenshot: search-modes.png.
func TestBrowserSearchModes(t *testing.T) {
	srv := embedtest.Start(t)
	a, err := app.New(app.Config{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if err := a.SetSetting(app.SettingEmbedEndpoint, srv.URL); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, body := range map[string]string{
		"afternoon.md": "# Afternoon\n\nOur kitten dozed all afternoon on the sofa.\n",
		"budget.md":    "# Budget review\n\nThe quarterly budget review moved to Thursday with the finance team.\n",
		"garden.md":    "# Garden\n\nPlanted tomatoes and basil in the garden beds this weekend.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	if _, err := a.Import(ctx, "", []string{dir, filepath.Join("..", "ingest", "slack", "testdata", "export")}, nil); err != nil {
		t.Fatal(err)
	}
	if err := a.EmbedWait(ctx, "", 0, nil); err != nil {
		t.Fatal(err)
	}
	b := startUI(t, a)
	hitTitles := `[...document.querySelectorAll(".hit-title")].map(e => e.textContent)`
	on := func(mode string) string {
		return `document.querySelector(".mode-on")?.dataset.mode === ` + jsString(mode)
	}

	b.step("searching a paraphrase in the default mode",
		chromedp.Navigate(b.link()),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "cat sleeping couch"),
		poll(on("hybrid")),
		poll(hitTitles+`.includes("afternoon")`),
		poll(`[...document.querySelectorAll(".hit")].some(h => h.querySelector(".hit-title")?.textContent === "afternoon" && h.querySelector(".hit-meaning") !== null)`),
		poll(`(document.querySelector(".embed-status")?.textContent ?? "").includes("documents embedded")`),
	)
	b.shoot("search-modes.png")

	b.step("switching to words only",
		chromedp.Click(chromedp.CSS(`.mode-option[data-mode="text"]`)),
		poll(on("text")),
		poll(`location.hash.includes("mode=text")`),
		poll(`!`+hitTitles+`.includes("afternoon") && document.querySelector(".results-stale") === null`),
	)
	b.step("reloading keeps the mode",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		poll(on("text")),
		poll(`document.querySelector("input.searchbox-input").value === "cat sleeping couch"`),
	)

	srv.SetDown(true)
	b.step("falling back to words when the endpoint is down",
		chromedp.Click(chromedp.CSS(`.mode-option[data-mode="semantic"]`)),
		poll(`location.hash.includes("mode=semantic")`),
		// A query whose vector is not cached yet, so the endpoint is asked.
		js(`(() => { const i = document.querySelector("input.searchbox-input"); i.value = "quarterly"; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		poll(`(document.querySelector(".status-notice")?.textContent ?? "") !== ""`),
		poll(`[...document.querySelectorAll(".hit-title")].map(e => e.textContent).includes("budget")`),
	)
	srv.SetDown(false)

	b.step("opening a Slack reply",
		js(`location.hash = "#/search?q=" + encodeURIComponent("Looks good") + "&mode=text"`),
		poll(`[...document.querySelectorAll(".hit-title")].some(e => e.textContent.includes("Looks good")) && document.querySelector(".results-stale") === null`),
		js(`[...document.querySelectorAll(".hit-title")].find(e => e.textContent.includes("Looks good")).click()`),
		poll(`document.querySelector(".reader-channel")?.textContent === "#general"`),
		poll(`(document.querySelector(".reader-thread-link")?.textContent ?? "").startsWith("Reply in a thread")`),
	)
	b.step("opening the thread's start",
		chromedp.Click(chromedp.CSS(`.reader-thread-link`)),
		poll(`(document.querySelector(".reader-body")?.innerText ?? "").includes("the spec")`),
		poll(`(document.querySelector(".reader-thread-link")?.textContent ?? "").startsWith("Thread of")`),
	)
}

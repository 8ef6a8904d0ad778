package web_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserViews drives every view of the real frontend in a real
// Chromium: a facet filters the search and the reader shows the whole
// document, an import of a temporary folder runs to the end of its progress
// bar, a memory is added and edited (its history has both versions), the
// graph of a person (from an imported mail) is drawn with the person they
// wrote to, the settings show the data directory, and a second workspace
// is created and switched to (a search there does not see the default
// workspace's notes) and back. ENGRAM_UPDATE_SCREENSHOTS=1 writes a screenshot of each view to
// docs/screenshots/.
func TestBrowserViews(t *testing.T) {
	a := newApp(t)
	b := openBrowserUI(t, a)
	s, ts, ctx := b.s, b.ts, b.ctx
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		saveScreenshot(t, name, png)
	}
	view := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Click(chromedp.CSS(fmt.Sprintf(`.nav-item[data-view=%q]`, name)))
	}

	// Search: a facet filters, the reader shows the full body and links.
	step(t, ctx, "searching basil",
		chromedp.Navigate(s.URL(ts.URL)),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "basil"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".hit-title").length === 2`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.facet-group[data-facet="source"] .facet') !== null`),
	)
	step(t, ctx, "filtering by the source facet",
		chromedp.Click(chromedp.CSS(`.facet-group[data-facet="source"] .facet`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("input.searchbox-input").value.includes("source:")`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.facet-on') !== null && document.querySelector(".results-stale") === null && document.querySelectorAll(".hit-title").length === 2`),
	)
	step(t, ctx, "opening Garden in the reader",
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll(".hit-title")].find(e => e.textContent === "Garden").click()`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".reader-body")?.innerText ?? "").includes("Tomatoes and basil grow by the fence")`),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".reader .wikilink")].some(e => e.textContent === "Compost")`),
	)
	shoot("search.png")

	// Imports: a temp folder, imported to the end of the bar. It holds
	// mail between Ann Lee, Bob and three others, whose graph is opened
	// below.
	dir := t.TempDir()
	eml := "From: \"Ann Lee\" <ann@example.org>\r\nTo: \"Bob Stone\" <bob@example.org>\r\n" +
		"Subject: Heron count\r\nDate: Mon, 03 Jun 2024 09:00:00 +0000\r\nMessage-ID: <heron-1@example.org>\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nBob, I counted four herons at the lake today.\r\n"
	if err := os.WriteFile(filepath.Join(dir, "heron.eml"), []byte(eml), 0o644); err != nil {
		t.Fatal(err)
	}
	// A few more, so that the graph screenshot shows a neighbourhood.
	for i, m := range []struct{ from, to, cc, subject, reply, body string }{
		{`"Ann Lee" <ann@example.org>`, `"Bob Stone" <bob@example.org>, "Carla Diaz" <carla@example.org>`, `"Dev Patel" <dev@example.org>`, "Lake survey plan", "", "Saturday at seven, by the boathouse."},
		{`"Bob Stone" <bob@example.org>`, `"Ann Lee" <ann@example.org>`, "", "Re: Heron count", "<heron-1@example.org>", "Four! I only saw two on Sunday."},
		{`"Carla Diaz" <carla@example.org>`, `"Ann Lee" <ann@example.org>, "Eve Moss" <eve@example.org>`, "", "Boat booking", "", "I booked the rowing boat for Saturday."},
		{`"Dev Patel" <dev@example.org>`, `"Ann Lee" <ann@example.org>`, "", "Camera traps", "", "The two camera traps are charged."},
		{`"Eve Moss" <eve@example.org>`, `"Carla Diaz" <carla@example.org>`, `"Ann Lee" <ann@example.org>`, "Re: Boat booking", "", "Thanks, I will bring the oars."},
	} {
		msg := fmt.Sprintf("From: %s\r\nTo: %s\r\n", m.from, m.to)
		if m.cc != "" {
			msg += "Cc: " + m.cc + "\r\n"
		}
		if m.reply != "" {
			msg += "In-Reply-To: " + m.reply + "\r\n"
		}
		msg += fmt.Sprintf("Subject: %s\r\nDate: Tue, 04 Jun 2024 1%d:00:00 +0000\r\nMessage-ID: <lake-%d@example.org>\r\n"+
			"Content-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", m.subject, i, i, m.body)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("lake-%d.eml", i)), []byte(msg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 12 {
		body := fmt.Sprintf("# Field note %d\n\nSeen a heron by the lake, number %d.\n", i, i)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("field-%02d.md", i)), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	step(t, ctx, "importing a folder",
		view("imports"),
		chromedp.WaitVisible(chromedp.CSS(`input.import-path`)),
		chromedp.SendKeys(chromedp.CSS(`input.import-path`), dir),
		chromedp.Click(chromedp.CSS(`button.import-start`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('.import-progress[data-state="done"]') !== null`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.progress').getAttribute("aria-valuenow") === "100"`),
		chromedp.Poll[chromedp.Void](`document.querySelector(".progress-count").textContent.startsWith("18 / 18")`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("table.jobs tbody tr").length === 2`),
	)
	shoot("imports.png")

	// Memories: add, edit, history.
	step(t, ctx, "adding a memory",
		view("memories"),
		chromedp.WaitVisible(chromedp.CSS(`textarea.memory-add-text`)),
		chromedp.SendKeys(chromedp.CSS(`textarea.memory-add-text`), "I live in Oslo"),
		chromedp.Click(chromedp.CSS(`button.memory-add-button`)),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".memory-text")].some(e => e.textContent.includes("Oslo"))`),
	)
	step(t, ctx, "editing the memory",
		chromedp.Click(chromedp.CSS(`.memory button.memory-edit-button`)),
		chromedp.WaitVisible(chromedp.CSS(`input.memory-edit-text`)),
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("input.memory-edit-text"); i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.SendKeys(chromedp.CSS(`input.memory-edit-text`), "I live in Bergen"),
		chromedp.Click(chromedp.CSS(`button.memory-save`)),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".memory-text")].some(e => e.textContent.includes("Bergen"))`),
		chromedp.Click(chromedp.CSS(`.memory button.memory-history-button`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".history-item").length >= 2`),
	)
	if h := evaluate[string](t, ctx, `document.querySelector(".history").innerText`); !strings.Contains(h, "Oslo") || !strings.Contains(h, "Bergen") {
		t.Fatalf("history: %q", h)
	}
	shoot("memories.png")

	// Graph: a person's neighbourhood drawn on the canvas: Ann Lee wrote
	// to Bob, so Bob is drawn.
	step(t, ctx, "drawing the graph of Ann Lee",
		view("graph"),
		chromedp.WaitVisible(chromedp.CSS(`input.graph-input`)),
		chromedp.SendKeys(chromedp.CSS(`input.graph-input`), "Ann Lee"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".graph-form").requestSubmit()`),
		chromedp.Poll[chromedp.Void](`window.__engramGraph && window.__engramGraph.nodes().length >= 2`),
		chromedp.Poll[chromedp.Void](`window.__engramGraph.nodes().some(n => /Bob|bob@example\.org/.test(n.data("name") ?? ""))`),
		chromedp.Poll[chromedp.Void](`document.querySelector(".graph-canvas canvas") !== null`),
	)
	if n := evaluate[int](t, ctx, `window.__engramGraph.nodes().length`); n < 2 {
		t.Fatalf("graph has %d nodes", n)
	}
	shoot("graph.png")

	step(t, ctx, "showing the settings",
		view("settings"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".settings-datadir")?.textContent === `+jsString(a.DataDir())),
	)
	shoot("settings.png")

	// Workspaces: create "work", switch to it (the status bar says so), a
	// word of the default workspace's notes finds nothing there; switch back
	// and it is found again.
	step(t, ctx, "creating and switching to the work workspace",
		chromedp.SendKeys(chromedp.CSS(`input[placeholder="new workspace"]`), "work"),
		chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll("button")].find(b => b.textContent === "Create").click()`),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-switch-workspace="work"]') !== null`),
		chromedp.Click(chromedp.CSS(`[data-switch-workspace="work"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-current-workspace="work"]') !== null`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.statusbar-item[title="Workspace"]')?.textContent === "work"`),
	)
	step(t, ctx, "searching basil in the work workspace",
		view("search"),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "basil"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".app-main").innerText.includes("No results for")`),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".hit-title").length`); n != 0 {
		t.Fatalf("basil found %d hits in the empty work workspace", n)
	}
	step(t, ctx, "switching back to the default workspace",
		view("settings"),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-switch-workspace=`+jsString(a.DefaultWorkspace())+`]') !== null`),
		chromedp.Click(chromedp.CSS(`[data-switch-workspace=`+jsString(a.DefaultWorkspace())+`]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('.statusbar-item[title="Workspace"]')?.textContent === `+jsString(a.DefaultWorkspace())),
		view("search"),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "basil"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".hit-title").length === 2`),
	)
}

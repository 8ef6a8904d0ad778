package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowserNavigation drives the reader's navigation in a real Chromium:
// a [[wikilink]] opens the linked note (a missing one says so) and the
// note shows its backlinks and links with their lines; every step has a
// URL, so Back returns to the previous note and a reload brings it back;
// the command palette opens a note by name; "/" focuses the search box
// from another view; a graph node clicked shows its details and opens its
// note; an unknown graph name offers what was meant; at 760 px the sidebar
// collapses and nothing overflows. ENGRAM_UPDATE_SCREENSHOTS=1 writes the
// screenshots to docs/screenshots/.
func TestBrowserNavigation(t *testing.T) {
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
	title := func(want string) chromedp.Action[chromedp.Void] {
		return chromedp.Poll[chromedp.Void](`document.querySelector(".reader-title")?.textContent === ` + jsString(want))
	}
	js := func(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }
	// Any 404 the page asks for on load (a favicon, an asset) is a console error.
	step(t, ctx, "opening the app",
		chromedp.Navigate(s.URL(ts.URL)),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('.start [data-latest-id]') !== null`),
	)
	if bad := evaluate[[]string](t, ctx, `performance.getEntriesByType("resource").filter(e => e.responseStatus >= 400).map(e => e.name)`); len(bad) > 0 {
		t.Fatalf("requests that failed on load: %q", bad)
	}
	if icon := evaluate[string](t, ctx, `document.querySelector('link[rel="icon"]')?.href ?? ""`); !strings.HasSuffix(icon, "/favicon.svg") {
		t.Fatalf("favicon link: %q", icon)
	}

	// Garden: its link to Compost, with the line, and the backlink from
	// Reading list, with its line.
	step(t, ctx, "opening Garden",
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "garden"),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".hit-title")].some(e => e.textContent === "Garden")`),
		js(`[...document.querySelectorAll(".hit-title")].find(e => e.textContent === "Garden").click()`),
		title("Garden"),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".reader-links-backlinks")?.innerText ?? "").includes("Reading list")`),
	)
	back := evaluate[string](t, ctx, `document.querySelector(".reader-links-backlinks").innerText`)
	if !strings.Contains(back, "Next: [[Seed catalogue]] and [[Garden|the garden]]") {
		t.Fatalf("backlinks of Garden: %q", back)
	}
	if out := evaluate[string](t, ctx, `document.querySelector(".reader-links-outgoing").innerText`); !strings.Contains(out, "Compost") || !strings.Contains(out, "See [[Compost]]") {
		t.Fatalf("links of Garden: %q", out)
	}
	gardenURL := evaluate[string](t, ctx, `location.hash`)
	if !strings.HasPrefix(gardenURL, "#/search?q=garden&doc=") {
		t.Fatalf("Garden's URL: %q", gardenURL)
	}
	shoot("reader-links.png")

	// The wikilink opens Compost (not a search); Back returns to Garden; a
	// reload keeps it.
	step(t, ctx, "clicking the Compost wikilink",
		chromedp.Poll[chromedp.Void](`document.querySelector('.reader-body a[data-wikilink="Compost"]') !== null`),
		js(`document.querySelector('.reader-body a[data-wikilink="Compost"]').click()`),
		title("Compost"),
	)
	if q := evaluate[string](t, ctx, `document.querySelector("input.searchbox-input").value`); q != "garden" {
		t.Fatalf("the wikilink changed the query to %q", q)
	}
	step(t, ctx, "going back",
		js(`history.back()`),
		title("Garden"),
		chromedp.Poll[chromedp.Void](`location.hash === `+jsString(gardenURL)),
	)
	step(t, ctx, "going forward and back again",
		js(`history.forward()`),
		title("Compost"),
		js(`history.back()`),
		title("Garden"),
	)
	step(t, ctx, "reloading",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		title("Garden"),
		chromedp.Poll[chromedp.Void](`document.querySelector("input.searchbox-input").value === "garden"`),
	)

	// A link to a note nobody imported says so.
	step(t, ctx, "opening Reading list from its backlink, then its missing link",
		chromedp.Poll[chromedp.Void](`document.querySelector('.reader-links-backlinks .reader-link-title') !== null`),
		js(`document.querySelector('.reader-links-backlinks .reader-link-title').click()`),
		title("Reading list"),
		chromedp.Poll[chromedp.Void](`document.querySelector('.reader-body a[data-wikilink="Seed catalogue"]') !== null`),
		js(`document.querySelector('.reader-body a[data-wikilink="Seed catalogue"]').click()`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".reader-link-error")?.textContent ?? "").includes("No note called “Seed catalogue”")`),
	)
	if n := evaluate[int](t, ctx, `document.querySelectorAll('.reader-body a[data-wikilink="cover.png"]').length`); n != 1 {
		t.Fatalf("the embed is drawn %d times", n)
	}
	if out := evaluate[[]string](t, ctx, `[...document.querySelectorAll(".reader-links-outgoing .reader-link-title")].map(e => e.textContent)`); len(out) != 2 || out[0] != "Seed catalogue (not imported)" || out[1] != "Garden" {
		t.Fatalf("the links of Reading list: %q", out)
	}

	// The palette opens a note by name; the recent ones come first.
	step(t, ctx, "opening Kayak trip from the palette",
		chromedp.KeyEvent("k", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.WaitVisible(chromedp.CSS(`input.palette-input`)),
		chromedp.Poll[chromedp.Void](`document.querySelector(".palette-item .palette-label")?.textContent === "Reading list"`),
		chromedp.SendKeys(chromedp.CSS(`input.palette-input`), "kayk"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".palette-item-active .palette-label")?.textContent === "Kayak trip"`),
	)
	shoot("palette.png")
	step(t, ctx, "running the palette's first item",
		chromedp.SendKeys(chromedp.CSS(`input.palette-input`), kb.Enter),
		title("Kayak trip"),
		chromedp.Poll[chromedp.Void](`document.querySelector(".palette") === null`),
	)

	// "/" from another view focuses the search box.
	step(t, ctx, "pressing / in the memories view",
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="memories"]`)),
		chromedp.Poll[chromedp.Void](`location.hash === "#/memories"`),
		js(`document.activeElement.blur()`),
		chromedp.KeyEvent("/"),
		chromedp.Poll[chromedp.Void](`document.activeElement === document.querySelector("input.searchbox-input")`),
	)
	if hint := evaluate[string](t, ctx, `document.querySelector(".searchbox-hint").innerText`); !strings.Contains(hint, "/") {
		t.Fatalf("the search box hints %q, not the / that focuses it", hint)
	}

	// The graph: a URL opens a root; a click selects a node and shows its
	// details; Open opens its note.
	step(t, ctx, "opening the graph of Garden by URL",
		js(`location.hash = "#/graph?root=Garden"`),
		chromedp.Poll[chromedp.Void](`window.__engramGraph && window.__engramGraph.nodes().some(n => n.data("name") === "Compost")`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.graph-legend [data-kind="document"]') !== null`),
	)
	xy := evaluate[[]float64](t, ctx, `(() => {
		const n = window.__engramGraph.nodes().filter(n => n.data("name") === "Compost")[0];
		const p = n.renderedPosition(), r = document.querySelector(".graph-canvas canvas").getBoundingClientRect();
		return [r.left + p.x, r.top + p.y];
	})()`)
	step(t, ctx, "clicking the Compost node",
		chromedp.MouseClickXY(xy[0], xy[1]),
		chromedp.Poll[chromedp.Void](`document.querySelector(".graph-details-name")?.textContent === "Compost"`),
		chromedp.Poll[chromedp.Void](`document.querySelector(".graph-details-kind")?.textContent === "Note or document"`),
	)
	shoot("graph-details.png")
	step(t, ctx, "opening Compost from the graph",
		chromedp.Click(chromedp.CSS(`button.graph-open`)),
		title("Compost"),
	)
	step(t, ctx, "asking the graph for a name nobody has",
		js(`history.back()`),
		chromedp.Poll[chromedp.Void](`location.hash === "#/graph?root=Garden"`),
		chromedp.WaitVisible(chromedp.CSS(`input.graph-input`)),
		js(`(() => { const i = document.querySelector("input.graph-input"); i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.SendKeys(chromedp.CSS(`input.graph-input`), "Gardn"),
		js(`document.querySelector(".graph-form").requestSubmit()`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".graph-error")?.textContent ?? "").includes("No one or nothing called")`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.graph-suggestions [data-suggestion="Garden"]') !== null`),
	)
	if e := evaluate[string](t, ctx, `document.querySelector(".graph-error").textContent`); strings.Contains(e, "500") || strings.Contains(e, "neighbors of") {
		t.Fatalf("graph error: %q", e)
	}

	// 760 px wide: the sidebar keeps its icons, the reader fits, nothing
	// scrolls sideways.
	step(t, ctx, "narrowing the window to 760 px",
		chromedp.EmulateViewport(760, 800),
		js(`location.hash = "#/search?q=kayak"`),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".hit-title")].some(e => e.textContent === "Kayak trip")`),
		js(`[...document.querySelectorAll(".hit-title")].find(e => e.textContent === "Kayak trip").click()`),
		title("Kayak trip"),
	)
	if w := evaluate[float64](t, ctx, `document.querySelector(".sidebar").getBoundingClientRect().width`); w > 80 {
		t.Fatalf("the sidebar is %.0f px wide at 760 px", w)
	}
	if over := evaluate[bool](t, ctx, `document.documentElement.scrollWidth > 760 || document.querySelector(".reader").scrollWidth > document.querySelector(".reader").clientWidth`); over {
		t.Fatal("the page scrolls sideways at 760 px")
	}
	shoot("narrow.png")
}

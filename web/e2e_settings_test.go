package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
)

// TestBrowserSettingsMemoriesImports drives the settings, memories and
// imports views in a real Chromium: the model endpoint for memory
// extraction is saved; a workspace typed as "My Work" is created as
// my-work and deleted after confirming; a dictionary entry is added and
// removed; memories are found by words and filtered by state (a deleted
// one shows only with "deleted" ticked); a past import opens its per-file
// errors; the start page lists the newest documents and the latest import.
func TestBrowserSettingsMemoriesImports(t *testing.T) {
	a := newApp(t)
	u := startUI(t, a)
	s, ts, ctx := u.s, u.ts, u.ctx
	clear := func(sel string) chromedp.Action[chromedp.Void] {
		return js(`(() => { const i = document.querySelector(` + jsString(sel) + `); i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); })()`)
	}
	step(t, ctx, "opening the settings by URL",
		chromedp.Navigate(s.URL(ts.URL)),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		js(`location.hash = "#/settings"`),
		chromedp.Poll[chromedp.Void](`document.querySelector(".settings-datadir")?.textContent === `+jsString(a.DataDir())),
	)
	if wsDir := evaluate[string](t, ctx, `document.querySelector(".settings-wsdir").textContent`); wsDir != filepath.Join(a.DataDir(), "workspaces", a.DefaultWorkspace()) {
		t.Fatalf("workspace folder shown: %q", wsDir)
	}

	step(t, ctx, "saving the model endpoint",
		chromedp.SendKeys(chromedp.CSS(`input.settings-llm-endpoint`), "http://127.0.0.1:11434/v1"),
		chromedp.SendKeys(chromedp.CSS(`input.settings-llm-model`), "llama3.2"),
		chromedp.Click(chromedp.CSS(`button.settings-llm-save`)),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".form-notice")?.textContent ?? "").includes("from the next start")`),
	)
	step(t, ctx, "finding it after a reload",
		chromedp.Reload(),
		chromedp.Poll[chromedp.Void](`document.querySelector("input.settings-llm-endpoint")?.value === "http://127.0.0.1:11434/v1"`),
		chromedp.Poll[chromedp.Void](`document.querySelector("input.settings-llm-model")?.value === "llama3.2"`),
	)

	step(t, ctx, "creating a workspace called My Work",
		chromedp.SendKeys(chromedp.CSS(`input[placeholder="new workspace"]`), "My Work"),
		js(`[...document.querySelectorAll("button")].find(b => b.textContent === "Create").click()`),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-switch-workspace="my-work"]') !== null`),
	)
	step(t, ctx, "deleting it, after confirming",
		chromedp.Click(chromedp.CSS(`[data-delete-workspace="my-work"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-confirm-delete="my-work"]') !== null`),
		chromedp.Click(chromedp.CSS(`[data-confirm-delete="my-work"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-switch-workspace="my-work"]') === null && document.querySelector('[data-delete-workspace="my-work"]') === null`),
	)
	if ws, err := a.Workspaces(); err != nil || len(ws) != 1 {
		t.Fatalf("workspaces after the delete: %v %v", ws, err)
	}

	step(t, ctx, "adding and removing a dictionary entry",
		chromedp.SendKeys(chromedp.CSS(`input[placeholder="term"]`), "zq"),
		chromedp.SendKeys(chromedp.CSS(`input[placeholder="expansions, comma-separated"]`), "zebra quota"),
		js(`[...document.querySelectorAll("button")].find(b => b.textContent === "Add").click()`),
		chromedp.Poll[chromedp.Void](`document.querySelector('.dict-user [data-dict-term="zq"]') !== null`),
		chromedp.Click(chromedp.CSS(`.dict-user [data-dict-term="zq"] button.dict-remove`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-dict-term="zq"]') === null`),
	)
	step(t, ctx, "switching the built-in ceo off",
		js(`document.querySelector("details.dict-builtin").open = true`),
		chromedp.Click(chromedp.CSS(`[data-dict-builtin="ceo"] button.dict-switch`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-dict-builtin="ceo"]')?.classList.contains("dict-off") && document.querySelector('[data-dict-builtin="ceo"] button.dict-switch').textContent === "Switch on"`),
	)
	if es, err := a.DictList(""); err != nil || !dictOff(es, "ceo") {
		t.Fatalf("ceo is not off in the app: %v", err)
	}
	step(t, ctx, "and on again after a reload",
		chromedp.Reload(),
		chromedp.Poll[chromedp.Void](`document.querySelector("details.dict-builtin") !== null`),
		js(`document.querySelector("details.dict-builtin").open = true`),
		chromedp.Poll[chromedp.Void](`document.querySelector('[data-dict-builtin="ceo"]')?.classList.contains("dict-off")`),
		chromedp.Click(chromedp.CSS(`[data-dict-builtin="ceo"] button.dict-switch`)),
		chromedp.Poll[chromedp.Void](`!document.querySelector('[data-dict-builtin="ceo"]').classList.contains("dict-off") && document.querySelector(".dict-user") === null`),
	)
	if es, _ := a.DictList(""); dictOff(es, "ceo") {
		t.Fatal("ceo is still off in the app")
	}

	// Memories: two added, one deleted; the filters find each.
	step(t, ctx, "adding two memories",
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="memories"]`)),
		chromedp.WaitVisible(chromedp.CSS(`textarea.memory-add-text`)),
		chromedp.SendKeys(chromedp.CSS(`textarea.memory-add-text`), "I live in Oslo"),
		chromedp.Click(chromedp.CSS(`button.memory-add-button`)),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".memory-text")].some(e => e.textContent.includes("Oslo"))`),
		chromedp.SendKeys(chromedp.CSS(`textarea.memory-add-text`), "I like herons"),
		chromedp.Click(chromedp.CSS(`button.memory-add-button`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".memory-text").length === 2`),
	)
	step(t, ctx, "finding one by a word",
		chromedp.SendKeys(chromedp.CSS(`input.memory-search`), "heron"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".memory-text").length === 1 && document.querySelector(".memory-text").textContent.includes("herons")`),
		chromedp.Click(chromedp.CSS(`.memory button.memory-delete`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".memory-text").length === 0 && document.querySelector(".memory-none") !== null`),
	)
	step(t, ctx, "showing deleted memories",
		chromedp.Click(chromedp.CSS(`input[data-state="deleted"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".memory-text").length === 1 && document.querySelector(".memory .badge-deleted") !== null`),
		clear("input.memory-search"),
		chromedp.Click(chromedp.CSS(`input[data-state="current"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll(".memory-text").length === 1 && document.querySelector(".memory-text").textContent.includes("herons")`),
	)

	// Imports: a file that cannot be read is listed under its job, later too.
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "broken.pdf"), []byte("%PDF-1.7 this is not a PDF"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Heron.md"), []byte("# Heron\n\nGrey, by the lake.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	step(t, ctx, "importing a folder with a broken file",
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="imports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`input.import-path`)),
		chromedp.SendKeys(chromedp.CSS(`input.import-path`), dir),
		chromedp.Click(chromedp.CSS(`button.import-start`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('.import-progress[data-state="done"]') !== null`),
		chromedp.Poll[chromedp.Void](`(document.querySelector(".progress-state")?.textContent ?? "").startsWith("done")`),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll("table.jobs tbody tr[data-job]").length === 2`),
	)
	step(t, ctx, "opening the past job's errors after a reload",
		chromedp.Reload(),
		chromedp.Poll[chromedp.Void](`document.querySelector("table.jobs button.job-errors-toggle") !== null`),
		chromedp.Click(chromedp.CSS(`table.jobs button.job-errors-toggle`)),
		chromedp.Poll[chromedp.Void](`(document.querySelector("tr.job-errors")?.textContent ?? "").includes("broken.pdf")`),
	)

	// The start page: the newest documents and the latest imports.
	step(t, ctx, "showing the start page",
		chromedp.Click(chromedp.CSS(`.nav-item[data-view="search"]`)),
		chromedp.Poll[chromedp.Void](`document.querySelector('.start [data-latest-id]') !== null`),
		chromedp.Poll[chromedp.Void](`(document.querySelector('.start section[aria-label="Latest imports"]')?.textContent ?? "").includes(`+jsString(filepath.Base(dir))+`)`),
	)
	if txt := evaluate[string](t, ctx, `document.querySelector(".app-main").innerText`); strings.Contains(txt, "Nothing here yet") {
		t.Fatalf("the start page of a full workspace says %q", txt)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "start.png", png)
}

// dictOff reports whether the built-in entry of term is listed as off.
func dictOff(es []app.DictEntry, term string) bool {
	for _, e := range es {
		if e.Term == term && e.Origin == "default" {
			return e.Off
		}
	}
	return false
}

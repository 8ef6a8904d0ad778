package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// chromiumPath finds the browser the end-to-end test drives: $ENGRAM_CHROMIUM,
// else Debian's chromium, else one on $PATH. Nothing here can download one.
func chromiumPath(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("ENGRAM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome): " +
		"run `make deps-desktop` (apt-get install chromium) or set ENGRAM_CHROMIUM")
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile and returns a
// context for one tab. It stops with the test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox, // root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Start the browser on a context without a deadline: a deadline on the
	// first Run would stop the whole browser when it expires.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath(t), err)
	}
	return ctx
}

// step runs actions with a deadline, so a page that never shows what the
// test waits for fails the test instead of hanging it.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func evaluate[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluating %s: %v", js, err)
	}
	return v
}

// TestBrowserSearch drives the real frontend, as built into the binary, in a
// real Chromium against the real server over notes imported into a fresh data
// directory: the token link opens the app and is removed from the address
// bar, typing finds a note, Enter opens it in the reader, a reload works on
// the cookie alone, and a request without the token gets 401.
//
// It saves a screenshot of the reader; ENGRAM_UPDATE_SCREENSHOTS=1 writes it
// to docs/screenshots/web-search.png.
func TestBrowserSearch(t *testing.T) {
	a := newApp(t)
	u := startUI(t, a)
	s, ts := u.s, u.ts

	// Without the token: 401, for a script and for the browser.
	resp, err := http.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET / without token: %d", resp.StatusCode)
	}

	ctx := u.ctx
	nav, err := chromedp.Run(ctx, chromedp.NavigateResponse(ts.URL+"/"))
	if err != nil {
		t.Fatal(err)
	}
	if body := evaluate[string](t, ctx, `document.body.innerText`); nav.Status != 401 || !strings.Contains(body, "?token=") {
		t.Fatalf("page without token: %d %q", nav.Status, body)
	}

	// With the token link engram serve prints.
	step(t, ctx, "opening the token link",
		chromedp.Navigate(s.URL(ts.URL)),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
	)
	if loc := evaluate[string](t, ctx, `location.href`); strings.Contains(loc, "token") {
		t.Fatalf("the token is still in the address bar: %s", loc)
	}
	step(t, ctx, "typing a query and waiting for its hits",
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "kayak"),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".hit-title")].some(e => e.textContent === "Kayak trip")`),
	)
	titles := evaluate[[]string](t, ctx, `[...document.querySelectorAll(".hit-title")].map(e => e.textContent)`)
	if len(titles) != 1 || titles[0] != "Kayak trip" {
		t.Fatalf("hits for kayak: %q", titles)
	}
	step(t, ctx, "opening the hit in the reader",
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), kb.Enter),
		chromedp.Poll[chromedp.Void](`document.querySelector(".reader-title")?.textContent === "Kayak trip"`),
	)
	if snippet := evaluate[string](t, ctx, `document.querySelector(".reader").innerText`); !strings.Contains(snippet, "fjord") {
		t.Fatalf("reader shows %q", snippet)
	}
	// The status bar shows the server's info: /api/info answered too.
	step(t, ctx, "waiting for the status bar",
		chromedp.Poll[chromedp.Void](`document.querySelector(".statusbar-path")?.textContent === `+jsString(a.DataDir())),
	)
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, "web-search.png", shot)

	// A reload has no token in its URL: the cookie alone must do, and the
	// URL brings back the query and the open document.
	step(t, ctx, "reloading on the cookie",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.Poll[chromedp.Void](`document.querySelector("input.searchbox-input").value === "kayak"`),
		chromedp.Poll[chromedp.Void](`document.querySelector(".reader-title")?.textContent === "Kayak trip"`),
		chromedp.Evaluate[chromedp.Void](`(() => { const i = document.querySelector("input.searchbox-input"); i.value = ""; i.dispatchEvent(new Event("input", {bubbles: true})); })()`),
		chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), "budget"),
		chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".hit-title")].some(e => e.textContent === "Budget 2024")`),
	)
}

// saveScreenshot writes png to docs/screenshots/name when
// ENGRAM_UPDATE_SCREENSHOTS=1, else to the test's temporary directory.
func saveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	dir := t.TempDir()
	if os.Getenv("ENGRAM_UPDATE_SCREENSHOTS") == "1" {
		dir = filepath.Join("..", "docs", "screenshots")
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// testWriter sends the server's error log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

var _ io.Writer = testWriter{}

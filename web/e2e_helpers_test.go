package web_test

import (
	"context"
	"errors"
	"log"
	"net/http/httptest"
	"regexp"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/frontend"
	"github.com/engram-app/engram/web"
)

// browserUI is the built frontend served over a container and a headless
// Chromium tab to drive it: the set-up every browser test shares.
type browserUI struct {
	t   *testing.T
	ctx context.Context
	a   *app.App
	s   *web.Server
	ts  *httptest.Server
}

// openBrowserUI serves the built frontend over a on a loopback server and
// starts a browser; both stop with the test (the browser first, so no
// stream is open when the server closes).
func openBrowserUI(t *testing.T, a *app.App) *browserUI {
	t.Helper()
	ui, err := frontend.Dist()
	if errors.Is(err, frontend.ErrNotBuilt) {
		t.Fatal("frontend/dist/index.html is missing: build the frontend first (make frontend)")
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(a, web.Options{UI: ui, ErrorLog: log.New(testWriter{t}, "web: ", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close() // ends event streams and imports before the container closes
		ts.Close()
	})
	return &browserUI{t: t, ctx: newBrowser(t), a: a, s: s, ts: ts}
}

// url is the page's first address, token included.
func (b *browserUI) url() string { return b.s.URL(b.ts.URL) }

// step runs actions with a deadline (see step).
// On failure it logs the page's address and text, which say what the page
// showed instead.
func (b *browserUI) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, actions...)
	if err == nil {
		return
	}
	sctx, scancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer scancel()
	if page, perr := chromedp.Run(sctx, chromedp.Evaluate[string](`location.hash + "\n" + (document.querySelector("main") ?? document.body).innerText.slice(0, 2000)`)); perr == nil {
		b.t.Logf("the page at %s", page)
	}
	b.t.Fatalf("%s: %v", what, err)
}

// js evaluates expr in the page.
func js(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }

// poll waits until expr is true in the page.
func poll(expr string) chromedp.Action[chromedp.Void] { return chromedp.Poll[chromedp.Void](expr) }

// shoot saves a screenshot of the tab (saveScreenshot).
func (b *browserUI) shoot(name string) {
	b.t.Helper()
	png, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatal(err)
	}
	saveScreenshot(b.t, name, png)
}

// matches reports whether s matches the regular expression re.
func matches(s, re string) bool { return regexp.MustCompile(re).MatchString(s) }

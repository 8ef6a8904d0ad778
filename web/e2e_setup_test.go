package web_test

import (
	"context"
	"errors"
	"log"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/frontend"
	"github.com/engram-app/engram/web"
)

// ui is the built frontend served by a real Server over a container, and a
// real Chromium tab to drive it: the set-up every end-to-end test shares.
type ui struct {
	t   *testing.T
	a   *app.App
	s   *web.Server
	ts  *httptest.Server
	ctx context.Context
}

// startUI serves the embedded frontend over a (which the caller owns and
// closes after the test: the server closes first) and starts a browser. It
// fails the test when the frontend was not built.
func startUI(t *testing.T, a *app.App) *ui {
	t.Helper()
	dist, err := frontend.Dist()
	if errors.Is(err, frontend.ErrNotBuilt) {
		t.Fatal("frontend/dist/index.html is missing: build the frontend first " +
			"(make frontend, i.e. cd frontend && npm run build; make test does this before go test)")
	}
	if err != nil {
		t.Fatal(err)
	}
	s, err := web.New(a, web.Options{UI: dist, ErrorLog: log.New(testWriter{t}, "web: ", 0)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		// The server first: it ends event streams, which the test server's
		// Close would wait for; both before the container closes (its
		// cleanup was registered earlier, so runs later).
		s.Close()
		ts.Close()
	})
	return &ui{t: t, a: a, s: s, ts: ts, ctx: newBrowser(t)}
}

// link is the address that opens the app with the token.
func (u *ui) link() string { return u.s.URL(u.ts.URL) }

// shoot saves a screenshot of the tab as name (see saveScreenshot).
func (u *ui) shoot(name string) {
	u.t.Helper()
	png, err := chromedp.Run(u.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		u.t.Fatal(err)
	}
	saveScreenshot(u.t, name, png)
}

// js runs a JavaScript expression in the page.
func js(expr string) chromedp.Action[chromedp.Void] { return chromedp.Evaluate[chromedp.Void](expr) }

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] { return chromedp.Poll[chromedp.Void](expr) }

package bench

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/engram-app/engram/app"
	"github.com/engram-app/engram/web"
)

// chromiumExe is Debian's Chromium, which drives the browser phase.
const chromiumExe = "/usr/bin/chromium"

// browserQueries is how many keystrokes the browser phase times.
const browserQueries = 30

// BrowserResult is keystroke to results painted in a real Chromium.
type BrowserResult struct {
	// Painted is from the keydown of a query's last character to the first
	// animation frame after the result list changed to that query's
	// results, minus Debounce: the time the UI waits on purpose.
	Painted Latency
	// Debounce is the measured wait from the keydown to the search request
	// (the UI's debounce, 120 ms by design), p50 over the same keystrokes.
	Debounce float64
	// Skipped says why the phase did not run ("" when it did).
	Skipped string
}

// kbScript instruments the page: a keydown (capture) starts the clock when
// armed, the first /api/search request after it marks the end of the
// debounce, the answer's arrival arms a MutationObserver, and the first
// animation frame after a DOM change under .app-main marks the paint.
const kbScript = `(() => {
  if (window.__kb) return;
  const kb = window.__kb = {armed: false, t0: 0, tFetch: 0, tResp: 0, tPaint: 0};
  window.addEventListener("keydown", () => { if (kb.armed && kb.t0 === 0) kb.t0 = performance.now(); }, true);
  const of = window.fetch;
  window.fetch = function (input, init) {
    const p = of.call(this, input, init);
    if (kb.armed && kb.t0 > 0 && kb.tFetch === 0 && String(input).includes("/api/search")) {
      kb.tFetch = performance.now();
      p.then(() => { kb.tResp = performance.now(); }, () => { kb.tResp = performance.now(); });
    }
    return p;
  };
  new MutationObserver(() => {
    if (kb.armed && kb.tResp > 0 && kb.tPaint === 0) {
      requestAnimationFrame(() => { if (kb.tPaint === 0) kb.tPaint = performance.now(); });
    }
  }).observe(document.body, {childList: true, subtree: true, characterData: true, attributes: true});
})()`

// browserLoad serves a's default workspace over web on a loopback port,
// opens it in a headless Chromium and times typing the last character of
// queries from src into the search box.
func browserLoad(ctx context.Context, a *app.App, src *querySource, n int) BrowserResult {
	if _, err := os.Stat(chromiumExe); err != nil {
		return BrowserResult{Skipped: "chromium not found"}
	}
	s, err := web.New(a, web.Options{ErrorLog: log.New(ioDiscard{}, "", 0)})
	if err != nil {
		return BrowserResult{Skipped: "web server: " + err.Error()}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return BrowserResult{Skipped: "listening: " + err.Error()}
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { defer close(served); _ = s.Serve(sctx, ln) }()
	defer func() { stop(); <-served }()

	dir, err := os.MkdirTemp("", "engram-bench-chromium-")
	if err != nil {
		return BrowserResult{Skipped: err.Error()}
	}
	defer os.RemoveAll(dir)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumExe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 800))
	defer cancelAlloc()
	bctx, cancelB := chromedp.NewContext(allocCtx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil {
		return BrowserResult{Skipped: "starting chromium: " + err.Error()}
	}
	run := func(d time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
		c, cancel := context.WithTimeout(bctx, d)
		defer cancel()
		return chromedp.Do(c, actions...)
	}
	if err := run(30*time.Second,
		chromedp.Navigate(s.URL("http://"+ln.Addr().String())),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
		chromedp.Evaluate[chromedp.Void](kbScript),
	); err != nil {
		return BrowserResult{Skipped: "opening the UI: " + err.Error()}
	}

	var painted, debounce []float64
	res := BrowserResult{}
	for len(painted)+res.Painted.Errors < n && ctx.Err() == nil {
		q, _ := src.query()
		if len([]rune(q)) < 2 {
			continue
		}
		rs := []rune(q)
		prefix, last := string(rs[:len(rs)-1]), string(rs[len(rs)-1])
		// Type all but the last character and let its search settle.
		setPrefix := fmt.Sprintf(`(() => { window.__kb.armed = false; const i = document.querySelector("input.searchbox-input"); `+
			`Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, "value").set.call(i, %s); i.dispatchEvent(new Event("input", {bubbles: true})); i.focus(); })()`, jsQuote(prefix))
		arm := `(() => { Object.assign(window.__kb, {armed: true, t0: 0, tFetch: 0, tResp: 0, tPaint: 0}); })()`
		err := run(30*time.Second,
			chromedp.Evaluate[chromedp.Void](setPrefix),
			chromedp.Sleep(400*time.Millisecond),
			chromedp.Evaluate[chromedp.Void](arm),
			chromedp.SendKeys(chromedp.CSS(`input.searchbox-input`), last),
			chromedp.Poll[chromedp.Void](`window.__kb.tPaint > 0`),
		)
		if err != nil {
			res.Painted.Errors++
			if res.Painted.FirstError == "" {
				res.Painted.FirstError = fmt.Sprintf("%q: %v", q, err)
			}
			continue
		}
		v, err := chromedp.Run(bctx, chromedp.Evaluate[[]float64](`[window.__kb.t0, window.__kb.tFetch, window.__kb.tPaint]`))
		if err != nil || len(v) != 3 {
			res.Painted.Errors++
			continue
		}
		debounce = append(debounce, v[1]-v[0])
		painted = append(painted, v[2]-v[1])
	}
	errs, first := res.Painted.Errors, res.Painted.FirstError
	res.Painted = summarise(painted)
	res.Painted.N += errs
	res.Painted.Errors, res.Painted.FirstError = errs, first
	if len(debounce) > 0 {
		res.Debounce = summarise(debounce).P50
	}
	if len(painted) == 0 && errs > 0 {
		res.Skipped = "every keystroke failed: " + first
	}
	return res
}

type ioDiscard struct{}

func (ioDiscard) Write(p []byte) (int, error) { return len(p), nil }

func jsQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

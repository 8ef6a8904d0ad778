package bench

import (
	"context"
	"fmt"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"github.com/chromedp/cdproto/input"
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
	// Graph is the graph view at 5,000 nodes, timed after the keystrokes.
	Graph GraphViewResult
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
		return BrowserResult{Skipped: "chromium not found", Graph: GraphViewResult{Skipped: "chromium not found"}}
	}
	bctx, closeUI, err := openUI(ctx, a)
	if err != nil {
		return BrowserResult{Skipped: err.Error()}
	}
	defer closeUI()
	run := func(d time.Duration, actions ...chromedp.Action[chromedp.Void]) error {
		c, cancel := context.WithTimeout(bctx, d)
		defer cancel()
		return chromedp.Do(c, actions...)
	}
	if err := run(5*time.Second, chromedp.Evaluate[chromedp.Void](kbScript)); err != nil {
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
	if ctx.Err() == nil {
		res.Graph = graphView(bctx, graphViewNodes, graphViewEdges)
	} else {
		res.Graph.Skipped = ctx.Err().Error()
	}
	return res
}

// openUI serves a's default workspace over web on a loopback port and opens
// it in a headless Chromium of 1280x800, waiting for the search box. The
// returned context drives that page; closeUI stops the browser and server.
func openUI(ctx context.Context, a *app.App) (bctx context.Context, closeUI func(), err error) {
	s, err := web.New(a, web.Options{ErrorLog: log.New(ioDiscard{}, "", 0)})
	if err != nil {
		return nil, nil, fmt.Errorf("web server: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, nil, fmt.Errorf("listening: %w", err)
	}
	var undo []func()
	closeUI = func() {
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan struct{})
	go func() { defer close(served); _ = s.Serve(sctx, ln) }()
	undo = append(undo, func() { stop(); <-served })

	dir, err := os.MkdirTemp("", "engram-bench-chromium-")
	if err != nil {
		closeUI()
		return nil, nil, err
	}
	undo = append(undo, func() { os.RemoveAll(dir) })
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumExe), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(dir), chromedp.WindowSize(1280, 800))
	undo = append(undo, cancelAlloc)
	bctx, cancelB := chromedp.NewContext(allocCtx)
	undo = append(undo, cancelB)
	if err := chromedp.Do(bctx); err != nil {
		closeUI()
		return nil, nil, fmt.Errorf("starting chromium: %w", err)
	}
	c, cancel := context.WithTimeout(bctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(c,
		chromedp.Navigate(s.URL("http://"+ln.Addr().String())),
		chromedp.WaitVisible(chromedp.CSS(`input.searchbox-input`)),
	); err != nil {
		closeUI()
		return nil, nil, fmt.Errorf("opening the UI: %w", err)
	}
	return bctx, closeUI, nil
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

// Graph view sizes the browser phase draws.
const (
	graphViewNodes = 5000
	graphViewEdges = 10000
	// graphPanMS is how long the pan/zoom is timed.
	graphPanMS = 1000
)

// GraphViewResult is the graph view drawing a synthetic graph in Chromium.
type GraphViewResult struct {
	Nodes, Edges int
	// FirstPaint is from handing the graph to the page to the second
	// animation frame after the view's Cytoscape (which holds the graph
	// and lays it out) has it all (ms).
	FirstPaint float64
	// Frames is the frame time (requestAnimationFrame deltas, ms) while the
	// user pans: the background dragged with the mouse for a second.
	Frames Latency
	// APIFrames is the frame time while the viewport is panned and zoomed
	// through the Cytoscape API (cy.panBy, cy.zoom) for a second: the zoom
	// changes every frame, so every frame paints the whole view, which a
	// drag avoids (the view copies a layer painted while it was idle).
	APIFrames Latency
	Skipped   string
}

// graphScript builds a deterministic graph of %d nodes and %d edges, hands it
// to the page's window.__engramLoadGraph, and measures first paint and the
// frame times of a %d ms programmatic pan and zoom.
const graphScript = `(async () => {
  const N = %d, E = %d, PAN = %d;
  let seed = 42; // mulberry32: exact in 32-bit integer arithmetic
  const rnd = () => {
    seed = (seed + 0x6D2B79F5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const kinds = ["person", "document", "topic", "emotion", "place"];
  const nodes = [], edges = [], seen = new Set();
  for (let i = 0; i < N; i++) nodes.push({id: "n" + i, name: "Node " + i, kind: kinds[i %% kinds.length]});
  while (edges.length < E) {
    const s = Math.floor(rnd() * N), t = Math.floor(rnd() * N), id = s + "|r|" + t;
    if (s === t || seen.has(id)) continue;
    seen.add(id);
    edges.push({id, source: "n" + s, target: "n" + t, label: "r"});
  }
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const t0 = performance.now();
  window.__engramLoadGraph({nodes, edges});
  for (;;) {
    const cy = window.__engramGraph;
    if (cy && !cy.destroyed() && cy.nodes().length === N && cy.edges().length === E) break;
    if (performance.now() - t0 > 60000) throw new Error("the graph view did not draw the graph");
    await frame();
  }
  await frame();
  await frame();
  const firstPaint = performance.now() - t0;
  const cy = window.__engramGraph;
  const deltas = [];
  let last = await frame();
  const start = last;
  let i = 0;
  while (last - start < PAN) {
    i++;
    cy.panBy({x: 7, y: 4});
    if (i %% 20 < 10) cy.zoom({level: cy.zoom() * 1.02, renderedPosition: {x: 640, y: 400}});
    else cy.zoom({level: cy.zoom() / 1.02, renderedPosition: {x: 640, y: 400}});
    const t = await frame();
    deltas.push(t - last);
    last = t;
  }
  return [firstPaint, cy.nodes().length, cy.edges().length, ...deltas];
})()`

// GraphView measures only the graph view: it opens an empty workspace in a
// temporary folder, serves it to a headless Chromium and draws a synthetic
// graph of nodes and edges there (engram-bench graphview). It returns an
// error when the page cannot be opened; a measurement that could not be
// taken is in the result's Skipped.
func GraphView(ctx context.Context, nodes, edges int) (GraphViewResult, error) {
	if _, err := os.Stat(chromiumExe); err != nil {
		return GraphViewResult{}, fmt.Errorf("%s not found", chromiumExe)
	}
	dir, err := os.MkdirTemp("", "engram-bench-graphview-")
	if err != nil {
		return GraphViewResult{}, err
	}
	defer os.RemoveAll(dir)
	a, err := app.New(app.Config{DataDir: dir})
	if err != nil {
		return GraphViewResult{}, fmt.Errorf("opening a workspace: %w", err)
	}
	defer a.Close()
	bctx, closeUI, err := openUI(ctx, a)
	if err != nil {
		return GraphViewResult{}, err
	}
	defer closeUI()
	return graphView(bctx, nodes, edges), nil
}

// graphView opens the graph view of the page bctx shows with a synthetic
// graph and times it.
func graphView(bctx context.Context, nodes, edges int) GraphViewResult {
	c, cancel := context.WithTimeout(bctx, 120*time.Second)
	defer cancel()
	script := fmt.Sprintf(graphScript, nodes, edges, graphPanMS)
	v, err := chromedp.Run(c, chromedp.Evaluate[[]float64](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return GraphViewResult{Skipped: "graph view: " + err.Error()}
	}
	if len(v) < 4 {
		return GraphViewResult{Skipped: "graph view: no frames measured"}
	}
	res := GraphViewResult{FirstPaint: v[0], Nodes: int(v[1]), Edges: int(v[2]), APIFrames: summarise(v[3:])}
	drag, err := graphDrag(c)
	if err != nil {
		res.Skipped = "graph view, dragging: " + err.Error()
		return res
	}
	res.Frames = summarise(drag)
	return res
}

// frameRecorder records requestAnimationFrame deltas until __fr.stop.
const frameRecorder = `(() => {
  const cy = window.__engramGraph, x0 = cy.pan().x;
  const fr = window.__fr = {deltas: [], stop: false, moved: 0};
  let last = 0;
  const tick = (t) => {
    if (last > 0) fr.deltas.push(t - last);
    last = t;
    fr.moved = Math.max(fr.moved, Math.abs(cy.pan().x - x0));
    if (!fr.stop) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})()`

// graphDrag pans the graph view as a user does, dragging the background
// with the mouse (input events through the DevTools protocol) for about
// graphPanMS, and returns the frame times recorded meanwhile.
func graphDrag(ctx context.Context) ([]float64, error) {
	box, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`(() => { const r = document.querySelector(".graph-canvas").getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })()`))
	if err != nil || len(box) != 4 {
		return nil, fmt.Errorf("finding the canvas: %v", err)
	}
	// The layout leaves a padding of 30 px: a press there is on the
	// background, so the drag pans instead of moving a node.
	x, y := box[0]+8, box[1]+8
	acts := []chromedp.Action[chromedp.Void]{
		chromedp.Evaluate[chromedp.Void](frameRecorder),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft),
	}
	steps := graphPanMS / 16
	for i := 1; i <= steps; i++ {
		// Out and back, so the graph stays in view.
		d := float64(i)
		if i > steps/2 {
			d = float64(steps - i)
		}
		acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x+6*d, y+4*d, chromedp.ButtonLeft), chromedp.Sleep(16*time.Millisecond))
	}
	acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft),
		chromedp.Evaluate[chromedp.Void](`window.__fr.stop = true`))
	if err := chromedp.Do(ctx, acts...); err != nil {
		return nil, err
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](`[window.__fr.moved, ...window.__fr.deltas]`))
	if err != nil {
		return nil, err
	}
	if len(v) < 2 {
		return nil, fmt.Errorf("no frames while dragging")
	}
	if v[0] < 50 {
		return nil, fmt.Errorf("the drag did not pan the graph (moved %.0f px)", v[0])
	}
	return v[1:], nil
}

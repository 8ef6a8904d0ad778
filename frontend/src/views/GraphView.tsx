import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { useStores } from "../stores/context";
import {
  CLICK_SLOP,
  MAX_ZOOM,
  MIN_ZOOM,
  NODE_SIZE,
  type Scene,
  SceneLayer,
  type View,
  type Viewport,
  buildScene,
  fitViewport,
  nodeAt,
  readTheme,
} from "../components/graph/scene";

/**
 * GraphView draws an entity's neighbourhood; clicking a node adds its own
 * neighbours. Cytoscape.js holds the graph and lays it out (headless); the
 * view paints it on its own canvas (paintScene, SceneLayer), which stays interactive at
 * thousands of nodes where Cytoscape's renderer redraws for hundreds of ms.
 */
export function GraphView() {
  const { graph: g } = useStores();
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const scene = useRef<Scene | null>(null);
  const redraw = useRef<() => void>(() => {});
  const [q, setQ] = useState(g.query.value);

  useEffect(() => {
    const el = canvas.current;
    const wrap = box.current;
    const ctx = el?.getContext("2d", { alpha: false });
    if (!el || !wrap || !ctx) return;
    const c = cytoscape({
      headless: true,
      styleEnabled: true,
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      // Layouts read node sizes from the style.
      style: [{ selector: "node", style: { width: NODE_SIZE, height: NODE_SIZE } }],
    });
    let theme = readTheme();
    let width = 0;
    let height = 0;
    let dpr = 1;
    let frame = 0;
    const viewport = (): Viewport => ({ zoom: c.zoom(), panX: c.pan().x, panY: c.pan().y, width, height });
    const view = (): View | null => (scene.current ? { s: scene.current, vp: viewport(), dpr, th: theme } : null);
    const layer = new SceneLayer(view, () => request());
    const draw = () => {
      frame = 0;
      const v = view();
      if (v) {
        layer.draw(ctx, v);
      } else {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.fillStyle = theme.background;
        ctx.fillRect(0, 0, el.width, el.height);
      }
    };
    const request = () => {
      if (frame === 0) frame = requestAnimationFrame(draw);
    };
    redraw.current = request;
    const resize = () => {
      const r = wrap.getBoundingClientRect();
      dpr = Math.min(window.devicePixelRatio || 1, 2);
      width = r.width;
      height = r.height;
      el.width = Math.round(width * dpr);
      el.height = Math.round(height * dpr);
      el.style.width = `${width}px`;
      el.style.height = `${height}px`;
      request();
    };
    resize();
    const ro = new ResizeObserver(resize);
    ro.observe(wrap);
    const dark = window.matchMedia("(prefers-color-scheme: dark)");
    const retheme = () => {
      theme = readTheme();
      request();
    };
    dark.addEventListener("change", retheme);
    c.on("viewport", request);

    // A press on a node and a release without moving expands it; a press
    // anywhere and a move pans.
    let press: { x: number; y: number; panX: number; panY: number; node: number; moved: boolean } | null = null;
    const cursor = (v: string) => {
      if (el.style.cursor !== v) el.style.cursor = v;
    };
    const local = (e: MouseEvent) => {
      const r = el.getBoundingClientRect();
      return [e.clientX - r.left, e.clientY - r.top];
    };
    const down = (e: PointerEvent) => {
      if (e.button !== 0) return;
      const [px, py] = local(e);
      const s = scene.current;
      press = { x: px, y: py, panX: c.pan().x, panY: c.pan().y, node: s ? nodeAt(s, viewport(), px, py) : -1, moved: false };
      el.setPointerCapture(e.pointerId);
    };
    const move = (e: PointerEvent) => {
      const [px, py] = local(e);
      if (!press) {
        const s = scene.current;
        cursor(s && nodeAt(s, viewport(), px, py) >= 0 ? "pointer" : "");
        return;
      }
      const dx = px - press.x;
      const dy = py - press.y;
      if (!press.moved && dx * dx + dy * dy < CLICK_SLOP * CLICK_SLOP) return;
      press.moved = true;
      cursor("grabbing");
      c.pan({ x: press.panX + dx, y: press.panY + dy });
    };
    const up = (e: PointerEvent) => {
      const p = press;
      press = null;
      if (el.hasPointerCapture(e.pointerId)) el.releasePointerCapture(e.pointerId);
      cursor("");
      const s = scene.current;
      if (p && !p.moved && p.node >= 0 && s) void g.expand(s.names[p.node], s.ids[p.node]);
    };
    const cancel = () => {
      press = null;
    };
    const wheel = (e: WheelEvent) => {
      e.preventDefault();
      const [px, py] = local(e);
      const lines = e.deltaMode === WheelEvent.DOM_DELTA_LINE ? 33 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? height : 1;
      c.zoom({ level: c.zoom() * Math.pow(10, (-e.deltaY * lines * 0.3) / 250), renderedPosition: { x: px, y: py } });
    };
    el.addEventListener("pointerdown", down);
    el.addEventListener("pointermove", move);
    el.addEventListener("pointerup", up);
    el.addEventListener("pointercancel", cancel);
    el.addEventListener("wheel", wheel, { passive: false });

    cy.current = c;
    (window as unknown as { __engramGraph?: cytoscape.Core }).__engramGraph = c;
    return () => {
      if (frame !== 0) cancelAnimationFrame(frame);
      ro.disconnect();
      dark.removeEventListener("change", retheme);
      el.removeEventListener("pointerdown", down);
      el.removeEventListener("pointermove", move);
      el.removeEventListener("pointerup", up);
      el.removeEventListener("pointercancel", cancel);
      el.removeEventListener("wheel", wheel);
      redraw.current = () => {};
      scene.current = null;
      layer.release();
      c.destroy();
      cy.current = null;
    };
  }, [g]);

  const nodes = g.nodes.value;
  const edges = g.edges.value;
  const root = g.root.value;
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    // What the store no longer holds goes (a new graph replaced it).
    const want = new Set(nodes.map((n) => n.id));
    const wantEdges = new Set(edges.map((e) => e.id));
    c.batch(() => {
      c.edges()
        .filter((e) => !wantEdges.has(e.id()))
        .remove();
      c.nodes()
        .filter((n) => !want.has(n.id()))
        .remove();
    });
    const have = new Set(c.nodes().map((n) => n.id()));
    const added = c.add([
      ...nodes.filter((n) => !have.has(n.id)).map((n) => ({ group: "nodes" as const, data: { ...n } })),
      ...edges.filter((e) => c.getElementById(e.id).empty()).map((e) => ({ group: "edges" as const, data: { ...e } })),
    ]);
    const r = box.current?.getBoundingClientRect();
    const w = r?.width ?? 0;
    const h = r?.height ?? 0;
    if (added.length > 0 && nodes.length > 0) {
      c.layout({
        name: nodes.length > 300 ? "grid" : "cose",
        animate: false,
        fit: false,
        boundingBox: { x1: 0, y1: 0, w: Math.max(w, 1), h: Math.max(h, 1) },
      } as cytoscape.LayoutOptions).run();
    }
    const s = buildScene(
      c.nodes().map((n) => ({ id: n.id(), name: String(n.data("name") ?? ""), kind: String(n.data("kind") ?? ""), ...n.position() })),
      c.edges().map((e) => ({
        source: e.data("source") as string,
        target: e.data("target") as string,
        count: e.data("count") as number | undefined,
      })),
      root?.id ?? null,
    );
    scene.current = s.x.length > 0 ? s : null;
    if (added.length > 0) c.viewport(fitViewport(s, w, h));
    redraw.current();
  }, [nodes, edges, root]);

  return (
    <div class="view view-graph">
      <header class="view-head">
        <h1 class="view-title">Graph</h1>
        <form
          class="row graph-form"
          onSubmit={(e) => {
            e.preventDefault();
            void g.open(q.trim());
          }}
        >
          <input
            class="input graph-input"
            placeholder="A person, a note's title or a tag"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="button button-primary" disabled={q.trim() === ""}>
            Show
          </button>
        </form>
        <span class="state-quiet graph-count">
          {nodes.length > 0 && `${nodes.length} nodes · ${edges.length} edges · click a node to expand`}
        </span>
      </header>
      {g.error.value && <p class="form-error">{g.error.value}</p>}
      <div class="graph-wrap">
        <div class="graph-canvas" ref={box}>
          <canvas ref={canvas} />
        </div>
        {nodes.length === 0 && !g.loading.value && (
          <div class="graph-empty">
            <EmptyState title="Explore how things connect">
              <p>Type the name of a person, a note or a tag above to see what is linked to it.</p>
            </EmptyState>
          </div>
        )}
      </div>
    </div>
  );
}

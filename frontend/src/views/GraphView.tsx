import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { SourceBadge } from "../components/search/SourceBadge";
import { formatDate } from "../lib/format";
import { openDocument } from "../stores/actions";
import { useStores } from "../stores/context";
import type { GraphNode } from "../stores/graph";
import {
  CLICK_SLOP,
  KIND_LABELS,
  MAX_ZOOM,
  MIN_ZOOM,
  NODE_SIZE,
  type Scene,
  SceneLayer,
  type View,
  type Viewport,
  buildScene,
  fitViewport,
  kindStyle,
  nodeAt,
  readTheme,
  shapePath,
} from "../components/graph/scene";

/** SUGGEST_DEBOUNCE_MS is how long typing in the root box pauses before names are suggested. */
const SUGGEST_DEBOUNCE_MS = 120;
/** SEED_SPREAD is how far (graph units) from the node it came from a new node is first placed. */
const SEED_SPREAD = 90;

/** hash32 is a small stable hash (FNV-1a) of s, for placing nodes the same way on every run. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** seedPosition places a new node by its ID around the node it was reached from, the same for the same graph. */
function seedPosition(id: string, around: { x: number; y: number }): { x: number; y: number } {
  const h = hash32(id);
  const a = ((h & 0xffff) / 0x10000) * 2 * Math.PI;
  const r = SEED_SPREAD * (0.5 + (h >>> 16) / 0x20000);
  return { x: around.x + r * Math.cos(a), y: around.y + r * Math.sin(a) };
}

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
  const selIndex = useRef(-1);
  const { nav, search, api } = useStores();
  const [names, setNames] = useState<string[]>([]);
  // The root box completes names as they are typed.
  useEffect(() => {
    const typed = q.trim();
    if (typed === "" || typed === g.query.value) {
      setNames([]);
      return;
    }
    let live = true;
    const t = setTimeout(() => {
      void api.suggest(typed, 10).then(
        (es) => live && setNames(es.map((e) => e.name)),
        () => undefined,
      );
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [q, api, g]);
  // A root opened elsewhere (Back, the palette) shows in the box.
  const asked = g.query.value;
  useEffect(() => setQ(asked), [asked]);

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
        // The selected node's ring, over the (cached) picture.
        const i = selIndex.current;
        if (i >= 0 && i < v.s.x.length) {
          const x = v.s.x[i]! * v.vp.zoom + v.vp.panX;
          const y = v.s.y[i]! * v.vp.zoom + v.vp.panY;
          ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
          ctx.beginPath();
          ctx.arc(x, y, Math.max((NODE_SIZE / 2 + 5) * v.vp.zoom, 7), 0, 2 * Math.PI);
          ctx.lineWidth = 2.5;
          ctx.strokeStyle = theme.text;
          ctx.stroke();
        }
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
      if (p && !p.moved && s) void g.select(p.node >= 0 ? s.ids[p.node]! : null);
    };
    const dbl = (e: MouseEvent) => {
      const s = scene.current;
      if (!s) return;
      const [px, py] = local(e);
      const i = nodeAt(s, viewport(), px, py);
      if (i >= 0) void g.expand(s.names[i]!, s.ids[i]!);
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
    el.addEventListener("dblclick", dbl);

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
      el.removeEventListener("dblclick", dbl);
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
  const pinned = g.pinned.value;
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
    // New nodes start next to the node they were reached from, at a place
    // their ID decides: the same data is laid out the same way every time.
    const pos = (n: GraphNode) => {
      const from = n.via ? c.getElementById(n.via) : null;
      return seedPosition(n.id, from && from.nonempty() ? from.position() : { x: 0, y: 0 });
    };
    const added = c.add([
      ...nodes.filter((n) => !have.has(n.id)).map((n) => ({ group: "nodes" as const, data: { ...n }, position: pos(n) })),
      ...edges.filter((e) => c.getElementById(e.id).empty()).map((e) => ({ group: "edges" as const, data: { ...e } })),
    ]);
    const r = box.current?.getBoundingClientRect();
    const w = r?.width ?? 0;
    const h = r?.height ?? 0;
    c.nodes().forEach((n) => {
      if (pinned.has(n.id())) n.lock();
      else n.unlock();
    });
    if (added.length > 0 && nodes.length > 0) {
      c.layout({
        name: nodes.length > 300 ? "grid" : "cose",
        animate: false,
        fit: false,
        randomize: false,
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
  }, [nodes, edges, root, pinned]);

  const selected = g.selected.value;
  useEffect(() => {
    selIndex.current = selected && scene.current ? scene.current.ids.indexOf(selected) : -1;
    redraw.current();
  }, [selected, nodes, edges]);

  const sel = selected ? nodes.find((n) => n.id === selected) : undefined;
  const kinds = new Set(nodes.map((n) => n.kind));
  const openDoc = (n: GraphNode) => {
    const id = n.id.slice("document:".length);
    // A placeholder note opens once resolved (it may have been imported
    // since), and the view changes after it: one step in the history.
    if (id.startsWith("note:")) void search.openLink(n.name).then(() => nav.go("search"));
    else openDocument(nav, search, id, n.name, "");
  };
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
            list="graph-names"
            autoComplete="off"
            value={q}
            onInput={(e) => setQ((e.target as HTMLInputElement).value)}
          />
          <datalist id="graph-names">
            {names.map((n) => (
              <option key={n} value={n} />
            ))}
          </datalist>
          <button type="submit" class="button button-primary" disabled={q.trim() === ""}>
            Show
          </button>
        </form>
        <span class="state-quiet graph-count">
          {nodes.length > 0 && `${nodes.length} nodes · ${edges.length} edges · click to select, double-click to expand`}
        </span>
      </header>
      {g.error.value && (
        <div class="form-error graph-error" role="alert">
          <p>{g.error.value.replace(/; did you mean .*$/, ".").replace(/^no one/, "No one")}</p>
          {g.suggestions.value.length > 0 && (
            <p class="graph-suggestions">
              Did you mean{" "}
              {g.suggestions.value.map((s) => (
                <button type="button" key={s.id} class="tag" data-suggestion={s.name} onClick={() => void g.open(s.name)}>
                  {s.name}
                </button>
              ))}
              ?
            </p>
          )}
        </div>
      )}
      <div class="graph-wrap">
        <div class="graph-canvas" ref={box}>
          <canvas ref={canvas} />
        </div>
        {nodes.length > 0 && (
          <ul class="graph-legend" aria-label="Legend">
            {KIND_LABELS.filter(([k]) => kinds.has(k)).map(([k, label]) => (
              <li key={k} data-kind={k}>
                <KindIcon kind={k} /> {label}
              </li>
            ))}
          </ul>
        )}
        {sel && (
          <aside class="graph-details" aria-label="Selected">
            <header class="graph-details-head">
              <KindIcon kind={sel.kind} />
              <h2 class="graph-details-name">{sel.name || sel.id}</h2>
              <button type="button" class="button button-ghost" title="Close" onClick={() => void g.select(null)}>
                ✕
              </button>
            </header>
            <dl class="reader-meta graph-details-meta">
              <dt>Kind</dt>
              <dd class="graph-details-kind">{KIND_LABELS.find(([k]) => k === sel.kind)?.[1] ?? sel.kind}</dd>
              {(sel.aliases ?? []).filter((a) => a !== sel.name).length > 0 && (
                <>
                  <dt>Also</dt>
                  <dd>{(sel.aliases ?? []).filter((a) => a !== sel.name).join(", ")}</dd>
                </>
              )}
              <dt>Ties</dt>
              <dd>
                {edges
                  .filter((e) => e.source === sel.id || e.target === sel.id)
                  .slice(0, 8)
                  .map((e) => {
                    const other = nodes.find((n) => n.id === (e.source === sel.id ? e.target : e.source));
                    return (
                      <div key={e.id} class="graph-tie">
                        {e.source === sel.id
                          ? `→ ${e.label.toLowerCase().replace(/_/g, " ")} ${other?.name ?? "?"}`
                          : `← ${other?.name ?? "?"} ${e.label.toLowerCase().replace(/_/g, " ")} it`}
                        {e.count > 1 ? ` (${e.count})` : ""}
                      </div>
                    );
                  })}
              </dd>
            </dl>
            <div class="row graph-details-actions">
              {sel.kind === "document" && (
                <button type="button" class="button button-primary graph-open" onClick={() => openDoc(sel)}>
                  Open
                </button>
              )}
              <button type="button" class="button graph-expand" onClick={() => void g.expand(sel.name, sel.id)}>
                Expand
              </button>
              <button type="button" class="button graph-pin" aria-pressed={pinned.has(sel.id)} onClick={() => g.togglePin(sel.id)}>
                {pinned.has(sel.id) ? "Unpin" : "Pin"}
              </button>
              <button type="button" class="button button-ghost" onClick={() => void g.open(sel.name)}>
                Make root
              </button>
            </div>
            {g.detailDocs.value !== null && g.detailDocs.value.length > 0 && (
              <>
                <h3 class="reader-links-title">Documents</h3>
                <ul class="graph-docs">
                  {g.detailDocs.value.map((d) => (
                    <li key={d.id}>
                      <button
                        type="button"
                        class="start-item graph-doc"
                        data-doc-id={d.id}
                        onClick={() => openDocument(nav, search, d.id, d.title, d.source)}
                      >
                        <SourceBadge source={d.source} /> <span class="start-title">{d.title || d.path || "Untitled"}</span>
                        <span class="start-date">{formatDate(d.date)}</span>
                      </button>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </aside>
        )}
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

/** KindIcon is a kind's colour and shape, as the graph draws it. */
function KindIcon({ kind }: { kind: string }) {
  const { color, shape } = kindStyle(kind);
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext("2d");
    if (!ctx) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, 14, 14);
    ctx.beginPath();
    shapePath(ctx, shape, 7, 7, 5);
    ctx.fillStyle = color;
    ctx.fill();
  }, [color, shape]);
  const dpr = typeof window === "undefined" ? 1 : Math.min(window.devicePixelRatio || 1, 2);
  return <canvas ref={ref} class="kind-icon" width={14 * dpr} height={14 * dpr} style={{ width: "14px", height: "14px" }} aria-hidden="true" />;
}

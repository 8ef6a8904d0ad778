/**
 * The graph view's renderer: the graph flattened into a Scene and painted on
 * a 2D canvas in a few batched paths. Cytoscape.js's own renderer redraws
 * every element, its pan texture included, in 200 ms to 1 s frames at
 * 5,000 nodes without a GPU; this one pans a cached picture (SceneLayer) and
 * repaints it in slices between frames. Cytoscape still holds the graph and
 * lays it out (see GraphView).
 */
const COLORS: Record<string, string> = {
  person: "#4f7cff",
  organisation: "#0ea5e9",
  document: "#22a06b",
  topic: "#e5a50a",
  emotion: "#e5484d",
  place: "#9b59b6",
  memory: "#d946ef",
  event: "#f97316",
};

/** Shape is how a kind of node is drawn, besides its colour (for those who cannot tell the colours apart). */
export type Shape = "circle" | "square" | "diamond" | "triangle" | "hexagon";

const SHAPES: Record<string, Shape> = {
  person: "circle",
  organisation: "hexagon",
  document: "square",
  topic: "diamond",
  emotion: "triangle",
  place: "triangle",
  memory: "hexagon",
  event: "diamond",
};

/** KIND_LABELS name the kinds in the legend, in its order. */
export const KIND_LABELS: [kind: string, label: string][] = [
  ["person", "Person"],
  ["document", "Note or document"],
  ["topic", "Tag"],
  ["place", "Place"],
  ["organisation", "Organisation"],
  ["emotion", "Emotion"],
  ["event", "Event"],
  ["memory", "Memory"],
];

/** kindStyle is the colour and shape a node of kind is drawn in. */
export function kindStyle(kind: string): { color: string; shape: Shape } {
  return { color: COLORS[kind] ?? OTHER_COLOR, shape: SHAPES[kind] ?? "circle" };
}

const OTHER_COLOR = "#8a8f98";

// Sizes in graph units: on screen they are multiplied by the zoom.
export const NODE_SIZE = 16;
const ROOT_SIZE = 26;
const FONT_SIZE = 10;
const LABEL_GAP = 4;
/** MIN_LABEL_PX is the smallest label drawn, in CSS px: smaller ones cannot be read. */
const MIN_LABEL_PX = 7;
/** MAX_LABELS bounds the labels drawn in one frame (text is the dearest thing to draw). */
const MAX_LABELS = 1500;
/** LABEL_CELL is the bucket size (CSS px) of the search for overlapping labels. */
const LABEL_CELL = 64;
export const MIN_ZOOM = 0.05;
export const MAX_ZOOM = 1.6;
/** A press that moves less than this (CSS px) before its release is a click. */
export const CLICK_SLOP = 4;
const FIT_PADDING = 30;

/**
 * Scene is the graph as drawn: flat arrays, so that a frame of thousands of
 * nodes and edges is a few loops and a handful of canvas calls.
 */
export interface Scene {
  ids: string[];
  names: string[];
  x: Float64Array;
  y: Float64Array;
  /** groups holds the node indexes of each kind's colour and shape, the root left out. */
  groups: { color: string; shape: Shape; nodes: Int32Array }[];
  /** root is the index of the highlighted node, -1 when none. */
  root: number;
  rootColor: string;
  rootShape: Shape;
  /**
   * src and dst are the node indexes of each edge's ends, the thin edges
   * first: edges [weightStart[k], weightStart[k+1]) are drawn EDGE_WIDTHS[k] px wide.
   */
  src: Int32Array;
  dst: Int32Array;
  weightStart: number[];
  /** labelWidths caches the labels' widths at FONT_SIZE in a font (paintScene measures them once). */
  labelWidths?: { font: string; widths: Float32Array };
}

/** Viewport is the zoom, the pan (CSS px) and the size (CSS px) of the canvas. */
export interface Viewport {
  zoom: number;
  panX: number;
  panY: number;
  width: number;
  height: number;
}

/** Theme is the colours and font the canvas paints with, from the CSS variables. */
export interface Theme {
  background: string;
  text: string;
  edge: string;
  font: string;
}

/** EDGE_WIDTHS are the widths (CSS px) of an edge of 1, 2-4 and 5 or more contributions. */
export const EDGE_WIDTHS = [1, 1.75, 2.75];

/** weightClass is the index in EDGE_WIDTHS of an edge of count contributions. */
export function weightClass(count: number | undefined): number {
  if (count === undefined || count < 2) return 0;
  return count < 5 ? 1 : 2;
}

/** buildScene flattens nodes (with their laid-out positions) and edges. */
export function buildScene(
  nodes: { id: string; name: string; kind: string; x: number; y: number }[],
  edges: { source: string; target: string; count?: number }[],
  rootID: string | null,
): Scene {
  const n = nodes.length;
  const index = new Map<string, number>();
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const byColor = new Map<string, { shape: Shape; idx: number[] }>();
  let root = -1;
  nodes.forEach((nd, i) => {
    index.set(nd.id, i);
    x[i] = nd.x;
    y[i] = nd.y;
    if (nd.id === rootID) {
      root = i;
      return;
    }
    const st = kindStyle(nd.kind);
    const key = `${st.color}|${st.shape}`;
    let g = byColor.get(key);
    if (!g) byColor.set(key, (g = { shape: st.shape, idx: [] }));
    g.idx.push(i);
  });
  const byWeight: [number[], number[]][] = EDGE_WIDTHS.map(() => [[], []]);
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined) continue;
    const [ws, wd] = byWeight[weightClass(e.count)];
    ws.push(s);
    wd.push(t);
  }
  const src = byWeight.flatMap(([ws]) => ws);
  const dst = byWeight.flatMap(([, wd]) => wd);
  const weightStart = [0];
  for (const [ws] of byWeight) weightStart.push(weightStart[weightStart.length - 1] + ws.length);
  return {
    ids: nodes.map((nd) => nd.id),
    names: nodes.map((nd) => nd.name),
    x,
    y,
    groups: [...byColor].map(([key, g]) => ({ color: key.slice(0, key.indexOf("|")), shape: g.shape, nodes: Int32Array.from(g.idx) })),
    root,
    rootColor: root >= 0 ? kindStyle(nodes[root]!.kind).color : OTHER_COLOR,
    rootShape: root >= 0 ? kindStyle(nodes[root]!.kind).shape : "circle",
    src: Int32Array.from(src),
    dst: Int32Array.from(dst),
    weightStart,
  };
}

/**
 * nodeAt returns the index of the node drawn under the point (CSS px from the
 * canvas's top left), or -1. Tiny nodes (zoomed out) still take a click a few
 * pixels wide; the root, drawn on top, wins.
 */
export function nodeAt(s: Scene, vp: Viewport, px: number, py: number): number {
  const z = vp.zoom;
  const gx = (px - vp.panX) / z;
  const gy = (py - vp.panY) / z;
  if (s.root >= 0) {
    const r = Math.max((ROOT_SIZE / 2) * z, 4) / z;
    const dx = s.x[s.root] - gx;
    const dy = s.y[s.root] - gy;
    if (dx * dx + dy * dy <= r * r) return s.root;
  }
  const r = Math.max((NODE_SIZE / 2) * z, 4) / z;
  let best = -1;
  let bestD = r * r;
  for (let i = 0; i < s.x.length; i++) {
    const dx = s.x[i] - gx;
    const dy = s.y[i] - gy;
    const d = dx * dx + dy * dy;
    if (d <= bestD) {
      best = i;
      bestD = d;
    }
  }
  return best;
}

/** fitViewport returns the zoom and pan that show the whole scene in width × height. */
export function fitViewport(s: Scene, width: number, height: number): { zoom: number; pan: { x: number; y: number } } {
  if (s.x.length === 0 || width <= 0 || height <= 0) return { zoom: 1, pan: { x: width / 2, y: height / 2 } };
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (let i = 0; i < s.x.length; i++) {
    x1 = Math.min(x1, s.x[i]);
    x2 = Math.max(x2, s.x[i]);
    y1 = Math.min(y1, s.y[i]);
    y2 = Math.max(y2, s.y[i]);
  }
  const m = ROOT_SIZE / 2;
  x1 -= m;
  y1 -= m;
  x2 += m;
  y2 += m + LABEL_GAP + FONT_SIZE;
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.min((width - 2 * FIT_PADDING) / (x2 - x1), (height - 2 * FIT_PADDING) / (y2 - y1))));
  return { zoom, pan: { x: width / 2 - ((x1 + x2) / 2) * zoom, y: height / 2 - ((y1 + y2) / 2) * zoom } };
}

/**
 * paintScene paints what of s falls in the rectangle [0, w] × [0, h] of ctx
 * (in ctx's units), the graph placed at zoom z and offset (ox, oy): the
 * background, every edge in one path stroked once, the nodes of each colour
 * in one path filled once, and the labels when they are large enough to
 * read. A frame is a few canvas calls whatever the size of the graph.
 */
export function paintScene(ctx: CanvasRenderingContext2D, s: Scene, z: number, ox: number, oy: number, w: number, h: number, th: Theme): void {
  for (const _ of paintSteps(ctx, s, z, ox, oy, w, h, th, Infinity));
}

/**
 * paintSteps is paintScene in slices: it pauses (yields) after about slice
 * edges, nodes or labels, each slice a path of its own, so that painting can
 * be spread over several tasks.
 */
export function* paintSteps(
  ctx: CanvasRenderingContext2D,
  s: Scene,
  z: number,
  ox: number,
  oy: number,
  w: number,
  h: number,
  th: Theme,
  slice: number,
): Generator<void, void, void> {
  ctx.fillStyle = th.background;
  ctx.fillRect(0, 0, w, h);
  const { x, y } = s;
  const n = x.length;
  const sx = new Float32Array(n);
  const sy = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    sx[i] = x[i] * z + ox;
    sy[i] = y[i] * z + oy;
  }

  // One path per width: stronger ties (more messages, more links) are
  // drawn wider, on top of the thin ones.
  for (let wc = 0, k = 0; wc < EDGE_WIDTHS.length; wc++) {
    if (s.weightStart[wc] === s.weightStart[wc + 1]) continue;
    ctx.lineWidth = EDGE_WIDTHS[wc];
    ctx.strokeStyle = th.edge;
    ctx.beginPath();
    for (let e = s.weightStart[wc]; e < s.weightStart[wc + 1]; e++) {
      const ax = sx[s.src[e]];
      const ay = sy[s.src[e]];
      const bx = sx[s.dst[e]];
      const by = sy[s.dst[e]];
      if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) continue;
      ctx.moveTo(ax, ay);
      ctx.lineTo(bx, by);
      if (++k % slice === 0) {
        ctx.stroke();
        yield;
        ctx.lineWidth = EDGE_WIDTHS[wc];
        ctx.strokeStyle = th.edge;
        ctx.beginPath();
      }
    }
    ctx.stroke();
  }

  const r = (NODE_SIZE / 2) * z;
  const m = r + 1;
  // Below a few pixels a square looks the same as a disc and fills faster.
  const small = r < 2;
  for (const g of s.groups) {
    ctx.fillStyle = g.color;
    ctx.beginPath();
    let k = 0;
    for (const i of g.nodes) {
      const px = sx[i];
      const py = sy[i];
      if (px < -m || px > w + m || py < -m || py > h + m) continue;
      if (small) {
        ctx.rect(px - r, py - r, 2 * r, 2 * r);
      } else {
        shapePath(ctx, g.shape, px, py, r);
      }
      if (++k % slice === 0) {
        ctx.fill();
        yield;
        ctx.fillStyle = g.color;
        ctx.beginPath();
      }
    }
    ctx.fill();
  }
  const rr = Math.max((ROOT_SIZE / 2) * z, 4);
  const root = s.root >= 0 && sx[s.root] > -100 && sx[s.root] < w + 100 && sy[s.root] > -rr - 100 && sy[s.root] < h + rr ? s.root : -1;
  if (root >= 0) {
    ctx.beginPath();
    shapePath(ctx, s.rootShape, sx[root]!, sy[root]!, rr);
    ctx.fillStyle = s.rootColor;
    ctx.fill();
    ctx.lineWidth = Math.max(1.5, 3 * z);
    ctx.strokeStyle = th.text;
    ctx.stroke();
  }

  const fontPx = FONT_SIZE * z;
  const text = () => {
    ctx.fillStyle = th.text;
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.font = `${fontPx}px ${th.font}`;
  };
  // Labels that would overlap one already placed are left out; the root's
  // is placed first.
  const placed = new LabelBoxes();
  const rootFont = `600 ${Math.max(fontPx, 11)}px ${th.font}`;
  const rootY = root >= 0 ? sy[root] + rr + LABEL_GAP * z : 0;
  if (root >= 0) {
    ctx.font = rootFont;
    const lw = ctx.measureText(s.names[root]).width;
    placed.add(sx[root] - lw / 2, rootY, lw, Math.max(fontPx, 11));
  }
  if (fontPx >= MIN_LABEL_PX) {
    text();
    const widths = labelWidths(ctx, s, th.font);
    const off = r + LABEL_GAP * z;
    let drawn = 0;
    for (let i = 0; i < n && drawn < MAX_LABELS; i++) {
      if (i === s.root) continue;
      const px = sx[i];
      const py = sy[i];
      if (px < -100 || px > w + 100 || py < -m - fontPx || py > h) continue;
      const lw = (widths[i] * fontPx) / FONT_SIZE;
      if (!placed.add(px - lw / 2, py + off, lw, fontPx)) continue;
      ctx.fillText(s.names[i], px, py + off);
      // Text is dearer than shapes: slices of a tenth.
      if (++drawn % Math.ceil(slice / 10) === 0) {
        yield;
        text();
      }
    }
  }
  if (root >= 0) {
    // The root keeps its name at every zoom.
    text();
    ctx.font = rootFont;
    ctx.fillText(s.names[root], sx[root], rootY);
  }
}

/** shapePath adds a node's outline of radius r at (x, y) to the current path. */
export function shapePath(ctx: CanvasRenderingContext2D, shape: Shape, x: number, y: number, r: number): void {
  switch (shape) {
    case "square": {
      const h = r * 0.88;
      ctx.rect(x - h, y - h, 2 * h, 2 * h);
      break;
    }
    case "diamond":
      ctx.moveTo(x, y - r * 1.15);
      ctx.lineTo(x + r * 1.15, y);
      ctx.lineTo(x, y + r * 1.15);
      ctx.lineTo(x - r * 1.15, y);
      ctx.closePath();
      break;
    case "triangle":
      ctx.moveTo(x, y - r * 1.2);
      ctx.lineTo(x + r * 1.1, y + r * 0.8);
      ctx.lineTo(x - r * 1.1, y + r * 0.8);
      ctx.closePath();
      break;
    case "hexagon":
      for (let k = 0; k < 6; k++) {
        const a = (Math.PI / 3) * k;
        const hx = x + r * Math.cos(a);
        const hy = y + r * Math.sin(a);
        if (k === 0) ctx.moveTo(hx, hy);
        else ctx.lineTo(hx, hy);
      }
      ctx.closePath();
      break;
    default:
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

/** labelWidths returns the width of each node's label at FONT_SIZE, measured once per scene and font. */
function labelWidths(ctx: CanvasRenderingContext2D, s: Scene, font: string): Float32Array {
  const c = s.labelWidths;
  if (c && c.font === font) return c.widths;
  const old = ctx.font;
  ctx.font = `${FONT_SIZE}px ${font}`;
  const widths = Float32Array.from(s.names, (name) => ctx.measureText(name).width);
  ctx.font = old;
  s.labelWidths = { font, widths };
  return widths;
}

/** LabelBoxes holds the rectangles of the labels placed so far, in buckets of LABEL_CELL px. */
class LabelBoxes {
  private readonly cells = new Map<number, number[]>();

  /** add places the rectangle and reports true, unless it overlaps one already placed. */
  add(x: number, y: number, w: number, h: number): boolean {
    const cx1 = Math.floor(x / LABEL_CELL);
    const cx2 = Math.floor((x + w) / LABEL_CELL);
    const cy1 = Math.floor(y / LABEL_CELL);
    const cy2 = Math.floor((y + h) / LABEL_CELL);
    for (let cx = cx1; cx <= cx2; cx++) {
      for (let cy = cy1; cy <= cy2; cy++) {
        const b = this.cells.get(cx * 65536 + cy);
        if (!b) continue;
        for (let k = 0; k < b.length; k += 4) {
          if (x < b[k] + b[k + 2] && b[k] < x + w && y < b[k + 1] + b[k + 3] && b[k + 1] < y + h) return false;
        }
      }
    }
    for (let cx = cx1; cx <= cx2; cx++) {
      for (let cy = cy1; cy <= cy2; cy++) {
        const key = cx * 65536 + cy;
        let b = this.cells.get(key);
        if (!b) this.cells.set(key, (b = []));
        b.push(x, y, w, h);
      }
    }
    return true;
  }
}

/** LAYER_MARGIN is how far (CSS px) the cached layer reaches past each side of the view. */
const LAYER_MARGIN = 256;
/** LAYER_IDLE_MS is how long the view must rest before the layer is painted again. */
const LAYER_IDLE_MS = 50;
/** LAYER_SLICE is how many edges or nodes the layer paints in one task. */
const LAYER_SLICE = 1500;

/** View is what the canvas shows: the scene, the viewport, the pixel ratio and the colours. */
export interface View {
  s: Scene;
  vp: Viewport;
  dpr: number;
  th: Theme;
}

type LayerKey = { s: Scene; zoom: number; dpr: number; th: Theme; width: number; height: number };

function keyOf({ s, vp, dpr, th }: View): LayerKey {
  return { s, zoom: vp.zoom, dpr, th, width: vp.width, height: vp.height };
}

function sameKey(k: LayerKey | null, { s, vp, dpr, th }: View): k is LayerKey {
  return k !== null && k.s === s && k.zoom === vp.zoom && k.dpr === dpr && k.th === th && k.width === vp.width && k.height === vp.height;
}

/**
 * SceneLayer keeps the scene painted on a canvas LAYER_MARGIN larger than the
 * view on every side, at one zoom. Rasterising thousands of antialiased
 * lines and discs is what a frame costs (in software, 20 ms and more at
 * 5,000 nodes); while the user pans, a frame copies the layer instead.
 * Until the layer fits the view (the zoom, the graph, the size or the
 * colours changed, or the view panned past the margin), a frame paints the
 * view directly; LAYER_IDLE_MS after the last such change the layer is
 * painted again in slices of a few ms between frames (each slice
 * rasterised at once). Panning does not delay or stop it: meanwhile a pan
 * scrolls what the canvas shows and leaves the strips it uncovers blank
 * for the few hundred ms the layer takes.
 */
export class SceneLayer {
  private readonly canvas = document.createElement("canvas");
  /** key is what the layer shows when it is complete, else null. */
  private key: LayerKey | null = null;
  /** pending is what the layer is being painted (or waits to be painted) for, else null. */
  private pending: LayerKey | null = null;
  // The graph point at the layer's top left corner.
  private gx = 0;
  private gy = 0;
  private timer = 0;
  /** shown is what the canvas shows (without the strips left blank by a scroll), else null. */
  private shown: { key: LayerKey; panX: number; panY: number } | null = null;

  /**
   * current returns what the view shows now, for the layer painted later;
   * ready is called when the layer is complete (the view can draw again).
   */
  constructor(
    private readonly current: () => View | null,
    private readonly ready: () => void,
  ) {}

  /** draw draws v onto ctx, whose canvas is v.vp's size times v.dpr. */
  draw(ctx: CanvasRenderingContext2D, v: View): void {
    const { s, vp, dpr, th } = v;
    const ox = this.gx * vp.zoom + vp.panX;
    const oy = this.gy * vp.zoom + vp.panY;
    const cw = ctx.canvas.width;
    const ch = ctx.canvas.height;
    if (sameKey(this.key, v)) {
      if (ox <= 0 && oy <= 0 && ox >= -2 * LAYER_MARGIN && oy >= -2 * LAYER_MARGIN) {
        // Whole device pixels, so the copy does not resample.
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(this.canvas, Math.round(-ox * dpr), Math.round(-oy * dpr), cw, ch, 0, 0, cw, ch);
        this.shown = { key: this.key, panX: vp.panX, panY: vp.panY };
        return;
      }
      this.key = null; // panned past the margin
    }
    const sh = this.shown;
    if (sh && sameKey(sh.key, v) && sameKey(this.pending, v)) {
      // Only the pan changed and the layer is on its way: scroll what the
      // canvas shows by whole device pixels and leave the strips it
      // uncovers blank until then.
      const dx = Math.round((vp.panX - sh.panX) * dpr);
      const dy = Math.round((vp.panY - sh.panY) * dpr);
      if (Math.abs(dx) < cw && Math.abs(dy) < ch) {
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (dx !== 0 || dy !== 0) ctx.drawImage(ctx.canvas, dx, dy);
        ctx.fillStyle = th.background;
        if (dx > 0) ctx.fillRect(0, 0, dx, ch);
        if (dx < 0) ctx.fillRect(cw + dx, 0, -dx, ch);
        if (dy > 0) ctx.fillRect(0, 0, cw, dy);
        if (dy < 0) ctx.fillRect(0, ch + dy, cw, -dy);
        sh.panX += dx / dpr;
        sh.panY += dy / dpr;
        return;
      }
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintScene(ctx, s, vp.zoom, vp.panX, vp.panY, vp.width, vp.height, th);
    this.shown = { key: keyOf(v), panX: vp.panX, panY: vp.panY };
    if (!sameKey(this.pending, v)) this.schedule(v);
  }

  /** schedule paints the layer for v's zoom, around the view of the time, once v has lasted LAYER_IDLE_MS. */
  private schedule(v: View): void {
    clearTimeout(this.timer);
    this.key = null;
    const key = keyOf(v);
    this.pending = key;
    // Gone stale: the next draw schedules the layer for what it shows.
    const stale = () => {
      const now = this.current();
      if (now && sameKey(key, now)) return now;
      this.pending = null;
      return null;
    };
    this.timer = window.setTimeout(() => {
      const now = stale();
      if (!now) return;
      const { s, vp, dpr, th } = now;
      const w = vp.width + 2 * LAYER_MARGIN;
      const h = vp.height + 2 * LAYER_MARGIN;
      this.gx = (-LAYER_MARGIN - vp.panX) / vp.zoom;
      this.gy = (-LAYER_MARGIN - vp.panY) / vp.zoom;
      this.canvas.width = Math.round(w * dpr);
      this.canvas.height = Math.round(h * dpr);
      const lc = this.canvas.getContext("2d", { alpha: false });
      if (!lc) return;
      lc.setTransform(dpr, 0, 0, dpr, 0, 0);
      const steps = paintSteps(lc, s, vp.zoom, vp.panX + LAYER_MARGIN, vp.panY + LAYER_MARGIN, w, h, th, LAYER_SLICE);
      const step = () => {
        if (!stale()) return;
        const done = steps.next().done;
        // Rasterise this slice now rather than all of them in one frame.
        lc.getImageData(0, 0, 1, 1);
        if (!done) {
          this.timer = window.setTimeout(step, 0);
          return;
        }
        this.key = key;
        this.pending = null;
        this.ready();
      };
      step();
    }, LAYER_IDLE_MS);
  }

  /** release frees the layer's pixels and stops its timer. */
  release(): void {
    clearTimeout(this.timer);
    this.key = this.pending = this.shown = null;
    this.canvas.width = 0;
    this.canvas.height = 0;
  }
}

export function readTheme(): Theme {
  const cs = getComputedStyle(document.documentElement);
  const v = (name: string, dflt: string) => cs.getPropertyValue(name).trim() || dflt;
  return { background: v("--surface", "#fff"), text: v("--text", "#222"), edge: v("--border-strong", "#c9ccd2"), font: v("--font-ui", "sans-serif") };
}

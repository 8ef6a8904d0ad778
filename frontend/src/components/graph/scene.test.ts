import { describe, expect, it } from "vitest";
import { EDGE_WIDTHS, buildScene, fitViewport, nodeAt, paintScene, type Theme, type Viewport, weightClass } from "./scene";

const theme: Theme = { background: "#fff", text: "#111", edge: "#ccc", font: "sans-serif" };

// A 3 × 3 grid 100 units apart: p0 … p8, people and documents, p4 the root.
function grid() {
  const nodes = Array.from({ length: 9 }, (_, i) => ({
    id: `p${i}`,
    name: `Node ${i}`,
    kind: i % 2 === 0 ? "person" : "document",
    x: (i % 3) * 100,
    y: Math.floor(i / 3) * 100,
  }));
  const edges = [
    { source: "p0", target: "p1" },
    { source: "p4", target: "p8" },
    { source: "p2", target: "gone" },
  ];
  return buildScene(nodes, edges, "p4");
}

/** recorder is a 2D context that counts the calls made to it. */
function recorder() {
  const calls: Record<string, unknown[][]> = {};
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get(target, prop) {
      if (prop in target) return target[prop];
      return (...args: unknown[]) => {
        (calls[String(prop)] ??= []).push(args);
        // Text 6 px a character at any size, as far as the layout cares.
        if (prop === "measureText") return { width: String(args[0]).length * 6 };
      };
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, count: (m: string) => calls[m]?.length ?? 0, calls };
}

describe("buildScene", () => {
  it("groups nodes by the colour of their kind, the root apart, and drops edges to unknown nodes", () => {
    const s = grid();
    expect(s.root).toBe(4);
    expect(s.rootColor).toBe("#4f7cff");
    expect(s.groups.map((g) => [g.color, [...g.nodes]])).toEqual([
      ["#4f7cff", [0, 2, 6, 8]],
      ["#22a06b", [1, 3, 5, 7]],
    ]);
    expect([...s.src]).toEqual([0, 4]);
    expect([...s.dst]).toEqual([1, 8]);
    expect(s.weightStart).toEqual([0, 2, 2, 2]);
  });

  it("orders edges thin to wide by their count", () => {
    const nodes = ["a", "b", "c", "d"].map((id, i) => ({ id, name: id, kind: "person", x: i, y: 0 }));
    const s = buildScene(
      nodes,
      [
        { source: "a", target: "b", count: 7 },
        { source: "a", target: "c", count: 1 },
        { source: "a", target: "d", count: 3 },
        { source: "b", target: "c" },
      ],
      "a",
    );
    expect(s.weightStart).toEqual([0, 2, 3, 4]);
    expect([...s.dst]).toEqual([2, 2, 3, 1]);
    expect(EDGE_WIDTHS[weightClass(7)]).toBeGreaterThan(EDGE_WIDTHS[weightClass(3)]);
    expect(EDGE_WIDTHS[weightClass(3)]).toBeGreaterThan(EDGE_WIDTHS[weightClass(1)]);
  });
});

describe("nodeAt", () => {
  const vp: Viewport = { zoom: 1, panX: 50, panY: 50, width: 400, height: 400 };
  it("finds the node under the pointer and nothing on the background", () => {
    const s = grid();
    expect(nodeAt(s, vp, 150 + 3, 50 - 2)).toBe(1);
    expect(nodeAt(s, vp, 100, 100)).toBe(-1);
  });
  it("takes a click a few pixels wide on nodes too small to aim at", () => {
    const s = grid();
    const far: Viewport = { ...vp, zoom: 0.05 };
    // Nodes 0, 1 and 2 are at 50, 55 and 60 px, under a pixel wide: a
    // click 2 px off node 1 takes it, the nearest.
    expect(nodeAt(s, far, 57, 51)).toBe(1);
    expect(nodeAt(s, far, 70, 50)).toBe(-1);
  });
});

describe("fitViewport", () => {
  it("puts the whole graph inside the canvas, centred", () => {
    const s = grid();
    const { zoom, pan } = fitViewport(s, 800, 400);
    for (let i = 0; i < 9; i++) {
      const x = s.x[i] * zoom + pan.x;
      const y = s.y[i] * zoom + pan.y;
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(800);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(400);
    }
    expect(s.x[4] * zoom + pan.x).toBeCloseTo(400);
  });
  it("does not zoom a lone node past the maximum", () => {
    const s = buildScene([{ id: "a", name: "A", kind: "person", x: 0, y: 0 }], [], "a");
    expect(fitViewport(s, 800, 600).zoom).toBe(1.6);
  });
});

describe("paintScene", () => {
  it("fills each colour once and strokes the edges of each width once, whatever the number of nodes", () => {
    const r = recorder();
    paintScene(r.ctx, grid(), 1, 50, 50, 400, 400, theme);
    expect(r.count("fill")).toBe(3); // two colours and the root
    expect(r.count("stroke")).toBe(2); // the edges (all of one width) and the root's ring
    expect(r.count("moveTo") + r.count("rect")).toBe(2 + 9); // two edges, eight shapes and the root (discs start with moveTo, squares are one rect)
  });
  it("leaves out edges and nodes outside the painted rectangle", () => {
    const r = recorder();
    // Only the top left node, p0 at (10, 10), and the edge p0–p1 are in view.
    paintScene(r.ctx, grid(), 1, 10, 10, 60, 60, theme);
    expect(r.count("lineTo")).toBe(1);
    expect(r.count("arc")).toBe(1);
  });
  it("writes the labels when they are large enough to read, else only the root's", () => {
    const near = recorder();
    paintScene(near.ctx, grid(), 1, 50, 50, 400, 400, theme);
    expect(near.calls.fillText.map((a) => a[0])).toContain("Node 7");
    expect(near.count("fillText")).toBe(9);
    const far = recorder();
    paintScene(far.ctx, grid(), 0.5, 50, 50, 400, 400, theme); // 5 px text
    expect(far.calls.fillText.map((a) => a[0])).toEqual(["Node 4"]);
  });
  it("leaves out a label that would overlap one already written", () => {
    const s = buildScene(
      [
        { id: "a", name: "Anna Smith", kind: "person", x: 0, y: 0 },
        { id: "b", name: "Anna's notes", kind: "document", x: 20, y: 0 },
        { id: "c", name: "Bob", kind: "person", x: 200, y: 0 },
      ],
      [],
      null,
    );
    const r = recorder();
    paintScene(r.ctx, s, 1, 50, 50, 400, 400, theme);
    expect(r.calls.fillText.map((a) => a[0])).toEqual(["Anna Smith", "Bob"]);
  });
});

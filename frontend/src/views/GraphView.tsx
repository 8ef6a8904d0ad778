import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { useStores } from "../stores/context";

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

/**
 * GraphView draws an entity's neighbourhood with Cytoscape.js (canvas);
 * clicking a node adds its own neighbours.
 */
export function GraphView() {
  const { graph: g } = useStores();
  const box = useRef<HTMLDivElement>(null);
  const cy = useRef<cytoscape.Core | null>(null);
  const [q, setQ] = useState(g.query.value);

  useEffect(() => {
    if (!box.current) return;
    const c = cytoscape({
      container: box.current,
      wheelSensitivity: 0.3,
      maxZoom: 1.6,
      minZoom: 0.05,
      // Thousands of nodes stay interactive: while the viewport moves,
      // Cytoscape pans a cached bitmap and skips the edges, then redraws.
      textureOnViewport: true,
      hideEdgesOnViewport: true,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "#8a8f98",
            label: "data(name)",
            "font-size": 10,
            // Labels too small to read are not drawn (a zoomed-out big graph).
            "min-zoomed-font-size": 7,
            color: getComputedStyle(document.documentElement).getPropertyValue("--text").trim() || "#222",
            "text-valign": "bottom",
            "text-margin-y": 4,
            width: 16,
            height: 16,
          },
        },
        // One selector per kind, not a function: Cytoscape caches these.
        ...Object.entries(COLORS).map(([kind, color]) => ({ selector: `node[kind = "${kind}"]`, style: { "background-color": color } })),
        { selector: "node.root", style: { width: 26, height: 26, "border-width": 3, "border-color": "#fff" } },
        {
          selector: "edge",
          // Haystack edges are Cytoscape's cheapest to draw: thousands of them
          // redraw within a frame while the view pans.
          style: { width: 1, "line-color": "#c9ccd2", "curve-style": "haystack", "haystack-radius": 0 },
        },
      ],
    });
    c.on("tap", "node", (e) => {
      const n = e.target as cytoscape.NodeSingular;
      void g.expand(n.data("name") as string, n.id());
    });
    cy.current = c;
    (window as unknown as { __engramGraph?: cytoscape.Core }).__engramGraph = c;
    return () => {
      c.destroy();
      cy.current = null;
    };
  }, [g]);

  const nodes = g.nodes.value;
  const edges = g.edges.value;
  useEffect(() => {
    const c = cy.current;
    if (!c) return;
    // What the store no longer holds goes (a new graph replaced it).
    const want = new Set(nodes.map((n) => n.id));
    const wantEdges = new Set(edges.map((e) => e.id));
    c.edges()
      .filter((e) => !wantEdges.has(e.id()))
      .remove();
    c.nodes()
      .filter((n) => !want.has(n.id()))
      .remove();
    const have = new Set(c.nodes().map((n) => n.id()));
    const added = c.add([
      ...nodes.filter((n) => !have.has(n.id)).map((n) => ({ group: "nodes" as const, data: { ...n } })),
      ...edges.filter((e) => c.getElementById(e.id).empty()).map((e) => ({ group: "edges" as const, data: { ...e } })),
    ]);
    if (nodes.length === 0) c.elements().remove();
    const root = g.root.value;
    c.nodes().removeClass("root");
    if (root) c.getElementById(root.id).addClass("root");
    if (added.length > 0) c.layout({ name: nodes.length > 300 ? "grid" : "cose", animate: false, fit: true, padding: 30 }).run();
  }, [nodes, edges]);

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
        <div class="graph-canvas" ref={box} />
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

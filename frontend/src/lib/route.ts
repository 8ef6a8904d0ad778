/**
 * Routes: the URL of every view, query, open document and graph root, in
 * the hash (the desktop window serves one file, so the path stays "/"):
 *
 *   #/search?q=WORDS&doc=ID&mode=text|semantic|hybrid     #/graph?root=NAME
 *   #/memories  #/imports  #/settings  #/gaps  #/connectors  #/team
 */
export type RouteView = "search" | "memories" | "imports" | "graph" | "settings" | "gaps" | "connectors" | "team";

/** A search mode the user chose; absent from a route means the backend's default. */
export type RouteMode = "text" | "semantic" | "hybrid";
const MODES: RouteMode[] = ["text", "semantic", "hybrid"];

export interface Route {
  view: RouteView;
  /** The search query (search view). */
  q?: string;
  /** The document open in the reader (search view). */
  doc?: string;
  /** The search mode chosen (search view); absent: hybrid when an embedding endpoint is set, else text. */
  mode?: RouteMode;
  /** The graph's root name (graph view). */
  root?: string;
}

const VIEWS: RouteView[] = ["search", "memories", "imports", "graph", "settings", "gaps", "connectors", "team"];

/** parseRoute reads a location hash ("#/search?q=…"); anything unknown is the search view. */
export function parseRoute(hash: string): Route {
  const h = hash.replace(/^#\/?/, "");
  const qi = h.indexOf("?");
  const path = decodeSafe(qi < 0 ? h : h.slice(0, qi)).replace(/\/+$/, "");
  const params = new URLSearchParams(qi < 0 ? "" : h.slice(qi + 1));
  const view = (VIEWS as string[]).includes(path) ? (path as RouteView) : "search";
  const r: Route = { view };
  if (view === "search") {
    const q = params.get("q");
    const doc = params.get("doc");
    if (q) r.q = q;
    if (doc) r.doc = doc;
    const mode = params.get("mode");
    if (mode && (MODES as string[]).includes(mode)) r.mode = mode as RouteMode;
  } else if (view === "graph") {
    const root = params.get("root");
    if (root) r.root = root;
  }
  return r;
}

/** formatRoute writes r as a location hash; parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(r: Route): string {
  const p = new URLSearchParams();
  if (r.view === "search") {
    if (r.q) p.set("q", r.q);
    if (r.doc) p.set("doc", r.doc);
    if (r.mode) p.set("mode", r.mode);
  } else if (r.view === "graph" && r.root) {
    p.set("root", r.root);
  }
  const qs = p.toString();
  return `#/${r.view}${qs ? `?${qs}` : ""}`;
}

/**
 * isStep reports whether going from a to b is a step of its own in the
 * history (Back returns to a): another view, document or graph root. A
 * query typed into the search box only replaces the current entry, so Back
 * does not replay every keystroke.
 */
export function isStep(a: Route, b: Route): boolean {
  return a.view !== b.view || (a.doc ?? "") !== (b.doc ?? "") || (a.root ?? "") !== (b.root ?? "");
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

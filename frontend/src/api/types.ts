// Domain types the UI works with. They mirror the JSON of the Go types in
// app/types.go and app/desktop.go, which is the same over Wails and over HTTP.

export interface SearchHit {
  id: string;
  title: string;
  /** Kind of source the document came from: "maildir", "markdown", … */
  source: string;
  path: string;
  /** The best passage; matched terms in <mark>…</mark>, everything else escaped. */
  snippet: string;
  score: number;
  /** RFC 3339; Go's zero time when the document has no date. */
  date: string;
}

export interface Facet {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  tookMs: number;
  hits: SearchHit[];
  facets: Record<string, Facet[]>;
  /** Subsystems that could not take part, e.g. "graph". */
  degraded: string[];
}

export interface Info {
  dataDir: string;
  workspace: string;
  version: string;
}

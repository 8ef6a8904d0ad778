// The JSON of the Go types in app/types.go and app/desktop.go, as both
// transports deliver it (Wails' generated models have the same fields), and
// its conversion to the UI's domain types.
import type { Info, SearchHit, SearchResult } from "./types";

export interface WireSearchHit {
  id: string;
  title: string;
  source: string;
  path: string;
  snippet: string;
  score: number;
  /** time.Time: an RFC 3339 string over JSON. */
  date: unknown;
}

export interface WireSearchResult {
  total: number;
  took_ms: number;
  hits: WireSearchHit[] | null;
  facets: Record<string, { value: string; count: number }[]> | null;
  degraded?: string[] | null;
}

export interface WireInfo {
  data_dir: string;
  workspace: string;
  version: string;
}

export function fromSearchResult(r: WireSearchResult): SearchResult {
  return {
    total: r.total,
    tookMs: r.took_ms,
    hits: (r.hits ?? []).map(fromSearchHit),
    facets: r.facets ?? {},
    degraded: r.degraded ?? [],
  };
}

function fromSearchHit(h: WireSearchHit): SearchHit {
  return {
    id: h.id,
    title: h.title,
    source: h.source,
    path: h.path,
    snippet: h.snippet,
    score: h.score,
    date: typeof h.date === "string" ? h.date : "",
  };
}

export function fromInfo(i: WireInfo): Info {
  return { dataDir: i.data_dir, workspace: i.workspace, version: i.version };
}

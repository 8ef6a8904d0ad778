// The only module that imports the generated Wails bindings.
import * as SearchService from "./wailsjs/go/app/SearchService";
import type { app } from "./wailsjs/go/models";
import type { Api } from "./api";
import { toApiError } from "./errors";
import type { Info, SearchHit, SearchResult } from "./types";

/** hasWailsRuntime reports whether the page runs inside the desktop window. */
export function hasWailsRuntime(): boolean {
  const w = window as unknown as { go?: { app?: { SearchService?: unknown } } };
  return w.go?.app?.SearchService !== undefined;
}

/** WailsApi is the Api of the desktop window. */
export class WailsApi implements Api {
  async search(query: string, limit: number, offset: number): Promise<SearchResult> {
    try {
      return fromSearchResult(await SearchService.Search(query, limit, offset));
    } catch (e) {
      throw toApiError("search", e);
    }
  }

  async info(): Promise<Info> {
    try {
      const i = await SearchService.Info();
      return { dataDir: i.data_dir, workspace: i.workspace, version: i.version };
    } catch (e) {
      throw toApiError("info", e);
    }
  }
}

function fromSearchResult(r: app.SearchResult): SearchResult {
  return {
    total: r.total,
    tookMs: r.took_ms,
    hits: (r.hits ?? []).map(fromSearchHit),
    facets: r.facets ?? {},
    degraded: r.degraded ?? [],
  };
}

function fromSearchHit(h: app.SearchHit): SearchHit {
  return {
    id: h.id,
    title: h.title,
    source: h.source,
    path: h.path,
    snippet: h.snippet,
    score: h.score,
    // time.Time has no TypeScript model; over JSON it is an RFC 3339 string.
    date: typeof h.date === "string" ? h.date : "",
  };
}

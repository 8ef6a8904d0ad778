// The only module that imports the generated Wails bindings.
import * as SearchService from "./wailsjs/go/app/SearchService";
import type { Api } from "./api";
import { toApiError } from "./errors";
import type { Info, SearchResult } from "./types";
import { fromInfo, fromSearchResult } from "./wire";

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
      return fromInfo(await SearchService.Info());
    } catch (e) {
      throw toApiError("info", e);
    }
  }
}

import type { Api } from "./api";
import { ApiError } from "./errors";
import { hasWailsRuntime, WailsApi } from "./wails";

export type { Api } from "./api";
export { ApiError, toApiError } from "./errors";
export type { Facet, Info, SearchHit, SearchResult } from "./types";

/**
 * createApi picks the transport: the Wails bindings inside the desktop
 * window. Web mode will add an HTTP client here; until then a page opened
 * in a plain browser (e.g. `npm run dev`) gets an Api whose calls reject
 * with a message saying so.
 */
export function createApi(): Api {
  if (hasWailsRuntime()) return new WailsApi();
  return new DisconnectedApi();
}

class DisconnectedApi implements Api {
  private fail(op: string): Promise<never> {
    return Promise.reject(
      new ApiError(
        "Not connected to Engram: open this page from the desktop app (make run) or, once it exists, `engram serve`.",
        op,
      ),
    );
  }
  search(): Promise<never> {
    return this.fail("search");
  }
  info(): Promise<never> {
    return this.fail("info");
  }
}

import type { Info, SearchResult } from "./types";

/**
 * Api is everything the UI asks of the backend. The desktop app implements it
 * over the Wails bindings (wails.ts); web mode (`engram serve`) implements
 * it over HTTP (http.ts). Every method rejects with an ApiError.
 */
export interface Api {
  search(query: string, limit: number, offset: number): Promise<SearchResult>;
  info(): Promise<Info>;
}

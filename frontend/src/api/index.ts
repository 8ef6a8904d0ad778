import type { Api } from "./api";
import { HttpApi, takeToken } from "./http";
import { hasWailsRuntime, WailsApi } from "./wails";

export type { Api } from "./api";
export { ApiError, toApiError } from "./errors";
export type * from "./types";

/**
 * createApi picks the transport: the Wails bindings inside the desktop
 * window, HTTP to the page's own origin everywhere else (the page `engram
 * serve` serves). A page served by anything else (e.g. `npm run dev` alone)
 * gets an HttpApi whose calls reject with a message saying it is not
 * connected to Engram.
 */
export function createApi(): Api {
  if (hasWailsRuntime()) return new WailsApi();
  return new HttpApi({ token: takeToken(window) });
}

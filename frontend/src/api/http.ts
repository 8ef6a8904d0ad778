// Api over HTTP, for the page `engram serve` serves (package web in Go).
import type { Api } from "./api";
import { ApiError } from "./errors";
import type { Info, SearchResult } from "./types";
import { fromInfo, fromSearchResult, type WireInfo, type WireSearchResult } from "./wire";

export interface HttpApiOptions {
  /** Origin and path prefix of the API; "" (the default) means this page's origin. */
  base?: string;
  /**
   * The access token, sent as a Bearer header. Without it the requests rely
   * on the session cookie the first page load set.
   */
  token?: string;
  /** fetch to use; tests pass a mock. Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * HttpApi is the Api of the web UI: GET requests to /api/… on the same
 * origin, with the cookie (credentials: same-origin) and, when known, the
 * token as a Bearer header. Every failure rejects with an ApiError carrying
 * the server's message ({"error": "…"}) or saying what went wrong on the way.
 */
export class HttpApi implements Api {
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;

  constructor(opts: HttpApiOptions = {}) {
    this.base = (opts.base ?? "").replace(/\/$/, "");
    this.token = opts.token || undefined;
    // Bound: a detached window.fetch throws "Illegal invocation".
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async search(query: string, limit: number, offset: number): Promise<SearchResult> {
    const q = new URLSearchParams({ q: query, limit: String(limit), offset: String(offset) });
    return fromSearchResult(await this.get<WireSearchResult>("search", `/api/search?${q}`));
  }

  async info(): Promise<Info> {
    return fromInfo(await this.get<WireInfo>("info", "/api/info"));
  }

  private async get<T>(op: string, path: string): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    let res: Response;
    try {
      res = await this.fetch(this.base + path, { method: "GET", headers, credentials: "same-origin" });
    } catch (e) {
      const why = e instanceof Error && e.message ? ` (${e.message})` : "";
      throw new ApiError(`Cannot reach Engram${why}: is \`engram serve\` still running?`, op);
    }
    const isJSON = (res.headers.get("Content-Type") ?? "").includes("application/json");
    let body: unknown;
    if (isJSON) {
      try {
        body = await res.json();
      } catch {
        throw new ApiError(`Engram sent a broken answer to ${op} (HTTP ${res.status})`, op);
      }
    }
    if (!res.ok) {
      const msg = errorMessage(body);
      throw new ApiError(msg ?? `${op} failed: HTTP ${res.status} ${res.statusText}`.trim(), op);
    }
    if (!isJSON) {
      throw new ApiError(
        "Not connected to Engram: this page was not served by `engram serve` (open the link it printed), or by the desktop app (make run).",
        op,
      );
    }
    return body as T;
  }
}

function errorMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && "error" in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === "string" && e !== "") return e;
  }
  return undefined;
}

/** The parts of window.location and window.history takeToken uses. */
export interface PageLocation {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
}

/**
 * takeToken returns the ?token= of the page's URL, if any, and removes it
 * from the address bar (history.replaceState, no reload) so that it is not
 * bookmarked, shared or kept in the history. The server has already set the
 * session cookie on this page load.
 */
export function takeToken(page: PageLocation): string | undefined {
  const url = new URL(page.location.href);
  const token = url.searchParams.get("token");
  if (token === null) return undefined;
  url.searchParams.delete("token");
  page.history.replaceState(page.history.state, "", url.pathname + url.search + url.hash);
  return token || undefined;
}

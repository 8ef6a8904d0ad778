import { StubApi } from "../api/stub";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Api, Facet, Info, SearchResult } from "../api";
import { SEARCH_DEBOUNCE_MS, SearchStore } from "./search";

function result(query: string, n: number, total = n): SearchResult {
  return {
    total,
    tookMs: 1,
    hits: Array.from({ length: n }, (_, i) => ({
      id: `${query}-${i}`,
      title: `${query} ${i}`,
      source: "markdown",
      path: `/notes/${query}-${i}.md`,
      snippet: `<mark>${query}</mark>`,
      score: 1,
      date: "2024-03-04T10:00:00Z",
    })),
    facets: {},
    degraded: [],
    partial: false,
  };
}

/** A backend whose answers the test releases one by one, in any order. */
class ManualApi extends StubApi implements Api {
  calls: { query: string; offset: number; signal?: AbortSignal; resolve: (r: SearchResult) => void; reject: (e: unknown) => void }[] = [];
  facetCalls: { query: string; signal?: AbortSignal; resolve: (f: Record<string, Facet[]>) => void }[] = [];
  override search(query: string, _limit: number, offset: number, _mode?: string, signal?: AbortSignal): Promise<SearchResult> {
    return new Promise((resolve, reject) => this.calls.push({ query, offset, signal, resolve, reject }));
  }
  override facets(query: string, signal?: AbortSignal): Promise<Record<string, Facet[]>> {
    return new Promise((resolve) => this.facetCalls.push({ query, signal, resolve }));
  }
  override info(): Promise<Info> {
    return Promise.resolve({ dataDir: "/d", workspace: "w", version: "dev" });
  }
}

describe("SearchStore", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("searches once per typing pause", () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    for (const q of ["e", "en", "eng"]) s.setQuery(q);
    expect(s.status.value).toBe("loading");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    expect(api.calls.map((c) => c.query)).toEqual(["eng"]);
  });

  it("drops an answer that arrives after a newer search", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("old");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    s.setQuery("new");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    api.calls[1]!.resolve(result("new", 2));
    api.calls[0]!.resolve(result("old", 5));
    await vi.runAllTimersAsync();
    expect(s.result.value?.hits[0]?.title).toBe("new 0");
    expect(s.selected.value).toBe(0);
  });

  it("paints the hits first, then the facets of the latest search only", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("one");
    s.submit();
    api.calls[0]!.resolve(result("one", 2));
    await vi.runAllTimersAsync();
    expect(s.status.value).toBe("ready");
    expect(s.result.value?.facets).toEqual({});
    expect(api.facetCalls.map((c) => c.query)).toEqual(["one"]);
    api.facetCalls[0]!.resolve({ source: [{ value: "mail", count: 2 }] });
    await vi.runAllTimersAsync();
    expect(s.result.value?.facets).toEqual({ source: [{ value: "mail", count: 2 }] });

    // A newer search keeps the shown facets until its own arrive, and
    // the older search's late facets are dropped.
    s.setQuery("two");
    s.submit();
    api.calls[1]!.resolve(result("two", 1));
    await vi.runAllTimersAsync();
    expect(s.hits.value[0]?.id).toBe("two-0");
    expect(s.result.value?.facets).toEqual({ source: [{ value: "mail", count: 2 }] });
    s.setQuery("three");
    s.submit();
    api.facetCalls[1]!.resolve({ source: [{ value: "slack", count: 1 }] });
    await vi.runAllTimersAsync();
    expect(s.result.value?.facets).toEqual({ source: [{ value: "mail", count: 2 }] });
  });

  it("gives up the requests a newer search supersedes, so the server stops them", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("one");
    s.submit();
    api.calls[0]!.resolve(result("one", 2));
    await vi.runAllTimersAsync();
    // One's facets are still being counted when two is typed.
    expect(api.facetCalls[0]!.signal?.aborted).toBe(false);
    s.setQuery("two");
    s.submit();
    expect(api.facetCalls[0]!.signal?.aborted).toBe(true);
    expect(api.calls[1]!.signal?.aborted).toBe(false);
    // Two's search itself is given up by three, and by clearing the box.
    s.setQuery("three");
    s.submit();
    expect(api.calls[1]!.signal?.aborted).toBe(true);
    expect(api.calls[2]!.signal?.aborted).toBe(false);
    s.setQuery("");
    expect(api.calls[2]!.signal?.aborted).toBe(true);
  });

  it("clearing the query drops a search in flight", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("x");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    s.setQuery("");
    api.calls[0]!.resolve(result("x", 1));
    await vi.runAllTimersAsync();
    expect(s.status.value).toBe("idle");
    expect(s.result.value).toBeNull();
  });

  it("turns a rejection into an error state", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("x");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    api.calls[0]!.reject("index is closed");
    await vi.runAllTimersAsync();
    expect(s.status.value).toBe("error");
    expect(s.error.value?.message).toBe("index is closed");
  });

  it("moves the selection within bounds, opens and pages", async () => {
    const api = new ManualApi();
    const s = new SearchStore(api);
    s.setQuery("q");
    s.submit();
    api.calls[0]!.resolve(result("q", 3, 4));
    await vi.runAllTimersAsync();
    s.move(-1);
    expect(s.selected.value).toBe(0);
    s.move(5);
    expect(s.selected.value).toBe(2);
    s.open();
    expect(s.opened.value?.id).toBe("q-2");

    const more = s.loadMore();
    expect(api.calls[1]!.offset).toBe(3);
    api.calls[1]!.resolve({ ...result("q", 1, 4), hits: [{ ...result("q", 1).hits[0]!, id: "q-3" }] });
    await more;
    expect(s.hits.value.map((h) => h.id)).toEqual(["q-0", "q-1", "q-2", "q-3"]);
    expect(s.hasMore.value).toBe(false);
  });
});

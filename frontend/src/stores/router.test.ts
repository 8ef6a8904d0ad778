import { describe, expect, it } from "vitest";
import type { Neighbors, SearchHit, SearchResult } from "../api";
import { StubApi } from "../api/stub";
import { GraphStore } from "./graph";
import { NavStore } from "./nav";
import { Router, type RouterWindow } from "./router";
import { SearchStore } from "./search";

/** FakeWindow is a history of hashes with Back. */
class FakeWindow implements RouterWindow {
  entries: string[] = [""];
  at = 0;
  private fn: (() => void) | null = null;
  location = { hash: "" };
  history = {
    pushState: (_d: unknown, _u: string, url?: string | null) => {
      this.entries = [...this.entries.slice(0, this.at + 1), url ?? ""];
      this.at++;
      this.location.hash = url ?? "";
    },
    replaceState: (_d: unknown, _u: string, url?: string | null) => {
      this.entries[this.at] = url ?? "";
      this.location.hash = url ?? "";
    },
  };
  addEventListener(t: "popstate" | "pagehide", fn: () => void) {
    if (t === "popstate") this.fn = fn;
  }
  removeEventListener() {
    this.fn = null;
  }
  back() {
    this.at--;
    this.location.hash = this.entries[this.at]!;
    this.fn?.();
  }
}

class Api extends StubApi {
  override async search(q: string): Promise<SearchResult> {
    const hits: SearchHit[] = [{ id: `doc-${q}`, title: q, source: "markdown", path: "", snippet: "", score: 1, date: "" }];
    return { total: 1, tookMs: 1, hits, facets: {}, degraded: [], partial: false };
  }
  override async facets() {
    return {};
  }
  override async neighbors(name: string): Promise<Neighbors> {
    return { entity: { id: `person:${name}`, name, kind: "person" }, neighbors: [] };
  }
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("Router", () => {
  it("restores the view, query, document and graph root of a hash, and Back walks them", async () => {
    const api = new Api();
    const nav = new NavStore();
    const search = new SearchStore(api);
    const graph = new GraphStore(api);
    const win = new FakeWindow();
    win.location.hash = win.entries[0] = "#/search?q=basil&doc=doc-1";
    const r = new Router(nav, search, graph, win, 0);
    await r.start();
    expect(nav.view.value).toBe("search");
    expect(search.query.value).toBe("basil");
    expect(search.opened.value?.id).toBe("doc-1");
    expect(win.location.hash).toBe("#/search?q=basil&doc=doc-1");

    // Opening another document is a step; typing is not.
    search.openID("doc-2");
    expect(win.location.hash).toBe("#/search?q=basil&doc=doc-2");
    nav.go("graph");
    await graph.open("Ann Lee");
    expect(win.location.hash).toBe("#/graph?root=Ann+Lee");
    expect(win.entries).toEqual(["#/search?q=basil&doc=doc-1", "#/search?q=basil&doc=doc-2", "#/graph", "#/graph?root=Ann+Lee"]);

    win.back();
    win.back();
    await settle();
    expect(nav.view.value).toBe("search");
    expect(search.opened.value?.id).toBe("doc-2");
    win.back();
    await settle();
    expect(search.opened.value?.id).toBe("doc-1");
    r.dispose();
  });

  it("replaces the entry while a query is typed", async () => {
    const api = new Api();
    const nav = new NavStore();
    const search = new SearchStore(api);
    const win = new FakeWindow();
    const r = new Router(nav, search, new GraphStore(api), win, 0);
    await r.start();
    search.setQuery("b");
    search.setQuery("ba");
    search.setQuery("bas");
    await settle();
    expect(win.entries).toEqual(["#/search?q=bas"]);
    r.dispose();
  });
});

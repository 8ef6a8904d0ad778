import { describe, expect, it } from "vitest";
import { formatRoute, isStep, parseRoute, type Route } from "./route";

describe("routes", () => {
  it("round-trips every kind of route", () => {
    const routes: Route[] = [
      { view: "search" },
      { view: "search", q: "basil tag:home" },
      { view: "search", q: "a&b=c #x", doc: "doc/with spaces?#" },
      { view: "search", doc: "only-doc" },
      { view: "search", q: "moving house", mode: "hybrid" },
      { view: "search", mode: "text" },
      { view: "graph" },
      { view: "graph", root: "Ann Lee <ann@example.org>" },
      { view: "memories" },
      { view: "imports" },
      { view: "settings" },
      { view: "gaps" },
      { view: "connectors" },
      { view: "team" },
    ];
    for (const r of routes) expect(parseRoute(formatRoute(r))).toEqual(r);
  });

  it("reads what people type or paste", () => {
    expect(parseRoute("")).toEqual({ view: "search" });
    expect(parseRoute("#")).toEqual({ view: "search" });
    expect(parseRoute("#/nowhere?q=x")).toEqual({ view: "search", q: "x" });
    expect(parseRoute("#/graph/?root=Bob")).toEqual({ view: "graph", root: "Bob" });
    expect(parseRoute("#graph?root=Bob")).toEqual({ view: "graph", root: "Bob" });
    expect(parseRoute("#/settings?q=ignored")).toEqual({ view: "settings" });
    expect(parseRoute("#/%E0%A4%A")).toEqual({ view: "search" });
    expect(parseRoute("#/search?q=x&mode=telepathy")).toEqual({ view: "search", q: "x" });
    expect(parseRoute("#/search?q=x&mode=semantic")).toEqual({ view: "search", q: "x", mode: "semantic" });
  });

  it("makes a history step of views, documents and roots, not of typing", () => {
    expect(isStep({ view: "search", q: "a" }, { view: "search", q: "ab" })).toBe(false);
    expect(isStep({ view: "search", q: "a" }, { view: "search", q: "a", doc: "1" })).toBe(true);
    expect(isStep({ view: "search" }, { view: "graph" })).toBe(true);
    expect(isStep({ view: "search", q: "a" }, { view: "search", q: "a", mode: "semantic" })).toBe(false);
    expect(isStep({ view: "graph", root: "a" }, { view: "graph", root: "b" })).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { fuzzyScore } from "./fuzzy";
import { addRecent, loadRecent, MAX_RECENT } from "./recent";

describe("fuzzyScore", () => {
  it("matches characters in order, ignoring case and accents", () => {
    expect(fuzzyScore("kyk", "Kayak trip")).not.toBeNull();
    expect(fuzzyScore("etude", "Études 2024")).not.toBeNull();
    expect(fuzzyScore("kayak trip", "Kayak trip")).not.toBeNull();
    expect(fuzzyScore("xyz", "Kayak trip")).toBeNull();
    expect(fuzzyScore("pirt", "Kayak trip")).toBeNull();
    expect(fuzzyScore("", "anything")).toBe(0);
  });
  it("ranks prefixes and word starts above scattered matches", () => {
    const rank = (q: string, texts: string[]) =>
      texts
        .map((t) => ({ t, s: fuzzyScore(q, t) }))
        .filter((x) => x.s !== null)
        .sort((a, b) => b.s! - a.s!)
        .map((x) => x.t);
    expect(rank("gar", ["Cigar box", "Garden", "Budget and art"])).toEqual(["Garden", "Cigar box", "Budget and art"]);
    expect(rank("al", ["Ann Lee", "Alice"])[0]).toBe("Alice");
    expect(rank("ann lee", ["Ann Lee", "Annual leave plan"])[0]).toBe("Ann Lee");
  });
});

describe("recent documents", () => {
  it("keeps the latest first, once each, bounded, per workspace", () => {
    const m = new Map<string, string>();
    const kv = { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v) };
    addRecent("ws", { id: "a", title: "A", source: "markdown" }, kv);
    addRecent("ws", { id: "b", title: "B", source: "email" }, kv);
    addRecent("ws", { id: "a", title: "A", source: "markdown" }, kv);
    expect(loadRecent("ws", kv).map((d) => d.id)).toEqual(["a", "b"]);
    expect(loadRecent("other", kv)).toEqual([]);
    for (let i = 0; i < 50; i++) addRecent("ws", { id: `x${i}`, title: "X", source: "" }, kv);
    expect(loadRecent("ws", kv)).toHaveLength(MAX_RECENT);
    m.set("engram.recent:ws", "{broken");
    expect(loadRecent("ws", kv)).toEqual([]);
  });
});

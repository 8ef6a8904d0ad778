import { describe, expect, it } from "vitest";
import { StubApi } from "../api/stub";
import type { ImportProgress, Memory, MemoryEvent, Neighbors } from "../api";
import { GraphStore } from "./graph";
import { fraction, ImportsStore, progressLabel } from "./imports";
import { filterMemories, MemoriesStore, stateOf } from "./memories";

describe("GraphStore", () => {
  it("merges neighbourhoods without duplicates", () => {
    const g = new GraphStore(new StubApi());
    const n: Neighbors = {
      entity: { id: "p:anna", name: "Anna", kind: "person" },
      neighbors: [
        { id: "d:1", name: "Trip", kind: "document", predicate: "mentions", direction: "in", count: 1, depth: 1 },
        { id: "t:x", name: "x", kind: "tag", predicate: "tagged", direction: "out", count: 1, depth: 1 },
      ],
    };
    g.merge(n);
    g.merge(n);
    expect(g.nodes.value.map((x) => x.id).sort()).toEqual(["d:1", "p:anna", "t:x"]);
    expect(g.edges.value).toHaveLength(2);
    expect(g.edges.value.find((e) => e.label === "mentions")).toMatchObject({ source: "d:1", target: "p:anna" });
  });
});

describe("MemoriesStore", () => {
  it("adds, then reloads the list", async () => {
    const list: Memory[] = [];
    class Api extends StubApi {
      override async addMemory(_u: string, text: string): Promise<MemoryEvent[]> {
        list.push({ id: "m1", memory: text } as Memory);
        return [{ event: "ADD", id: "m1", memory: text }];
      }
      override async allMemories(): Promise<Memory[]> {
        return [...list];
      }
    }
    const s = new MemoriesStore(new Api());
    expect(await s.add("I live in Oslo")).toBe(true);
    expect(s.items.value.map((m) => m.memory)).toEqual(["I live in Oslo"]);
    expect(s.notice.value).toBe("Remembered: 1 added.");
  });
  it("shows the backend's error", async () => {
    const s = new MemoriesStore(new StubApi());
    expect(await s.load()).toBe(false);
    expect(s.error.value).toContain("not in this test");
  });
});

describe("ImportsStore", () => {
  it("follows progress to the end and reloads the jobs", async () => {
    let push: (p: ImportProgress) => void = () => undefined;
    let jobsLoaded = 0;
    class Api extends StubApi {
      override async startImport(): Promise<string> {
        return "j1";
      }
      override watchImport(_id: string, f: (p: ImportProgress) => void) {
        push = f;
        return () => undefined;
      }
      override async jobs() {
        jobsLoaded++;
        return [];
      }
    }
    const s = new ImportsStore(new Api());
    s.path.value = "/tmp/x";
    expect(await s.start()).toBe("j1");
    const p = { job_id: "j1", total: 4, done: 1, finished: false } as ImportProgress;
    push(p);
    expect(fraction(s.current.value!)).toBe(0.25);
    push({ ...p, done: 4, finished: true, state: "done" });
    expect(fraction(s.current.value!)).toBe(1);
    expect(jobsLoaded).toBe(1);
  });
});

describe("filterMemories", () => {
  const now = new Date("2025-01-01T00:00:00Z");
  const m = (id: string, memory: string, kind: string, state: string, valid_to: string | null) =>
    ({ id, memory, kind, state, valid_to }) as Memory;
  const items = [
    m("1", "I live in Bergen", "place", "current", null),
    m("2", "I lived in Oslo", "place", "current", "2024-03-01T00:00:00Z"),
    m("3", "Anna is my sister", "relationship", "deleted", null),
    m("4", "I will move to Rome", "plan", "current", "2030-01-01T00:00:00Z"),
  ];
  it("tells current, past and deleted apart", () => {
    expect(items.map((x) => stateOf(x, now))).toEqual(["current", "past", "deleted", "current"]);
  });
  it("filters by words, kind and state", () => {
    const ids = (q: string, kind: string, states: string[]) =>
      filterMemories(items, { q, kind, states: new Set(states as never[]) }, now).map((x) => x.id);
    expect(ids("", "", ["current"])).toEqual(["1", "4"]);
    expect(ids("", "place", ["current", "past"])).toEqual(["1", "2"]);
    expect(ids("OSLO", "", ["current", "past", "deleted"])).toEqual(["2"]);
    expect(ids("sister", "", ["current"])).toEqual([]);
    expect(ids("sister", "", ["deleted"])).toEqual(["3"]);
    expect(ids("i l", "", ["current", "past"])).toEqual(["1", "2", "4"]);
  });
});

describe("progressLabel", () => {
  const p = (over: Partial<ImportProgress>) =>
    ({ job_id: "j", paths: [], state: "running", total: 0, done: 0, imported: 0, updated: 0, skipped: 0, failed: 0, removed: 0, walking: false, current: "", rate: 0, eta_seconds: 0, errors: [], finished: false, ...over }) as ImportProgress;
  it("says what the job is doing", () => {
    expect(progressLabel(p({ walking: true }))).toBe("finding files…");
    expect(progressLabel(p({ walking: true, total: 10, done: 3 }))).toBe("importing, still finding files…");
    expect(progressLabel(p({ total: 157, done: 20 }))).toBe("importing…");
    expect(progressLabel(p({ total: 157, done: 157 }))).toBe("indexing…");
    expect(progressLabel(p({ total: 157, done: 157, walking: true }))).not.toContain("finding");
    expect(progressLabel(p({ total: 157, done: 157, finished: true, state: "done" }))).toBe("done");
    expect(progressLabel(p({ finished: true, state: "done", failed: 2 }))).toBe("done, 2 failed");
    expect(progressLabel(p({ finished: true, state: "cancelled" }))).toBe("cancelled");
  });
});

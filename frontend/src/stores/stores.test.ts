import { describe, expect, it } from "vitest";
import { StubApi } from "../api/stub";
import type { ImportProgress, Memory, MemoryEvent, Neighbors } from "../api";
import { GraphStore } from "./graph";
import { fraction, ImportsStore } from "./imports";
import { MemoriesStore } from "./memories";

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
      override async memories(): Promise<Memory[]> {
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

import { describe, expect, it } from "vitest";
import { StubApi } from "../api/stub";
import type { Memory, MemoryEvent, MemoryHistory, MemoryHit, MemorySearchOptions } from "../api";
import { MemoriesStore } from "./memories";

const mem = (o: Partial<Memory>): Memory => ({
  id: "m1",
  user: "local",
  memory: "Lives in Aarhus",
  kind: "place",
  importance: 0,
  created: "2026-05-02T10:00:00Z",
  updated: "2026-05-02T10:00:00Z",
  valid_from: "2026-04-01T00:00:00Z",
  valid_to: null,
  recorded: "2026-05-02T10:00:00Z",
  state: "current",
  version: 2,
  ...o,
});

class ReviewApi extends StubApi {
  calls: string[] = [];
  list: Memory[] = [mem({})];
  override allMemories(): Promise<Memory[]> {
    this.calls.push("list");
    return Promise.resolve(this.list);
  }
  override memoryHistory(_u: string, id: string): Promise<MemoryHistory> {
    this.calls.push(`history ${id}`);
    return Promise.resolve({ id, current: this.list[0]!, versions: [] });
  }
  override searchMemories(u: string, q: string, o: MemorySearchOptions): Promise<MemoryHit[]> {
    this.calls.push(`search ${u} ${q} ${o.as_of}`);
    return Promise.resolve([{ ...mem({ memory: "Lives in Utrecht" }), score: 1 }]);
  }
  override confirmMemory(_u: string, id: string): Promise<MemoryEvent[]> {
    this.calls.push(`confirm ${id}`);
    return Promise.resolve([{ event: "CONFIRM", id, memory: "" }]);
  }
  override undoMemory(_u: string, ev: string): Promise<MemoryEvent[]> {
    this.calls.push(`undo ${ev}`);
    return Promise.resolve([{ event: "UNDO", id: "m1", memory: "" }]);
  }
}

describe("MemoriesStore review", () => {
  it("asks as of a day only with a real day and a question", async () => {
    const api = new ReviewApi();
    const m = new MemoriesStore(api);
    m.asOf.value = "2026-01-15";
    await m.askAsOf();
    expect(m.asOfHits.value).toBeNull(); // no question yet
    m.query.value = "where did I live";
    await m.askAsOf();
    expect(m.asOfHits.value?.map((h) => h.memory)).toEqual(["Lives in Utrecht"]);
    m.asOf.value = "2026-02-30";
    expect(await m.askAsOf()).toBe(false);
    expect(m.error.value).toMatch(/YYYY-MM-DD/);
    expect(api.calls).toEqual(["search local where did I live 2026-01-15"]);
  });

  it("confirms and undoes, then reloads the list and the open history", async () => {
    const api = new ReviewApi();
    const m = new MemoriesStore(api);
    await m.showHistory("m1");
    api.calls = [];
    await m.confirm("m1");
    await m.undo("m1", "m1@3");
    expect(api.calls).toEqual(["confirm m1", "history m1", "list", "undo m1@3", "history m1", "list"]);
  });

  it("refreshes what is open after a change made elsewhere", async () => {
    const api = new ReviewApi();
    const m = new MemoriesStore(api);
    await m.showHistory("m1");
    m.asOf.value = "2026-01-15";
    m.query.value = "where";
    await m.askAsOf();
    api.calls = [];
    await m.refresh();
    expect(api.calls).toEqual(["list", "history m1", "search local where 2026-01-15"]);
  });
});

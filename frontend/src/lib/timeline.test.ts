import { describe, expect, it } from "vitest";
import type { MemoryVersion } from "../api";
import { day, isDay, latestEvent, recordSpan, timeline, validSpan } from "./timeline";

const v = (o: Partial<MemoryVersion> & { version: number; event: string }): MemoryVersion => ({
  memory: "Lives in Utrecht",
  kind: "place",
  recorded: "2026-05-02T10:00:00Z",
  valid_from: null,
  valid_to: null,
  ...o,
});

describe("two clocks", () => {
  it("says unknown for an unknown start and never invents today", () => {
    expect(validSpan(null, null)).toBe("unknown → still true");
    expect(validSpan("0001-01-01T00:00:00Z", "2026-04-01T00:00:00Z")).toBe("unknown → 2026-04-01");
    expect(recordSpan("2026-05-02T10:00:00Z", undefined)).toBe("2026-05-02 → current");
    expect(day("garbage")).toBeNull();
  });

  it("reads a move as one timeline, past versions closed, undo rows naming what they revert", () => {
    const rows = timeline("m1", [
      v({ version: 3, event: "UNDO", undoes: "m1@2", recorded: "2026-05-03T09:00:00Z" }),
      v({ version: 1, event: "ADD", valid_to: "2026-04-01T00:00:00Z", superseded: "2026-05-02T11:00:00Z" }),
      v({
        version: 2,
        event: "UPDATE",
        memory: "Lives in Aarhus",
        valid_from: "2026-04-01T00:00:00Z",
        recorded: "2026-05-02T11:00:00Z",
        superseded: "2026-05-03T09:00:00Z",
      }),
    ]);
    expect(rows.map((r) => [r.version, r.event, r.valid, r.record, r.closed, r.undoes, r.eventId])).toEqual([
      [1, "ADD", "unknown → 2026-04-01", "2026-05-02 → 2026-05-02", true, null, "m1@1"],
      [2, "UPDATE", "2026-04-01 → still true", "2026-05-02 → 2026-05-03", true, null, "m1@2"],
      [3, "UNDO", "unknown → still true", "2026-05-03 → current", false, 2, "m1@3"],
    ]);
    expect(rows[0]!.ended).toBe(true);
    expect(rows[1]!.ended).toBe(false);
  });

  it("names the latest event and checks days", () => {
    expect(latestEvent({ id: "m1", version: 4 })).toBe("m1@4");
    expect(latestEvent({ id: "m1" })).toBeNull();
    expect(isDay("2026-02-28")).toBe(true);
    expect(isDay("2026-02-30")).toBe(false);
    expect(isDay("January")).toBe(false);
  });
});

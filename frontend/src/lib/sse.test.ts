import { describe, expect, it } from "vitest";
import { MAX_PENDING, SseParser } from "./sse";

describe("SseParser", () => {
  it("returns events cut anywhere, skipping comments", () => {
    const text = 'retry: 2000\n: version 3\n\nid: 4\nevent: change\ndata: {"kind":"memory"}\n\n: keep-alive\n\nid: 5\r\nevent: change\r\ndata: a\r\ndata: b\r\n\r\n';
    for (const cut of [1, 2, 3, 7, 1000]) {
      const p = new SseParser();
      const got = [];
      for (let i = 0; i < text.length; i += cut) got.push(...p.push(text.slice(i, i + cut)));
      expect(got).toEqual([
        { event: "change", data: '{"kind":"memory"}', id: "4" },
        { event: "change", data: "a\nb", id: "5" },
      ]);
    }
  });

  it("keeps an event without its blank line until it comes", () => {
    const p = new SseParser();
    expect(p.push("event: change\ndata: x\n")).toEqual([]);
    expect(p.push("\n")).toEqual([{ event: "change", data: "x", id: "" }]);
  });

  it("defaults the event name and drops events without data", () => {
    const p = new SseParser();
    expect(p.push("event: change\n\ndata:plain\n\n")).toEqual([{ event: "message", data: "plain", id: "" }]);
  });

  it("drops a runaway line instead of growing without bound", () => {
    const p = new SseParser();
    p.push("data: " + "x".repeat(MAX_PENDING + 10));
    expect(p.push("\n\ndata: ok\n\n")).toEqual([{ event: "message", data: "ok", id: "" }]);
  });
});

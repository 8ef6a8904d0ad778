import { describe, expect, it } from "vitest";
import type { EmbedStatus } from "../api";
import { threadLabel } from "../components/reader/ReaderPane";
import { embedSummary, effectiveMode } from "./search";

const status = (o: Partial<EmbedStatus>): EmbedStatus => ({ workspace: "w", state: "idle", pending: 0, documents: 0, chunks: 0, approximate: false, ...o });

describe("search mode", () => {
  it("defaults to hybrid only when an embedding endpoint is set", () => {
    expect(effectiveMode("", null)).toBe("text");
    expect(effectiveMode("", status({ state: "off" }))).toBe("text");
    expect(effectiveMode("", status({ state: "idle" }))).toBe("hybrid");
    expect(effectiveMode("", status({ state: "down" }))).toBe("hybrid");
    expect(effectiveMode("text", status({ state: "idle" }))).toBe("text");
    expect(effectiveMode("semantic", null)).toBe("semantic");
  });

  it("summarises the embedding's state and progress", () => {
    expect(embedSummary(null)).toMatch(/off/);
    expect(embedSummary(status({ state: "down", endpoint: { endpoint: "http://localhost:11434", model: "m", api: "ollama", up: false, error: "connection refused" } }))).toBe(
      "Embedding endpoint not answering (connection refused): searching by words.",
    );
    expect(embedSummary(status({ state: "running", documents: 1, progress: { done: 3, total: 10, chunks: 0, sent: 0 } }))).toBe(
      "1 document embedded; embedding 3 of 10…",
    );
    expect(embedSummary(status({ state: "pending", documents: 2, pending: 5 }))).toBe("2 documents embedded; 5 waiting.");
    expect(embedSummary(status({ documents: 7 }))).toBe("7 documents embedded.");
  });
});

describe("threadLabel", () => {
  it("tells a reply from a thread's start", () => {
    expect(threadLabel({ thread_ts: "1.0" }, 4, false)).toBe("Reply in a thread of 4 messages: open its start");
    expect(threadLabel({ thread_ts: "1.0" }, 0, false)).toBe("Reply in a thread: open its start");
    expect(threadLabel({ reply_count: "2" }, 0, true)).toBe("Thread of 2 replies");
    expect(threadLabel({ reply_count: "5" }, 2, true)).toBe("Thread of 1 reply");
  });
});

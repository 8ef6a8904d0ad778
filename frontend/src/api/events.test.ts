import { describe, expect, it, vi } from "vitest";
import type { ChangeEvent } from "./types";
import { HttpApi } from "./http";

/** stream is a text/event-stream response whose body the test writes chunk by chunk. */
function stream() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  const enc = new TextEncoder();
  return {
    res: new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } }),
    write: (s: string) => ctl.enqueue(enc.encode(s)),
  };
}

describe("HttpApi.subscribe", () => {
  it("reads the change stream with the bearer token and hands over each change", async () => {
    const s = stream();
    const f = vi.fn<typeof fetch>(async () => s.res);
    const api = new HttpApi({ token: "T0K", fetch: f });
    const got: ChangeEvent[] = [];
    const stop = api.subscribe((e) => got.push(e));
    await vi.waitFor(() => expect(f).toHaveBeenCalledTimes(1));
    const [url, init] = f.mock.calls[0]!;
    expect(url).toBe("/api/events");
    expect((init!.headers as Record<string, string>).Authorization).toBe("Bearer T0K");

    s.write('retry: 2000\nevent: hello\ndata: {"version":0}\n\n');
    s.write('id: 1\nevent: change\ndata: {"version":1,"kind":"mem');
    s.write('ory","workspace":"personal","ids":["m1"]}\n\n: keep-alive\n\nevent: other\ndata: {}\n\n');
    s.write('id: 2\nevent: change\ndata: not json\n\nid: 3\nevent: change\ndata: {"version":3,"kind":"import","workspace":"personal"}\n\n');
    await vi.waitFor(() => expect(got).toHaveLength(3));
    // Version 2 was broken: its gap says something may have been missed.
    expect(got).toEqual([
      { version: 1, kind: "memory", workspace: "personal", ids: ["m1"] },
      { version: 3, kind: "reset", workspace: "" },
      { version: 3, kind: "import", workspace: "personal" },
    ]);
    stop();
    expect((init!.signal as AbortSignal).aborted).toBe(true);
  });

  it("reopens a stream that failed, until stopped", async () => {
    vi.useFakeTimers();
    try {
      const f = vi.fn<typeof fetch>(async () => {
        throw new TypeError("Failed to fetch");
      });
      const api = new HttpApi({ fetch: f });
      const stop = api.subscribe(() => undefined);
      await vi.advanceTimersByTimeAsync(0);
      expect(f).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(2000);
      expect(f).toHaveBeenCalledTimes(2);
      stop();
      await vi.advanceTimersByTimeAsync(10000);
      expect(f).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

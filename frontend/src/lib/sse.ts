/**
 * An incremental parser of a Server-Sent Events stream (the WHATWG "event
 * stream" format, as `GET /api/events` writes it): feed it the text as it
 * arrives, in chunks cut anywhere, and it returns the complete events.
 * Comment lines (": …") and fields other than event, data and id are
 * ignored; an event without data is not dispatched, as in EventSource.
 */
export interface SseEvent {
  event: string;
  data: string;
  id: string;
}

/** MAX_PENDING bounds the text kept waiting for a line's end (1 MiB). */
export const MAX_PENDING = 1 << 20;

export class SseParser {
  private pending = "";
  private event = "";
  private data: string[] = [];
  private id = "";

  /** push adds a chunk and returns the events it completed, in order. */
  push(chunk: string): SseEvent[] {
    this.pending += chunk;
    const out: SseEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.pending);
      if (!m) break;
      // A lone "\r" at the end may be the first half of "\r\n".
      if (m[0] === "\r" && m.index === this.pending.length - 1) break;
      const line = this.pending.slice(0, m.index);
      this.pending = this.pending.slice(m.index + m[0].length);
      this.line(line, out);
    }
    if (this.pending.length > MAX_PENDING) this.pending = ""; // a broken stream: drop the runaway line
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === "") {
      if (this.data.length > 0) out.push({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return;
    const i = line.indexOf(":");
    const field = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? "" : line.slice(i + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
    else if (field === "id" && !value.includes("\0")) this.id = value;
  }
}

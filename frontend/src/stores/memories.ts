import { computed, signal } from "@preact/signals";
import type { Api, Memory, MemoryHistory, MemoryHit } from "../api";
import { toApiError } from "../api";
import { isDay } from "../lib/timeline";

/** MemoryState is how a memory stands today: still true, true once, or forgotten. */
export type MemoryState = "current" | "past" | "deleted";

/** stateOf says whether m holds now, held once (its validity ended) or was deleted. */
export function stateOf(m: Memory, now: Date = new Date()): MemoryState {
  if (m.state === "deleted") return "deleted";
  if (m.valid_to) {
    const end = new Date(m.valid_to);
    if (!Number.isNaN(end.getTime()) && end <= now) return "past";
  }
  return "current";
}

/** MemoryFilter is what the memories view shows: words to find, a kind ("" for any) and states. */
export interface MemoryFilter {
  q: string;
  kind: string;
  states: ReadonlySet<MemoryState>;
}

/** filterMemories keeps the memories that match f: every word of f.q in the text, of f.kind, in one of f.states. (A memory's subject and attribute are never in its JSON: store.Memory's json:"-".) */
export function filterMemories(items: Memory[], f: MemoryFilter, now: Date = new Date()): Memory[] {
  const words = f.q.toLowerCase().split(/\s+/).filter((w) => w !== "");
  return items.filter((m) => {
    if (f.kind && m.kind !== f.kind) return false;
    if (!f.states.has(stateOf(m, now))) return false;
    const text = m.memory.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** MemoriesStore is the memories view: one user's list, edits and history. */
export class MemoriesStore {
  readonly user = signal("local");
  readonly items = signal<Memory[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly editing = signal<string | null>(null);
  readonly history = signal<MemoryHistory | null>(null);
  readonly query = signal("");
  readonly kind = signal("");
  readonly states = signal<ReadonlySet<MemoryState>>(new Set(["current"]));
  /** The memories the filters keep, newest first. */
  readonly shown = computed(() => filterMemories(this.items.value, { q: this.query.value, kind: this.kind.value, states: this.states.value }));
  /** A day (YYYY-MM-DD) to answer from valid time ("where did I live on DATE"); "" for now. */
  readonly asOf = signal("");
  /** The answer to the query as of that day, best first; null when no as-of question is asked. */
  readonly asOfHits = signal<MemoryHit[] | null>(null);
  /** The kinds among the memories, for the kind filter. */
  readonly kinds = computed(() => [...new Set(this.items.value.map((m) => m.kind).filter((k) => k))].sort());

  constructor(private readonly api: Api) {}

  private async guard(op: string, f: () => Promise<void>): Promise<boolean> {
    try {
      this.error.value = null;
      await f();
      return true;
    } catch (e) {
      this.error.value = toApiError(op, e).message;
      return false;
    }
  }

  load(): Promise<boolean> {
    return this.guard("memories", async () => {
      this.items.value = await this.api.allMemories(this.user.value);
      this.loaded.value = true;
    });
  }

  /**
   * refresh reloads what the view shows after a change made elsewhere (a
   * memory added through MCP or the CLI): the list, the open history and
   * the as-of answer.
   */
  async refresh(): Promise<void> {
    await this.load();
    const h = this.history.value;
    if (h) await this.showHistory(h.id);
    if (this.asOfHits.value !== null) await this.askAsOf();
  }

  /** askAsOf answers the query from valid time on the asOf day; without a day or a query it clears the answer. */
  askAsOf(): Promise<boolean> {
    const d = this.asOf.value.trim();
    const q = this.query.value.trim();
    if (d === "" || q === "") {
      this.asOfHits.value = null;
      return Promise.resolve(true);
    }
    if (!isDay(d)) {
      this.error.value = `“${d}” is not a day: give it as YYYY-MM-DD.`;
      return Promise.resolve(false);
    }
    return this.guard("memory search", async () => {
      this.asOfHits.value = await this.api.searchMemories(this.user.value, q, { as_of: d, kind: this.kind.value || undefined });
    });
  }

  /** confirm records that the user checked memory id. */
  async confirm(id: string): Promise<boolean> {
    const ok = await this.guard("confirm memory", async () => {
      await this.api.confirmMemory(this.user.value, id);
      this.notice.value = "Memory confirmed.";
    });
    if (ok && this.history.value?.id === id) await this.showHistory(id);
    return ok && (await this.load());
  }

  /** undo reverts event ("<id>@<version>"): the memory returns to its state before it. */
  async undo(id: string, event: string): Promise<boolean> {
    const ok = await this.guard("undo", async () => {
      await this.api.undoMemory(this.user.value, event);
      this.notice.value = "Undone; the undo is in the memory's history.";
    });
    if (ok && this.history.value?.id === id) await this.showHistory(id);
    return ok && (await this.load());
  }

  async add(text: string): Promise<boolean> {
    if (text.trim() === "") return false;
    const ok = await this.guard("add memory", async () => {
      const evs = await this.api.addMemory(this.user.value, text);
      this.notice.value = describe(evs);
    });
    return ok && (await this.load());
  }

  async edit(id: string, text: string): Promise<boolean> {
    const ok = await this.guard("edit memory", async () => {
      await this.api.editMemory(this.user.value, id, text);
      this.editing.value = null;
      this.notice.value = "Memory updated; the old version is in its history.";
    });
    if (ok && this.history.value?.id === id) await this.showHistory(id);
    return ok && (await this.load());
  }

  async remove(id: string): Promise<boolean> {
    const ok = await this.guard("delete memory", async () => {
      await this.api.deleteMemory(this.user.value, id);
      this.notice.value = "Memory forgotten; its history keeps it.";
      if (this.history.value?.id === id) this.history.value = null;
    });
    return ok && (await this.load());
  }

  /** toggleState shows or hides the memories in state st. */
  toggleState(st: MemoryState): void {
    const next = new Set(this.states.value);
    if (!next.delete(st)) next.add(st);
    this.states.value = next;
  }

  showHistory(id: string): Promise<boolean> {
    return this.guard("memory history", async () => {
      this.history.value = await this.api.memoryHistory(this.user.value, id);
    });
  }
}

function describe(evs: { event: string }[]): string {
  const n = (e: string) => evs.filter((x) => x.event === e).length;
  const parts: string[] = [];
  if (n("ADD")) parts.push(`${n("ADD")} added`);
  if (n("UPDATE")) parts.push(`${n("UPDATE")} updated`);
  if (n("DELETE")) parts.push(`${n("DELETE")} forgotten`);
  return parts.length ? `Remembered: ${parts.join(", ")}.` : "Nothing new to remember in that.";
}

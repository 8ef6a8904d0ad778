import { signal } from "@preact/signals";
import type { Api, Memory, MemoryHistory } from "../api";
import { toApiError } from "../api";

/** MemoriesStore is the memories view: one user's list, edits and history. */
export class MemoriesStore {
  readonly user = signal("local");
  readonly items = signal<Memory[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly editing = signal<string | null>(null);
  readonly history = signal<MemoryHistory | null>(null);

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
      this.items.value = await this.api.memories(this.user.value);
      this.loaded.value = true;
    });
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

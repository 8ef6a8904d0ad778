import { signal } from "@preact/signals";
import type { Api, DictEntry, Settings, WorkspaceInfo } from "../api";
import { toApiError } from "../api";

/** SettingsStore is the settings view: limits, workspaces, dictionary. */
export class SettingsStore {
  readonly settings = signal<Settings | null>(null);
  readonly workspaces = signal<WorkspaceInfo[]>([]);
  readonly dict = signal<DictEntry[]>([]);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);

  constructor(private readonly api: Api) {}

  private async guard(op: string, f: () => Promise<void>): Promise<void> {
    try {
      this.error.value = null;
      await f();
    } catch (e) {
      this.error.value = toApiError(op, e).message;
    }
  }

  load(): Promise<void> {
    return this.guard("settings", async () => {
      const [s, w, d] = await Promise.all([this.api.settings(), this.api.workspaces(), this.api.dictionary()]);
      this.settings.value = s;
      this.workspaces.value = w;
      this.dict.value = d;
    });
  }

  set(key: string, value: string): Promise<void> {
    return this.guard("settings", async () => {
      this.settings.value = await this.api.setSetting(key, value);
      this.notice.value = "Saved. The next import uses it.";
    });
  }

  createWorkspace(name: string): Promise<void> {
    return this.guard("create workspace", async () => {
      this.workspaces.value = await this.api.createWorkspace(name);
    });
  }

  addEntry(kind: string, term: string, expansions: string): Promise<void> {
    const ex = expansions
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    return this.guard("dictionary", async () => {
      this.dict.value = await this.api.dictAdd(kind, term, ex);
    });
  }

  removeEntry(kind: string, term: string): Promise<void> {
    return this.guard("dictionary", async () => {
      this.dict.value = await this.api.dictRemove(kind, term);
    });
  }
}

import { signal } from "@preact/signals";
import type { Api, DictEntry, EmbedStatus, LLMSettings, Settings, WorkspaceInfo } from "../api";
import { toApiError } from "../api";

/** SettingsStore is the settings view: limits, workspaces, dictionary. */
export class SettingsStore {
  readonly settings = signal<Settings | null>(null);
  readonly workspaces = signal<WorkspaceInfo[]>([]);
  readonly dict = signal<DictEntry[]>([]);
  readonly error = signal<string | null>(null);
  readonly notice = signal<string | null>(null);
  readonly llm = signal<LLMSettings | null>(null);
  /** Search by meaning's state in the current workspace; null until asked or when it cannot be asked. */
  readonly embed = signal<EmbedStatus | null>(null);

  /** current is the workspace the UI works in ("" until known: the default). */
  readonly current = signal("");
  /** onSwitch runs after a switch, to reload what the other views show. */
  onSwitch: (name: string) => void = () => undefined;

  constructor(private readonly api: Api) {
    this.current.value = api.workspace;
  }

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
      this.current.value = s.workspace;
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

  /** loadWorkspaces reads the list of workspaces alone (the palette's switch actions). */
  loadWorkspaces(): Promise<void> {
    return this.guard("workspaces", async () => {
      this.workspaces.value = await this.api.workspaces();
    });
  }

  /** createAndSwitch creates a workspace (its name made safe by the backend) and works in it. */
  createAndSwitch(name: string): Promise<void> {
    return this.guard("create workspace", async () => {
      const before = new Set(this.workspaces.value.map((w) => w.name));
      this.workspaces.value = await this.api.createWorkspace(name);
      const made = this.workspaces.value.find((w) => !before.has(w.name));
      if (made) await this.switchWorkspace(made.name);
    });
  }

  /** deleteWorkspace removes a workspace and everything in it; the caller has asked for confirmation. */
  deleteWorkspace(name: string): Promise<void> {
    return this.guard("delete workspace", async () => {
      this.workspaces.value = await this.api.deleteWorkspace(name);
      this.notice.value = `Deleted the workspace ${name}.`;
      if (name === this.current.value) {
        const d = this.workspaces.value.find((w) => w.default);
        if (d) await this.switchWorkspace(d.name);
      }
    });
  }

  /** repair rebuilds the index and graph from the store where they disagree, and says what it did. */
  repair(): Promise<void> {
    this.notice.value = "Repairing: checking every document against the index and graph…";
    return this.guard("repair", async () => {
      const r = await this.api.repair();
      const n = (r.problems ?? []).length;
      this.notice.value = r.ok
        ? `Repaired: ${r.documents} documents checked, ${n === 0 ? "nothing needed fixing" : `${n} ${n === 1 ? "problem" : "problems"} fixed`}.`
        : `Repair ran but problems remain: ${(r.problems ?? []).join("; ")}`;
    });
  }

  /** loadLLM reads the language model memory extraction uses. */
  loadLLM(): Promise<void> {
    return this.guard("settings", async () => {
      this.llm.value = await this.api.llm();
    });
  }

  /** loadEmbed asks for search by meaning's state (endpoint up or down, documents embedded, progress). */
  async loadEmbed(): Promise<void> {
    try {
      this.embed.value = await this.api.embedStatus();
    } catch {
      this.embed.value = null;
    }
  }

  /** setEmbed stores the embedding endpoint ("" turns search by meaning off) and model; embedding restarts in the background. */
  setEmbed(endpoint: string, model: string): Promise<void> {
    return this.guard("settings", async () => {
      await this.api.setSetting("embed.endpoint", endpoint.trim());
      if (model.trim() !== "") await this.api.setSetting("embed.model", model.trim());
      this.settings.value = await this.api.settings();
      this.notice.value = endpoint.trim()
        ? "Saved. Documents are embedded in the background; search by meaning joins in as they are."
        : "Saved. Search finds documents by their words only.";
      await this.loadEmbed();
    });
  }

  /** setLLM stores the endpoint and model; memory extraction uses them from the next start. */
  setLLM(endpoint: string, model: string): Promise<void> {
    return this.guard("settings", async () => {
      await this.api.setSetting("memory.llm_endpoint", endpoint.trim());
      await this.api.setSetting("memory.llm_model", model.trim());
      this.llm.value = await this.api.llm();
      this.notice.value = endpoint.trim()
        ? "Saved. Memory extraction asks this model from the next start of Engram."
        : "Saved. Memory extraction uses the offline rules from the next start.";
    });
  }

  createWorkspace(name: string): Promise<void> {
    return this.guard("create workspace", async () => {
      this.workspaces.value = await this.api.createWorkspace(name);
    });
  }

  /** switchWorkspace makes every view work in workspace name. */
  switchWorkspace(name: string): Promise<void> {
    return this.guard("switch workspace", async () => {
      this.api.setWorkspace(name);
      saveWorkspace(name);
      this.current.value = name;
      this.notice.value = `Now working in ${name}.`;
      this.onSwitch(name);
      const [s, d] = await Promise.all([this.api.settings(), this.api.dictionary()]);
      this.settings.value = s;
      this.dict.value = d;
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

  /** switchBuiltIn turns a built-in entry off (its term stops expanding) or back on, as shipped. */
  switchBuiltIn(d: DictEntry, on: boolean): Promise<void> {
    return this.guard("dictionary", async () => {
      this.dict.value = on ? await this.api.dictAdd(d.kind, d.term, d.expansions) : await this.api.dictRemove(d.kind, d.term);
    });
  }

  removeEntry(kind: string, term: string): Promise<void> {
    return this.guard("dictionary", async () => {
      this.dict.value = await this.api.dictRemove(kind, term);
    });
  }
}

const WORKSPACE_KEY = "engram.workspace";

/** savedWorkspace is the workspace chosen last time on this machine, or "". */
export function savedWorkspace(): string {
  try {
    return globalThis.localStorage?.getItem(WORKSPACE_KEY) ?? "";
  } catch {
    return "";
  }
}

function saveWorkspace(name: string): void {
  try {
    globalThis.localStorage?.setItem(WORKSPACE_KEY, name);
  } catch {
    // No storage (private mode): the choice lasts for this session.
  }
}

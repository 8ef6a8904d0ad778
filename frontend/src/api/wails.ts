// The only module that imports the generated Wails bindings.
import * as ConnectorsService from "./wailsjs/go/app/ConnectorsService";
import * as GapsService from "./wailsjs/go/app/GapsService";
import * as ImportService from "./wailsjs/go/app/ImportService";
import * as MemoryService from "./wailsjs/go/app/MemoryService";
import * as SearchService from "./wailsjs/go/app/SearchService";
import * as SettingsService from "./wailsjs/go/app/SettingsService";
import * as TeamService from "./wailsjs/go/app/TeamService";
import { BrowserOpenURL, EventsOn } from "./wailsjs/runtime/runtime";
import type { Api } from "./api";
import { toApiError } from "./errors";
import type {
  ConnectorStatus,
  ConnectStart,
  DictEntry,
  Gap,
  GapGroup,
  GapsResult,
  GapsState,
  Doc,
  Facet,
  ImportProgress,
  Info,
  LLMSettings,
  RepairReport,
  ChangeEvent,
  EmbedStatus,
  Job,
  Memory,
  MemoryHit,
  MemorySearchOptions,
  SearchMode,
  MemoryEvent,
  MemoryHistory,
  Neighbors,
  NoteLinks,
  SearchHit,
  SearchResult,
  Entity,
  Team,
  TeamFollowed,
  TeamOverview,
  TeamPerson,
  TeamProgress,
  TeamRemote,
  TeamSignIn,
  Settings,
  ThreadMessage,
  WorkspaceInfo,
} from "./types";
import { asList, fromConnectors, fromDoc, fromGap, fromGapGroups, fromInfo, fromJob, fromLinks, fromNeighbors, fromProgress, fromSearchHit, fromSearchResult, fromTeam, fromTeams, fromThread } from "./wire";

/** hasWailsRuntime reports whether the page runs inside the desktop window. */
export function hasWailsRuntime(): boolean {
  const w = window as unknown as { go?: { app?: { SearchService?: unknown } } };
  return w.go?.app?.SearchService !== undefined;
}

/** call runs a binding and turns its rejection into an ApiError for op. */
async function call<T>(op: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw toApiError(op, e);
  }
}

// The generated models are classes with the same JSON fields as our types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = <T>(v: any): T => v as T;

/** WailsApi is the Api of the desktop window. */
export class WailsApi implements Api {
  readonly canPickFolder = true;
  workspace = "";

  setWorkspace(name: string): void {
    this.workspace = name.trim();
  }

  search(query: string, limit: number, offset: number, mode: SearchMode = ""): Promise<SearchResult> {
    return call("search", async () => fromSearchResult(json(await SearchService.SearchMode(this.workspace, query, mode, limit, offset))));
  }
  embedStatus(): Promise<EmbedStatus> {
    return call("search by meaning", async () => json(await SearchService.EmbedStatus(this.workspace)));
  }
  facets(query: string): Promise<Record<string, Facet[]>> {
    return call("search", async () => (await SearchService.Facets(this.workspace, query)) ?? {});
  }
  info(): Promise<Info> {
    return call("info", async () => fromInfo(await SearchService.Info(this.workspace)));
  }
  document(id: string): Promise<Doc> {
    return call("document", async () => fromDoc(json(await SearchService.Document(this.workspace, id))));
  }
  thread(id: string): Promise<ThreadMessage[]> {
    return call("thread", async () => fromThread(json(await SearchService.Thread(this.workspace, id))));
  }
  neighbors(name: string, depth: number): Promise<Neighbors> {
    return call("graph", async () => fromNeighbors(json(await SearchService.Neighbors(this.workspace, name, depth))));
  }
  resolveNote(target: string): Promise<SearchHit> {
    return call("open note", async () => fromSearchHit(json(await SearchService.ResolveNote(this.workspace, target))));
  }
  links(id: string): Promise<NoteLinks> {
    return call("links", async () => fromLinks(json(await SearchService.Links(this.workspace, id))));
  }
  suggest(prefix: string, limit: number): Promise<Entity[]> {
    return call("suggest", async () => asList(json<Entity[]>(await SearchService.Suggest(this.workspace, prefix, limit))));
  }

  memories(user: string): Promise<Memory[]> {
    return call("memories", async () => asList(json<{ memories: Memory[] }>(await MemoryService.List(this.workspace, user)).memories));
  }
  allMemories(user: string): Promise<Memory[]> {
    return call("memories", async () => asList(json<{ memories: Memory[] }>(await MemoryService.ListAll(this.workspace, user)).memories));
  }
  addMemory(user: string, text: string): Promise<MemoryEvent[]> {
    return call("add memory", async () => asList(json<{ events: MemoryEvent[] }>(await MemoryService.Add(this.workspace, user, text)).events));
  }
  editMemory(user: string, id: string, text: string): Promise<MemoryEvent[]> {
    return call("edit memory", async () => asList(json<{ events: MemoryEvent[] }>(await MemoryService.Edit(this.workspace, user, id, text)).events));
  }
  deleteMemory(user: string, id: string): Promise<MemoryEvent[]> {
    return call("delete memory", async () => asList(json<{ events: MemoryEvent[] }>(await MemoryService.Delete(this.workspace, user, id)).events));
  }
  memoryHistory(user: string, id: string): Promise<MemoryHistory> {
    return call("memory history", async () => {
      const h = json<MemoryHistory>(await MemoryService.History(this.workspace, user, id));
      return { ...h, versions: asList(h.versions) };
    });
  }

  searchMemories(user: string, query: string, opts: MemorySearchOptions): Promise<MemoryHit[]> {
    return call("memory search", async () =>
      asList(json<{ hits: MemoryHit[] }>(await MemoryService.Search(this.workspace, user, query, json(opts))).hits),
    );
  }
  confirmMemory(user: string, id: string): Promise<MemoryEvent[]> {
    return call("confirm memory", async () => asList(json<{ events: MemoryEvent[] }>(await MemoryService.Confirm(this.workspace, user, id)).events));
  }
  undoMemory(user: string, event: string): Promise<MemoryEvent[]> {
    return call("undo", async () => asList(json<{ events: MemoryEvent[] }>(await MemoryService.Undo(this.workspace, user, event)).events));
  }
  /** subscribe follows the "engram:changes" event main.go emits for the container's change feed. */
  subscribe(onChange: (e: ChangeEvent) => void): () => void {
    return EventsOn("engram:changes", (e: ChangeEvent) => onChange(e));
  }

  startImport(path: string): Promise<string> {
    return call("import", () => ImportService.Start(this.workspace, path));
  }
  cancelImport(jobID: string): Promise<boolean> {
    return call("cancel import", () => ImportService.Cancel(jobID));
  }
  watchImport(jobID: string, onProgress: (p: ImportProgress) => void): () => void {
    let done = false;
    const off = EventsOn(`import:progress:${jobID}`, (p: ImportProgress) => {
      if (done) return;
      const v = fromProgress(p);
      onProgress(v);
      if (v.finished) stop();
    });
    const stop = () => {
      done = true;
      off();
    };
    // The job may have moved on (or ended) before the subscription.
    void ImportService.Progress(jobID).then(
      (p) => {
        if (!done) {
          const v = fromProgress(json(p));
          onProgress(v);
          if (v.finished) stop();
        }
      },
      () => undefined,
    );
    return stop;
  }
  jobs(): Promise<Job[]> {
    return call("jobs", async () => asList(json<Job[]>(await ImportService.Jobs(this.workspace))).map(fromJob));
  }
  pickFolder(): Promise<string | null> {
    return call("folder dialog", async () => (await ImportService.PickFolder()) || null);
  }

  openExternal(url: string): void {
    BrowserOpenURL(url);
  }

  settings(): Promise<Settings> {
    return call("settings", async () => json(await SettingsService.Get(this.workspace)));
  }
  setSetting(key: string, value: string): Promise<Settings> {
    return call("settings", async () => json(await SettingsService.Set(this.workspace, key, value)));
  }
  workspaces(): Promise<WorkspaceInfo[]> {
    return call("workspaces", async () => asList(json<WorkspaceInfo[]>(await SettingsService.Workspaces())));
  }
  createWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return call("create workspace", async () => asList(json<WorkspaceInfo[]>(await SettingsService.CreateWorkspace(name))));
  }
  deleteWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return call("delete workspace", async () => asList(json<WorkspaceInfo[]>(await SettingsService.DeleteWorkspace(name))));
  }
  llm(): Promise<LLMSettings> {
    return call("settings", async () => json(await SettingsService.LLM()));
  }
  repair(): Promise<RepairReport> {
    return call("repair", async () => json(await SettingsService.Repair(this.workspace)));
  }
  dictionary(): Promise<DictEntry[]> {
    return call("dictionary", async () => asList(json<DictEntry[]>(await SettingsService.Dictionary(this.workspace))));
  }
  dictAdd(kind: string, term: string, expansions: string[]): Promise<DictEntry[]> {
    return call("dictionary", async () => asList(json<DictEntry[]>(await SettingsService.DictAdd(this.workspace, kind, term, expansions))));
  }
  dictRemove(kind: string, term: string): Promise<DictEntry[]> {
    return call("dictionary", async () => asList(json<DictEntry[]>(await SettingsService.DictRemove(this.workspace, kind, term))));
  }

  gapGroups(): Promise<GapGroup[]> {
    return call("gaps", async () => fromGapGroups(json(await GapsService.Groups(this.workspace))));
  }
  dismissedGaps(): Promise<Gap[]> {
    return call("gaps", async () => asList(json<{ gaps: Gap[] | null }>(await GapsService.List(this.workspace, json({ kind: "", person: "", since: "", dismissed: true, limit: 0 }))).gaps).map(fromGap));
  }
  gapsState(): Promise<GapsState> {
    return call("gaps", async () => json(await GapsService.State(this.workspace)));
  }
  dismissGap(id: string): Promise<void> {
    return call("dismiss gap", () => GapsService.Dismiss(this.workspace, id));
  }
  restoreGap(id: string): Promise<void> {
    return call("restore gap", () => GapsService.Restore(this.workspace, id));
  }
  analyzeGaps(): Promise<GapsResult> {
    return call("analyse gaps", async () => json(await GapsService.Analyze(this.workspace)));
  }

  connectors(): Promise<ConnectorStatus[]> {
    return call("connectors", async () => fromConnectors(json(await ConnectorsService.List())));
  }
  startConnect(name: string): Promise<ConnectStart> {
    return call("connect", async () => json(await ConnectorsService.StartConnect(this.workspace, name)));
  }
  connectError(name: string): Promise<string> {
    return call("connect", () => ConnectorsService.ConnectError(name));
  }
  syncConnector(name: string): Promise<ConnectorStatus> {
    return call("sync", async () => json(await ConnectorsService.Sync(name)));
  }
  disconnect(name: string): Promise<ConnectorStatus[]> {
    return call("disconnect", async () => fromConnectors(json(await ConnectorsService.Disconnect(name))));
  }

  team(): Promise<TeamOverview> {
    return call("team", async () => fromTeam(json(await TeamService.Overview())));
  }
  teamSignIn(): Promise<TeamSignIn> {
    return call("team sign-in", async () => json(await TeamService.SignIn()));
  }
  teamLogin(server: string): Promise<string> {
    return call("team sign-in", () => TeamService.StartLogin(server));
  }
  teamStart(kind: "push" | "pull", ws: string): Promise<string> {
    return call(kind, () => (kind === "push" ? TeamService.StartPush(ws) : TeamService.StartPull(ws)));
  }
  /** watchTeam follows the "team:progress:<id>" events app.TeamService emits, and reads the job once in case it moved on before the subscription. */
  watchTeam(jobID: string, onProgress: (p: TeamProgress) => void): () => void {
    let done = false;
    const seen = (p: TeamProgress) => {
      if (done) return;
      onProgress(p);
      if (p.finished) stop();
    };
    const off = EventsOn(`team:progress:${jobID}`, seen);
    const stop = () => {
      done = true;
      off();
    };
    void TeamService.Job(jobID).then(
      (p) => seen(json(p)),
      () => undefined,
    );
    return stop;
  }
  teams(): Promise<Team[]> {
    return call("teams", async () => fromTeams(json(await TeamService.Teams())));
  }
  makeTeam(name: string): Promise<Team> {
    return call("new team", async () => fromTeams([json(await TeamService.MakeTeam(name))])[0]!);
  }
  addTeammate(team: string, email: string): Promise<TeamPerson> {
    return call("add teammate", async () => json(await TeamService.AddMember(team, email)));
  }
  removeTeammate(team: string, email: string): Promise<void> {
    return call("remove teammate", () => TeamService.RemoveMember(team, email));
  }
  leaveTeam(team: string): Promise<void> {
    return call("leave team", () => TeamService.Leave(team));
  }
  shareWorkspace(ws: string, team: string): Promise<void> {
    return call("share", () => TeamService.Share(ws, team));
  }
  teamRemotes(): Promise<TeamRemote[]> {
    return call("team workspaces", async () => asList(json(await TeamService.Remotes())));
  }
  followWorkspace(id: string, local: string): Promise<TeamFollowed> {
    return call("follow", async () => json(await TeamService.Follow(id, local)));
  }
}

// The only module that calls the generated Wails bindings (wailsjs/go/app/);
// their results are typed by the generated models and go through the same
// conversions (wire.ts) as the HTTP client's.
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
import { app } from "./wailsjs/go/models";
import {
  asList,
  fromConnector,
  fromConnectors,
  fromDictionary,
  fromDoc,
  fromFacets,
  fromGapGroups,
  fromGapsList,
  fromInfo,
  fromJob,
  fromLinks,
  fromMemoryEvents,
  fromMemoryHistory,
  fromMemoryList,
  fromMemorySearch,
  fromNeighbors,
  fromProgress,
  fromSearchHit,
  fromSearchResult,
  fromSignIn,
  fromTeam,
  fromTeams,
  fromThread,
  type WireImportProgress,
  type WireTeamProgress,
} from "./wire";

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

// The bindings are typed by the generated models (wailsjs/go/models.ts) and
// deliver their plain JSON (the classes are never constructed), which is
// what the conversions in wire.ts take: the same ones HttpApi uses.

/** WailsApi is the Api of the desktop window. */
export class WailsApi implements Api {
  readonly canPickFolder = true;
  workspace = "";

  setWorkspace(name: string): void {
    this.workspace = name.trim();
  }

  search(query: string, limit: number, offset: number, mode: SearchMode = ""): Promise<SearchResult> {
    return call("search", async () => fromSearchResult(await SearchService.SearchMode(this.workspace, query, mode, limit, offset)));
  }
  embedStatus(): Promise<EmbedStatus> {
    return call("search by meaning", () => SearchService.EmbedStatus(this.workspace));
  }
  facets(query: string): Promise<Record<string, Facet[]>> {
    return call("search", async () => fromFacets(await SearchService.Facets(this.workspace, query)));
  }
  info(): Promise<Info> {
    return call("info", async () => fromInfo(await SearchService.Info(this.workspace)));
  }
  document(id: string): Promise<Doc> {
    return call("document", async () => fromDoc(await SearchService.Document(this.workspace, id)));
  }
  thread(id: string): Promise<ThreadMessage[]> {
    return call("thread", async () => fromThread(await SearchService.Thread(this.workspace, id)));
  }
  neighbors(name: string, depth: number): Promise<Neighbors> {
    return call("graph", async () => fromNeighbors(await SearchService.Neighbors(this.workspace, name, depth)));
  }
  resolveNote(target: string): Promise<SearchHit> {
    return call("open note", async () => fromSearchHit(await SearchService.ResolveNote(this.workspace, target)));
  }
  links(id: string): Promise<NoteLinks> {
    return call("links", async () => fromLinks(await SearchService.Links(this.workspace, id)));
  }
  suggest(prefix: string, limit: number): Promise<Entity[]> {
    return call("suggest", async () => asList(await SearchService.Suggest(this.workspace, prefix, limit)));
  }

  memories(user: string): Promise<Memory[]> {
    return call("memories", async () => fromMemoryList(await MemoryService.List(this.workspace, user)));
  }
  allMemories(user: string): Promise<Memory[]> {
    return call("memories", async () => fromMemoryList(await MemoryService.ListAll(this.workspace, user)));
  }
  addMemory(user: string, text: string): Promise<MemoryEvent[]> {
    return call("add memory", async () => fromMemoryEvents(await MemoryService.Add(this.workspace, user, text)));
  }
  editMemory(user: string, id: string, text: string): Promise<MemoryEvent[]> {
    return call("edit memory", async () => fromMemoryEvents(await MemoryService.Edit(this.workspace, user, id, text)));
  }
  deleteMemory(user: string, id: string): Promise<MemoryEvent[]> {
    return call("delete memory", async () => fromMemoryEvents(await MemoryService.Delete(this.workspace, user, id)));
  }
  memoryHistory(user: string, id: string): Promise<MemoryHistory> {
    return call("memory history", async () => fromMemoryHistory(await MemoryService.History(this.workspace, user, id)));
  }

  searchMemories(user: string, query: string, opts: MemorySearchOptions): Promise<MemoryHit[]> {
    return call("memory search", async () => fromMemorySearch(await MemoryService.Search(this.workspace, user, query, app.MemorySearchOptions.createFrom(opts))));
  }
  confirmMemory(user: string, id: string): Promise<MemoryEvent[]> {
    return call("confirm memory", async () => fromMemoryEvents(await MemoryService.Confirm(this.workspace, user, id)));
  }
  undoMemory(user: string, event: string): Promise<MemoryEvent[]> {
    return call("undo", async () => fromMemoryEvents(await MemoryService.Undo(this.workspace, user, event)));
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
    const off = EventsOn(`import:progress:${jobID}`, (p: WireImportProgress) => {
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
          const v = fromProgress(p);
          onProgress(v);
          if (v.finished) stop();
        }
      },
      () => undefined,
    );
    return stop;
  }
  jobs(): Promise<Job[]> {
    return call("jobs", async () => asList(await ImportService.Jobs(this.workspace)).map(fromJob));
  }
  pickFolder(): Promise<string | null> {
    return call("folder dialog", async () => (await ImportService.PickFolder()) || null);
  }

  openExternal(url: string): void {
    BrowserOpenURL(url);
  }

  settings(): Promise<Settings> {
    return call("settings", () => SettingsService.Get(this.workspace));
  }
  setSetting(key: string, value: string): Promise<Settings> {
    return call("settings", () => SettingsService.Set(this.workspace, key, value));
  }
  workspaces(): Promise<WorkspaceInfo[]> {
    return call("workspaces", async () => asList(await SettingsService.Workspaces()));
  }
  createWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return call("create workspace", async () => asList(await SettingsService.CreateWorkspace(name)));
  }
  deleteWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return call("delete workspace", async () => asList(await SettingsService.DeleteWorkspace(name)));
  }
  llm(): Promise<LLMSettings> {
    return call("settings", () => SettingsService.LLM());
  }
  repair(): Promise<RepairReport> {
    return call("repair", () => SettingsService.Repair(this.workspace));
  }
  dictionary(): Promise<DictEntry[]> {
    return call("dictionary", async () => fromDictionary(await SettingsService.Dictionary(this.workspace)));
  }
  dictAdd(kind: string, term: string, expansions: string[]): Promise<DictEntry[]> {
    return call("dictionary", async () => fromDictionary(await SettingsService.DictAdd(this.workspace, kind, term, expansions)));
  }
  dictRemove(kind: string, term: string): Promise<DictEntry[]> {
    return call("dictionary", async () => fromDictionary(await SettingsService.DictRemove(this.workspace, kind, term)));
  }

  gapGroups(): Promise<GapGroup[]> {
    return call("gaps", async () => fromGapGroups(await GapsService.Groups(this.workspace)));
  }
  dismissedGaps(): Promise<Gap[]> {
    return call("gaps", async () => fromGapsList(await GapsService.List(this.workspace, app.GapsFilter.createFrom({ kind: "", person: "", since: "", dismissed: true, limit: 0 }))));
  }
  gapsState(): Promise<GapsState> {
    return call("gaps", () => GapsService.State(this.workspace));
  }
  dismissGap(id: string): Promise<void> {
    return call("dismiss gap", () => GapsService.Dismiss(this.workspace, id));
  }
  restoreGap(id: string): Promise<void> {
    return call("restore gap", () => GapsService.Restore(this.workspace, id));
  }
  analyzeGaps(): Promise<GapsResult> {
    return call("analyse gaps", () => GapsService.Analyze(this.workspace));
  }

  connectors(): Promise<ConnectorStatus[]> {
    return call("connectors", async () => fromConnectors(await ConnectorsService.List()));
  }
  startConnect(name: string): Promise<ConnectStart> {
    return call("connect", () => ConnectorsService.StartConnect(this.workspace, name));
  }
  connectError(name: string): Promise<string> {
    return call("connect", () => ConnectorsService.ConnectError(name));
  }
  syncConnector(name: string): Promise<ConnectorStatus> {
    return call("sync", async () => fromConnector(await ConnectorsService.Sync(name)));
  }
  disconnect(name: string): Promise<ConnectorStatus[]> {
    return call("disconnect", async () => fromConnectors(await ConnectorsService.Disconnect(name)));
  }

  team(): Promise<TeamOverview> {
    return call("team", async () => fromTeam(await TeamService.Overview()));
  }
  teamSignIn(): Promise<TeamSignIn> {
    return call("team sign-in", async () => fromSignIn(await TeamService.SignIn()));
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
    const seen = (p: WireTeamProgress) => {
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
      (p) => seen(p),
      () => undefined,
    );
    return stop;
  }
  teams(): Promise<Team[]> {
    return call("teams", async () => fromTeams(await TeamService.Teams()));
  }
  makeTeam(name: string): Promise<Team> {
    return call("new team", async () => fromTeams([await TeamService.MakeTeam(name)])[0]!);
  }
  addTeammate(team: string, email: string): Promise<TeamPerson> {
    return call("add teammate", () => TeamService.AddMember(team, email));
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
    return call("team workspaces", async () => asList(await TeamService.Remotes()));
  }
  followWorkspace(id: string, local: string): Promise<TeamFollowed> {
    return call("follow", () => TeamService.Follow(id, local));
  }
}

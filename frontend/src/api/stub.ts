// StubApi is an Api whose every call rejects: tests extend it and override
// what they exercise.
import type { Api } from "./api";
import { ApiError } from "./errors";
import type * as T from "./types";

const no = <R>(op: string): Promise<R> => Promise.reject(new ApiError(`${op}: not in this test`, op));

export class StubApi implements Api {
  readonly canPickFolder: boolean = false;
  workspace = "";
  setWorkspace(name: string): void {
    this.workspace = name;
  }
  search(_q: string, _l: number, _o: number, _m?: T.SearchMode): Promise<T.SearchResult> {
    return no("search");
  }
  embedStatus(): Promise<T.EmbedStatus> {
    return no("search by meaning");
  }
  searchMemories(_u: string, _q: string, _o: T.MemorySearchOptions): Promise<T.MemoryHit[]> {
    return no("memory search");
  }
  confirmMemory(_u: string, _i: string): Promise<T.MemoryEvent[]> {
    return no("confirm memory");
  }
  undoMemory(_u: string, _e: string): Promise<T.MemoryEvent[]> {
    return no("undo");
  }
  subscribe(_f: (e: T.ChangeEvent) => void): () => void {
    return () => undefined;
  }
  facets(_q: string): Promise<Record<string, T.Facet[]>> {
    return no("facets");
  }
  info(): Promise<T.Info> {
    return no("info");
  }
  document(_id: string): Promise<T.Doc> {
    return no("document");
  }
  thread(_id: string): Promise<T.ThreadMessage[]> {
    return no("thread");
  }
  neighbors(_n: string, _d: number): Promise<T.Neighbors> {
    return no("graph");
  }
  resolveNote(_t: string): Promise<T.SearchHit> {
    return no("open note");
  }
  links(_id: string): Promise<T.NoteLinks> {
    return no("links");
  }
  suggest(_p: string, _l: number): Promise<T.Entity[]> {
    return no("suggest");
  }
  allMemories(_u: string): Promise<T.Memory[]> {
    return no("memories");
  }
  memories(_u: string): Promise<T.Memory[]> {
    return no("memories");
  }
  addMemory(_u: string, _t: string): Promise<T.MemoryEvent[]> {
    return no("add memory");
  }
  editMemory(_u: string, _i: string, _t: string): Promise<T.MemoryEvent[]> {
    return no("edit memory");
  }
  deleteMemory(_u: string, _i: string): Promise<T.MemoryEvent[]> {
    return no("delete memory");
  }
  memoryHistory(_u: string, _i: string): Promise<T.MemoryHistory> {
    return no("memory history");
  }
  startImport(_p: string): Promise<string> {
    return no("import");
  }
  cancelImport(_j: string): Promise<boolean> {
    return no("cancel import");
  }
  watchImport(_j: string, _f: (p: T.ImportProgress) => void): () => void {
    return () => undefined;
  }
  jobs(): Promise<T.Job[]> {
    return no("jobs");
  }
  pickFolder(): Promise<string | null> {
    return Promise.resolve(null);
  }
  openExternal(_url: string): void {}
  settings(): Promise<T.Settings> {
    return no("settings");
  }
  setSetting(_k: string, _v: string): Promise<T.Settings> {
    return no("settings");
  }
  workspaces(): Promise<T.WorkspaceInfo[]> {
    return no("workspaces");
  }
  createWorkspace(_n: string): Promise<T.WorkspaceInfo[]> {
    return no("create workspace");
  }
  deleteWorkspace(_n: string): Promise<T.WorkspaceInfo[]> {
    return no("delete workspace");
  }
  llm(): Promise<T.LLMSettings> {
    return no("settings");
  }
  repair(): Promise<T.RepairReport> {
    return no("repair");
  }
  dictionary(): Promise<T.DictEntry[]> {
    return no("dictionary");
  }
  dictAdd(_k: string, _t: string, _e: string[]): Promise<T.DictEntry[]> {
    return no("dictionary");
  }
  dictRemove(_k: string, _t: string): Promise<T.DictEntry[]> {
    return no("dictionary");
  }
  gapGroups(): Promise<T.GapGroup[]> {
    return no("gaps");
  }
  dismissedGaps(): Promise<T.Gap[]> {
    return no("gaps");
  }
  gapsState(): Promise<T.GapsState> {
    return no("gaps");
  }
  dismissGap(_id: string): Promise<void> {
    return no("dismiss gap");
  }
  restoreGap(_id: string): Promise<void> {
    return no("restore gap");
  }
  analyzeGaps(): Promise<T.GapsResult> {
    return no("analyse gaps");
  }
  connectors(): Promise<T.ConnectorStatus[]> {
    return no("connectors");
  }
  startConnect(_n: string): Promise<T.ConnectStart> {
    return no("connect");
  }
  connectError(_n: string): Promise<string> {
    return no("connect");
  }
  syncConnector(_n: string): Promise<T.ConnectorStatus> {
    return no("sync");
  }
  disconnect(_n: string): Promise<T.ConnectorStatus[]> {
    return no("disconnect");
  }
  team(): Promise<T.TeamOverview> {
    return no("team");
  }
  teamSignIn(): Promise<T.TeamSignIn> {
    return no("team sign-in");
  }
  teamLogin(_s: string): Promise<string> {
    return no("team sign-in");
  }
  teamStart(kind: "push" | "pull", _ws: string): Promise<string> {
    return no(kind);
  }
  watchTeam(_id: string, _on: (p: T.TeamProgress) => void): () => void {
    return () => undefined;
  }
  teams(): Promise<T.Team[]> {
    return no("teams");
  }
  makeTeam(_n: string): Promise<T.Team> {
    return no("new team");
  }
  addTeammate(_t: string, _e: string): Promise<T.TeamPerson> {
    return no("add teammate");
  }
  removeTeammate(_t: string, _e: string): Promise<void> {
    return no("remove teammate");
  }
  leaveTeam(_t: string): Promise<void> {
    return no("leave team");
  }
  shareWorkspace(_w: string, _t: string): Promise<void> {
    return no("share");
  }
  teamRemotes(): Promise<T.TeamRemote[]> {
    return no("team workspaces");
  }
  followWorkspace(_id: string, _l: string): Promise<T.TeamFollowed> {
    return no("follow");
  }
}

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

/**
 * Api is everything the UI asks of the backend. The desktop app implements it
 * over the Wails bindings (wails.ts); web mode (`engram serve`) implements
 * it over HTTP (http.ts). Every method rejects with an ApiError.
 */
export interface Api {
  /**
   * workspace is the workspace every call works in ("" is the default one);
   * setWorkspace switches it. Only the api layer knows how it travels (a
   * binding argument, or ?workspace= over HTTP).
   */
  readonly workspace: string;
  setWorkspace(name: string): void;

  /**
   * search returns a page of hits; its facets are empty (see facets). mode
   * is text, semantic or hybrid; "" (the default) is hybrid when an
   * embedding endpoint is set, else text. signal, when aborted, gives the
   * request up (a keystroke superseded it): over HTTP the server stops the
   * search and frees its core for the next one; the desktop's bindings
   * cannot be cancelled and let it finish.
   */
  search(query: string, limit: number, offset: number, mode?: SearchMode, signal?: AbortSignal): Promise<SearchResult>;
  /** embedStatus reports search by meaning: the endpoint's state and the background embedding's progress. */
  embedStatus(): Promise<EmbedStatus>;
  /** facets counts a query's matches by source, person and year: asked after the hits are painted, since counting costs more than the search; signal as for search. */
  facets(query: string, signal?: AbortSignal): Promise<Record<string, Facet[]>>;
  info(): Promise<Info>;
  document(id: string): Promise<Doc>;
  /** thread returns the messages of document id's mail thread in the store, oldest first. */
  thread(id: string): Promise<ThreadMessage[]>;
  neighbors(name: string, depth: number): Promise<Neighbors>;
  /** resolveNote returns the note a [[wikilink]] to target opens; it rejects (status 404) when none does. */
  resolveNote(target: string): Promise<SearchHit>;
  /** links returns document id's outgoing links and backlinks, each with its line. */
  links(id: string): Promise<NoteLinks>;
  /** suggest returns entities (people, notes, tags) whose names start with prefix, best known first. */
  suggest(prefix: string, limit: number): Promise<Entity[]>;

  memories(user: string): Promise<Memory[]>;
  /** allMemories returns user's memories with the past and deleted ones (their state says which). */
  allMemories(user: string): Promise<Memory[]>;
  addMemory(user: string, text: string): Promise<MemoryEvent[]>;
  editMemory(user: string, id: string, text: string): Promise<MemoryEvent[]>;
  deleteMemory(user: string, id: string): Promise<MemoryEvent[]>;
  memoryHistory(user: string, id: string): Promise<MemoryHistory>;
  /** searchMemories finds user's memories, best first; opts.as_of answers from valid time (as things stood that day). */
  searchMemories(user: string, query: string, opts: MemorySearchOptions): Promise<MemoryHit[]>;
  /** confirmMemory records that the user checked a machine-made memory. */
  confirmMemory(user: string, id: string): Promise<MemoryEvent[]>;
  /** undoMemory reverts event ("<id>@<version>", the memory's latest); the undo is in the history. */
  undoMemory(user: string, event: string): Promise<MemoryEvent[]>;

  /**
   * subscribe calls onChange for every change the backend publishes (a
   * memory written by any face, an import that ended) until the returned
   * function is called; a dropped connection is retried.
   */
  subscribe(onChange: (e: ChangeEvent) => void): () => void;

  /** startImport begins importing path and resolves to the job's ID at once. */
  startImport(path: string): Promise<string>;
  cancelImport(jobID: string): Promise<boolean>;
  /**
   * watchImport calls onProgress with the job's throttled progress (events in
   * the desktop app, polling over HTTP) until the final state; it returns a
   * function that stops watching.
   */
  watchImport(jobID: string, onProgress: (p: ImportProgress) => void): () => void;
  jobs(): Promise<Job[]>;
  /** pickFolder opens a native folder dialog; null where there is none (browser). */
  pickFolder(): Promise<string | null>;
  readonly canPickFolder: boolean;

  /** openExternal opens a web or mail address outside the app (the system browser or mail program). */
  openExternal(url: string): void;
  settings(): Promise<Settings>;
  setSetting(key: string, value: string): Promise<Settings>;
  workspaces(): Promise<WorkspaceInfo[]>;
  createWorkspace(name: string): Promise<WorkspaceInfo[]>;
  deleteWorkspace(name: string): Promise<WorkspaceInfo[]>;
  llm(): Promise<LLMSettings>;
  /** repair rebuilds the workspace's index and graph from the store where they disagree (`engram doctor --repair`). */
  repair(): Promise<RepairReport>;
  dictionary(): Promise<DictEntry[]>;
  dictAdd(kind: string, term: string, expansions: string[]): Promise<DictEntry[]>;
  dictRemove(kind: string, term: string): Promise<DictEntry[]>;

  /** gapGroups returns the open gaps grouped by kind, every kind present, in a fixed order. */
  gapGroups(): Promise<GapGroup[]>;
  /** dismissedGaps returns the dismissed gaps, grouped by kind in the same order. */
  dismissedGaps(): Promise<Gap[]>;
  /** gapsState tells a workspace never analysed from one without gaps. */
  gapsState(): Promise<GapsState>;
  dismissGap(id: string): Promise<void>;
  restoreGap(id: string): Promise<void>;
  /** analyzeGaps runs the analysis now over what changed and resolves when it has run. */
  analyzeGaps(): Promise<GapsResult>;

  /** connectors returns gmail, slack and box with their status, connected or not. */
  connectors(): Promise<ConnectorStatus[]>;
  /** startConnect begins a sign-in and resolves to the address to open; it completes in the background. */
  startConnect(name: string): Promise<ConnectStart>;
  /** connectError is why the last sign-in of name failed, "" when it did not (or has not ended). */
  connectError(name: string): Promise<string>;
  /** syncConnector syncs name now and resolves to its status after (poll connectors meanwhile for the counts). */
  syncConnector(name: string): Promise<ConnectorStatus>;
  /** disconnect removes name's tokens and record (its documents stay) and returns the statuses after. */
  disconnect(name: string): Promise<ConnectorStatus[]>;

  /** team returns the Team view's state: the sign-in, the shared workspaces with their conflicts, the unshared ones. */
  team(): Promise<TeamOverview>;
  /** teamSignIn returns the sign-in's state alone: what a view polls while a sign-in waits for the browser. */
  teamSignIn(): Promise<TeamSignIn>;
  /** teamLogin begins the sign-in to the team server at server and resolves to the address to open; it completes in the background. */
  teamLogin(server: string): Promise<string>;
  /** teamStart begins a push or pull of workspace ws and resolves to the job's ID at once. */
  teamStart(kind: "push" | "pull", ws: string): Promise<string>;
  /**
   * watchTeam calls onProgress with the job's throttled progress (events in
   * the desktop app, polling over HTTP) until the final state; it returns a
   * function that stops watching.
   */
  watchTeam(jobID: string, onProgress: (p: TeamProgress) => void): () => void;
  /** teams lists the user's teams on the team server, with the rosters of those they administer. */
  teams(): Promise<Team[]>;
  /** makeTeam makes a team called name that the user administers. */
  makeTeam(name: string): Promise<Team>;
  /** addTeammate adds the user who signed in as email to the team (its ID); the server's refusal rejects with its words. */
  addTeammate(team: string, email: string): Promise<TeamPerson>;
  /** removeTeammate takes email out of the team (its ID). */
  removeTeammate(team: string, email: string): Promise<void>;
  /** leaveTeam takes the user out of the team (its ID). */
  leaveTeam(team: string): Promise<void>;
  /** shareWorkspace shares the user's pushed workspace ws with the team (its ID); "" makes it private. */
  shareWorkspace(ws: string, team: string): Promise<void>;
  /** teamRemotes lists the workspaces on the team server the user may read: their own and their teammates'. */
  teamRemotes(): Promise<TeamRemote[]>;
  /** followWorkspace makes the local workspace local (made when missing) follow the teammate's workspace id and starts its pull. */
  followWorkspace(id: string, local: string): Promise<TeamFollowed>;
}

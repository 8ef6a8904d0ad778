// Api over HTTP, for the page `engram serve` serves (package web in Go).
import type { Api } from "./api";
import { ApiError } from "./errors";
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
import { SseParser } from "../lib/sse";
import type { Wire } from "./contract";
import type { app, connect, gaps, syncproto, teamsync } from "./wailsjs/go/models";
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
  type WireConnectorStatus,
  type WireDictEntry,
  type WireDocument,
  type WireFacets,
  type WireGapGroup,
  type WireGapsList,
  type WireImportProgress,
  type WireInfo,
  type WireJob,
  type WireMemoryEvents,
  type WireMemoryHistory,
  type WireMemoryList,
  type WireMemorySearchResult,
  type WireNeighbors,
  type WireNoteLinks,
  type WireSearchHit,
  type WireSearchResult,
  type WireTeam,
  type WireTeamOverview,
  type WireTeamSignIn,
  type WireThreadMessage,
} from "./wire";

/** How often web mode polls a running import. */
export const IMPORT_POLL_MS = 200;
/** How often web mode polls a running team push or pull. */
export const TEAM_POLL_MS = 200;
/** How long web mode waits before reopening a dropped change stream. */
export const EVENTS_RETRY_MS = 2000;

export interface HttpApiOptions {
  /** Origin and path prefix of the API; "" (the default) means this page's origin. */
  base?: string;
  /**
   * The access token, sent as a Bearer header. Without it the requests rely
   * on the session cookie the first page load set.
   */
  token?: string;
  /** fetch to use; tests pass a mock. Defaults to the global fetch. */
  fetch?: typeof fetch;
}

/**
 * HttpApi is the Api of the web UI: GET requests to /api/… on the same
 * origin, with the cookie (credentials: same-origin) and, when known, the
 * token as a Bearer header. Every failure rejects with an ApiError carrying
 * the server's message ({"error": "…"}) or saying what went wrong on the way.
 */
export class HttpApi implements Api {
  private readonly base: string;
  private readonly token: string | undefined;
  private readonly fetch: typeof fetch;
  readonly canPickFolder = false;
  private ws = "";

  get workspace(): string {
    return this.ws;
  }

  setWorkspace(name: string): void {
    this.ws = name.trim();
  }

  constructor(opts: HttpApiOptions = {}) {
    this.base = (opts.base ?? "").replace(/\/$/, "");
    this.token = opts.token || undefined;
    // Bound: a detached window.fetch throws "Illegal invocation".
    this.fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async search(query: string, limit: number, offset: number, mode: SearchMode = "", signal?: AbortSignal): Promise<SearchResult> {
    const q = new URLSearchParams({ q: query, limit: String(limit), offset: String(offset) });
    if (mode) q.set("mode", mode);
    return fromSearchResult(await this.get<WireSearchResult>("search", `/api/search?${q}`, signal));
  }

  embedStatus(): Promise<EmbedStatus> {
    return this.get<Wire<app.EmbedStatus>>("search by meaning", "/api/embed");
  }

  async facets(query: string, signal?: AbortSignal): Promise<Record<string, Facet[]>> {
    const q = new URLSearchParams({ q: query });
    return fromFacets(await this.get<WireFacets>("search", `/api/facets?${q}`, signal));
  }

  async info(): Promise<Info> {
    return fromInfo(await this.get<WireInfo>("info", "/api/info"));
  }

  document(id: string): Promise<Doc> {
    return this.get<WireDocument>("document", `/api/documents/${encodeURIComponent(id)}`).then(fromDoc);
  }

  thread(id: string): Promise<ThreadMessage[]> {
    return this.get<WireThreadMessage[] | null>("thread", `/api/documents/${encodeURIComponent(id)}/thread`).then(fromThread);
  }

  neighbors(name: string, depth: number): Promise<Neighbors> {
    const q = new URLSearchParams({ name, depth: String(depth) });
    return this.get<WireNeighbors>("graph", `/api/graph?${q}`).then(fromNeighbors);
  }

  resolveNote(target: string): Promise<SearchHit> {
    return this.get<WireSearchHit>("open note", `/api/resolve?${new URLSearchParams({ target })}`).then(fromSearchHit);
  }

  links(id: string): Promise<NoteLinks> {
    return this.get<WireNoteLinks>("links", `/api/documents/${encodeURIComponent(id)}/links`).then(fromLinks);
  }

  async suggest(prefix: string, limit: number): Promise<Entity[]> {
    const q = new URLSearchParams({ q: prefix, limit: String(limit) });
    return asList(await this.get<Wire<app.Entity>[] | null>("suggest", `/api/suggest?${q}`));
  }

  async allMemories(user: string): Promise<Memory[]> {
    return fromMemoryList(await this.get<WireMemoryList>("memories", `/api/memories/all?${new URLSearchParams({ user })}`));
  }

  async memories(user: string): Promise<Memory[]> {
    return fromMemoryList(await this.get<WireMemoryList>("memories", `/api/memories?${new URLSearchParams({ user })}`));
  }

  async addMemory(user: string, text: string): Promise<MemoryEvent[]> {
    return fromMemoryEvents(await this.send<WireMemoryEvents>("add memory", "POST", "/api/memories", { user, text }));
  }

  async editMemory(user: string, id: string, text: string): Promise<MemoryEvent[]> {
    return fromMemoryEvents(await this.send<WireMemoryEvents>("edit memory", "PUT", `/api/memories/${encodeURIComponent(id)}`, { user, text }));
  }

  async deleteMemory(user: string, id: string): Promise<MemoryEvent[]> {
    const q = new URLSearchParams({ user });
    return fromMemoryEvents(await this.send<WireMemoryEvents>("delete memory", "DELETE", `/api/memories/${encodeURIComponent(id)}?${q}`));
  }

  async memoryHistory(user: string, id: string): Promise<MemoryHistory> {
    const q = new URLSearchParams({ user });
    return fromMemoryHistory(await this.get<WireMemoryHistory>("memory history", `/api/memories/${encodeURIComponent(id)}/history?${q}`));
  }

  async searchMemories(user: string, query: string, opts: MemorySearchOptions): Promise<MemoryHit[]> {
    const q = new URLSearchParams({ user, q: query });
    if (opts.as_of) q.set("as_of", opts.as_of);
    if (opts.kind) q.set("kind", opts.kind);
    if (opts.all) q.set("all", "1");
    if (opts.limit) q.set("limit", String(opts.limit));
    return fromMemorySearch(await this.get<WireMemorySearchResult>("memory search", `/api/memories/search?${q}`));
  }

  async confirmMemory(user: string, id: string): Promise<MemoryEvent[]> {
    return fromMemoryEvents(await this.send<WireMemoryEvents>("confirm memory", "POST", `/api/memories/${encodeURIComponent(id)}/confirm`, { user }));
  }

  async undoMemory(user: string, event: string): Promise<MemoryEvent[]> {
    return fromMemoryEvents(await this.send<WireMemoryEvents>("undo", "POST", "/api/memories/undo", { user, event }));
  }

  /**
   * subscribe reads GET /api/events as a stream with fetch rather than
   * EventSource, which cannot send the Bearer header this client
   * authenticates with; a stream that ends or fails is reopened after
   * EVENTS_RETRY_MS.
   */
  subscribe(onChange: (e: ChangeEvent) => void): () => void {
    let stopped = false;
    let ctl: AbortController | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = -1; // the last version seen; -1 before the first stream
    const open = async () => {
      if (stopped) return;
      ctl = new AbortController();
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      if (this.token) headers.Authorization = `Bearer ${this.token}`;
      try {
        const res = await this.fetch(this.base + "/api/events", { headers, credentials: "same-origin", signal: ctl.signal });
        if (res.ok && res.body) {
          const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
          const parser = new SseParser();
          for (;;) {
            const { value, done } = await reader.read();
            if (done || stopped) break;
            for (const ev of parser.push(value)) {
              if (ev.event !== "change" && ev.event !== "hello") continue;
              let c: ChangeEvent;
              try {
                c = JSON.parse(ev.data) as ChangeEvent;
              } catch {
                continue; // a broken event is skipped; the next one still counts
              }
              if (ev.event === "hello") {
                // Where the feed stood when this stream opened.
                if (last >= 0 && c.version > last) onChange({ version: c.version, kind: "reset", workspace: "" });
                last = Math.max(last, c.version);
                continue;
              }
              // Versions that skip (a reconnect, a slow reader's dropped
              // events) mean something was missed.
              if (last >= 0 && c.version > last + 1) onChange({ version: c.version, kind: "reset", workspace: "" });
              last = Math.max(last, c.version);
              onChange(c);
            }
          }
        }
      } catch {
        // Aborted, or the server went away: retried below unless stopped.
      }
      if (!stopped) timer = setTimeout(() => void open(), EVENTS_RETRY_MS);
    };
    void open();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      ctl?.abort();
    };
  }

  async startImport(path: string): Promise<string> {
    return (await this.send<{ job_id: string }>("import", "POST", "/api/imports", { path })).job_id;
  }

  async cancelImport(jobID: string): Promise<boolean> {
    return (await this.send<{ cancelled: boolean }>("cancel import", "POST", `/api/jobs/${encodeURIComponent(jobID)}/cancel`)).cancelled;
  }

  watchImport(jobID: string, onProgress: (p: ImportProgress) => void): () => void {
    return this.pollJob(`/api/jobs/${encodeURIComponent(jobID)}`, IMPORT_POLL_MS, (p: WireImportProgress) => onProgress(fromProgress(p)));
  }

  /** pollJob reads a job's progress at path every ms until it has finished (or the returned function is called). */
  private pollJob<P extends { finished: boolean }>(path: string, ms: number, onProgress: (p: P) => void): () => void {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      if (stopped) return;
      try {
        const p = await this.get<P>("progress", path);
        if (stopped) return;
        onProgress(p);
        if (p.finished) return;
      } catch {
        // A failed poll is retried; the server may be busy.
      }
      if (!stopped) timer = setTimeout(() => void poll(), ms);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }

  async jobs(): Promise<Job[]> {
    return asList(await this.get<WireJob[] | null>("jobs", "/api/jobs")).map(fromJob);
  }

  async pickFolder(): Promise<string | null> {
    return null;
  }

  openExternal(url: string): void {
    window.open(url, "_blank", "noopener,noreferrer");
  }

  settings(): Promise<Settings> {
    return this.get<Wire<app.Settings>>("settings", "/api/settings");
  }

  setSetting(key: string, value: string): Promise<Settings> {
    return this.send<Wire<app.Settings>>("settings", "PUT", "/api/settings", { key, value });
  }

  async workspaces(): Promise<WorkspaceInfo[]> {
    return asList(await this.get<Wire<app.WorkspaceInfo>[] | null>("workspaces", "/api/workspaces"));
  }

  async createWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return asList(await this.send<Wire<app.WorkspaceInfo>[] | null>("create workspace", "POST", "/api/workspaces", { name }));
  }

  async deleteWorkspace(name: string): Promise<WorkspaceInfo[]> {
    return asList(await this.send<Wire<app.WorkspaceInfo>[] | null>("delete workspace", "DELETE", `/api/workspaces/${encodeURIComponent(name)}`));
  }

  llm(): Promise<LLMSettings> {
    return this.get<Wire<app.LLMSettings>>("settings", "/api/llm");
  }

  repair(): Promise<RepairReport> {
    return this.send<Wire<app.DoctorReport>>("repair", "POST", "/api/repair", {});
  }

  async dictionary(): Promise<DictEntry[]> {
    return fromDictionary(await this.get<WireDictEntry[] | null>("dictionary", "/api/dictionary"));
  }

  async dictAdd(kind: string, term: string, expansions: string[]): Promise<DictEntry[]> {
    return fromDictionary(await this.send<WireDictEntry[] | null>("dictionary", "POST", "/api/dictionary", { kind, term, expansions }));
  }

  async dictRemove(kind: string, term: string): Promise<DictEntry[]> {
    const q = new URLSearchParams({ kind, term });
    return fromDictionary(await this.send<WireDictEntry[] | null>("dictionary", "DELETE", `/api/dictionary?${q}`));
  }

  async gapGroups(): Promise<GapGroup[]> {
    return fromGapGroups(await this.get<WireGapGroup[] | null>("gaps", "/api/gaps/groups"));
  }

  async dismissedGaps(): Promise<Gap[]> {
    return fromGapsList(await this.get<WireGapsList>("gaps", "/api/gaps?dismissed=1"));
  }

  gapsState(): Promise<GapsState> {
    return this.get<Wire<gaps.State>>("gaps", "/api/gaps/state");
  }

  async dismissGap(id: string): Promise<void> {
    await this.send("dismiss gap", "POST", `/api/gaps/${encodeURIComponent(id)}/dismiss`, {});
  }

  async restoreGap(id: string): Promise<void> {
    await this.send("restore gap", "POST", `/api/gaps/${encodeURIComponent(id)}/restore`, {});
  }

  analyzeGaps(): Promise<GapsResult> {
    return this.send<Wire<gaps.Result>>("analyse gaps", "POST", "/api/gaps/analyze", {});
  }

  async connectors(): Promise<ConnectorStatus[]> {
    return fromConnectors(await this.get<WireConnectorStatus[] | null>("connectors", "/api/connectors"));
  }

  startConnect(name: string): Promise<ConnectStart> {
    return this.send<Wire<app.ConnectStart>>("connect", "POST", `/api/connectors/${encodeURIComponent(name)}/connect`, {});
  }

  async connectError(name: string): Promise<string> {
    return (await this.get<{ error: string }>("connect", `/api/connectors/${encodeURIComponent(name)}/connect-error`)).error ?? "";
  }

  async syncConnector(name: string): Promise<ConnectorStatus> {
    return fromConnector(await this.send<Wire<connect.Status>>("sync", "POST", `/api/connectors/${encodeURIComponent(name)}/sync`, {}));
  }

  async disconnect(name: string): Promise<ConnectorStatus[]> {
    return fromConnectors(await this.send<WireConnectorStatus[] | null>("disconnect", "DELETE", `/api/connectors/${encodeURIComponent(name)}`));
  }

  async team(): Promise<TeamOverview> {
    return fromTeam(await this.get<WireTeamOverview>("team", "/api/team"));
  }

  async teamSignIn(): Promise<TeamSignIn> {
    return fromSignIn(await this.get<WireTeamSignIn>("team sign-in", "/api/team/signin"));
  }

  async teamLogin(server: string): Promise<string> {
    return (await this.send<{ auth_url: string }>("team sign-in", "POST", "/api/team/login", { server })).auth_url;
  }

  async teamStart(kind: "push" | "pull", ws: string): Promise<string> {
    return (await this.send<{ job_id: string }>(kind, "POST", `/api/team/${kind}`, { workspace: ws })).job_id;
  }

  watchTeam(jobID: string, onProgress: (p: TeamProgress) => void): () => void {
    return this.pollJob(`/api/team/jobs/${encodeURIComponent(jobID)}`, TEAM_POLL_MS, (p: Wire<teamsync.Progress>) => onProgress(p));
  }

  async teams(): Promise<Team[]> {
    return fromTeams(await this.get<WireTeam[] | null>("teams", "/api/team/teams"));
  }

  async makeTeam(name: string): Promise<Team> {
    return fromTeams([await this.send<WireTeam>("new team", "POST", "/api/team/teams", { name })])[0]!;
  }

  addTeammate(team: string, email: string): Promise<TeamPerson> {
    return this.send<Wire<syncproto.Person>>("add teammate", "POST", `/api/team/teams/${encodeURIComponent(team)}/members`, { email });
  }

  async removeTeammate(team: string, email: string): Promise<void> {
    await this.send("remove teammate", "DELETE", `/api/team/teams/${encodeURIComponent(team)}/members?${new URLSearchParams({ email })}`);
  }

  async leaveTeam(team: string): Promise<void> {
    await this.send("leave team", "POST", `/api/team/teams/${encodeURIComponent(team)}/leave`, {});
  }

  async shareWorkspace(ws: string, team: string): Promise<void> {
    await this.send("share", "PUT", "/api/team/share", { workspace: ws, team_id: team });
  }

  async teamRemotes(): Promise<TeamRemote[]> {
    return asList(await this.get<Wire<teamsync.Remote>[] | null>("team workspaces", "/api/team/remote"));
  }

  followWorkspace(id: string, local: string): Promise<TeamFollowed> {
    return this.send<Wire<teamsync.Followed>>("follow", "POST", "/api/team/follow", { id, workspace: local });
  }

  private get<T>(op: string, path: string, signal?: AbortSignal): Promise<T> {
    return this.send<T>(op, "GET", path, undefined, signal);
  }

  private async send<T>(op: string, method: string, path: string, payload?: unknown, signal?: AbortSignal): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (this.token) headers.Authorization = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers, credentials: "same-origin" };
    if (signal) init.signal = signal;
    if (payload !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    let res: Response;
    try {
      res = await this.fetch(this.base + withWorkspace(path, this.ws), init);
    } catch (e) {
      const why = e instanceof Error && e.message ? ` (${e.message})` : "";
      throw new ApiError(`Cannot reach Engram${why}: is \`engram serve\` still running?`, op);
    }
    const isJSON = (res.headers.get("Content-Type") ?? "").includes("application/json");
    let body: unknown;
    if (isJSON) {
      try {
        body = await res.json();
      } catch {
        throw new ApiError(`Engram sent a broken answer to ${op} (HTTP ${res.status})`, op);
      }
    }
    if (!res.ok) {
      const msg = errorMessage(body);
      throw new ApiError(msg ?? `${op} failed: HTTP ${res.status} ${res.statusText}`.trim(), op, res.status, suggestionsOf(body));
    }
    if (!isJSON) {
      throw new ApiError(
        "Not connected to Engram: this page was not served by `engram serve` (open the link it printed), or by the desktop app (make run).",
        op,
      );
    }
    return body as T;
  }
}

/** withWorkspace adds ?workspace=ws to path, unless ws is "" (the default workspace). */
export function withWorkspace(path: string, ws: string): string {
  if (ws === "") return path;
  return `${path}${path.includes("?") ? "&" : "?"}workspace=${encodeURIComponent(ws)}`;
}

function suggestionsOf(body: unknown): { id: string; name: string; kind: string }[] {
  if (body && typeof body === "object" && "suggestions" in body) {
    const s = (body as { suggestions: unknown }).suggestions;
    if (Array.isArray(s)) return s.filter((x) => x && typeof x === "object" && typeof x.name === "string");
  }
  return [];
}

function errorMessage(body: unknown): string | undefined {
  if (body && typeof body === "object" && "error" in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === "string" && e !== "") return e;
  }
  return undefined;
}

/** The parts of window.location and window.history takeToken uses. */
export interface PageLocation {
  location: { href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string | URL | null): void };
}

/**
 * takeToken returns the ?token= of the page's URL, if any, and removes it
 * from the address bar (history.replaceState, no reload) so that it is not
 * bookmarked, shared or kept in the history. The server has already set the
 * session cookie on this page load.
 */
export function takeToken(page: PageLocation): string | undefined {
  const url = new URL(page.location.href);
  const token = url.searchParams.get("token");
  if (token === null) return undefined;
  url.searchParams.delete("token");
  page.history.replaceState(page.history.state, "", url.pathname + url.search + url.hash);
  return token || undefined;
}

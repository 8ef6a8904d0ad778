// The JSON both transports deliver, and its conversion to the UI's domain
// types. The wire shapes are not written out here: they are Wire<T> of the
// models Wails generates from the Go types (wailsjs/go/models.ts, by `wails
// build` or `wails generate module -tags webkit2_41` from app/, document/,
// store/, gaps/, teamsync/, …; see contract.ts). The Wails bindings
// (wails.ts) and the HTTP client (http.ts) both read their answers as these
// types and through these functions, so a Go field renamed or removed is a
// tsc error here rather than a field silently undefined in the UI.
import { asList, time, timeOpt, timeOrNull, type Wire } from "./contract";
import type {
  ConnectorStatus,
  DictEntry,
  Doc,
  Facet,
  Gap,
  GapGroup,
  ImportProgress,
  Info,
  Job,
  Memory,
  MemoryEvent,
  MemoryHistory,
  MemoryHit,
  MemoryVersion,
  Neighbors,
  NoteLinks,
  SearchHit,
  SearchResult,
  Team,
  TeamOverview,
  TeamSignIn,
  TeamWorkspace,
  ThreadMessage,
} from "./types";
import type { app, connect, document, gaps, memory, search, store, syncproto, teamsync } from "./wailsjs/go/models";

export { asList } from "./contract";

export type WireSearchHit = Wire<app.SearchHit>;
export type WireSearchResult = Wire<app.SearchResult>;
/** search.Person: a name, an address or both. */
export type WirePerson = Wire<search.Person>;
export type WireInfo = Wire<app.Info>;
export type WireFacets = Wire<Record<string, app.Facet[]>>;
export type WireDocument = Wire<document.Document>;
export type WireThreadMessage = Wire<app.ThreadMessage>;
export type WireMemory = Wire<store.Memory>;
export type WireMemoryHit = Wire<memory.Hit>;
export type WireMemoryVersion = Wire<store.MemoryVersion>;
export type WireMemoryHistory = Wire<app.MemoryHistory>;
export type WireMemoryList = Wire<app.MemoryList>;
export type WireMemoryEvents = Wire<app.MemoryEvents>;
export type WireMemorySearchResult = Wire<app.MemorySearchResult>;
export type WireImportProgress = Wire<app.ImportProgress>;
export type WireJob = Wire<store.Job>;
export type WireNeighbors = Wire<app.NeighborsResult>;
export type WireNoteLinks = Wire<app.NoteLinks>;
export type WireDictEntry = Wire<app.DictEntry>;
export type WireGap = Wire<gaps.Gap>;
export type WireGapGroup = Wire<app.GapGroup>;
export type WireGapsList = Wire<app.GapsList>;
export type WireConnectorStatus = Wire<connect.Status>;
export type WireTeamOverview = Wire<teamsync.Overview>;
export type WireTeamWorkspace = Wire<teamsync.WorkspaceOverview>;
export type WireTeamSignIn = Wire<teamsync.SignIn>;
export type WireTeamProgress = Wire<teamsync.Progress>;
export type WireTeam = Wire<syncproto.Team>;

/** personName shows a person by name, else by address. */
export function personName(p: WirePerson | null | undefined): string {
  if (!p) return "";
  return p.name || p.address || "";
}

export function fromSearchResult(r: WireSearchResult): SearchResult {
  return {
    total: r.total,
    tookMs: r.took_ms,
    hits: asList(r.hits).map(fromSearchHit),
    facets: fromFacets(r.facets),
    degraded: asList(r.degraded),
    partial: r.partial ?? false,
    corrected: r.corrected ?? "",
    notice: r.notice ?? "",
  };
}

export function fromSearchHit(h: WireSearchHit): SearchHit {
  return {
    id: h.id,
    title: h.title,
    source: h.source,
    path: h.path,
    snippet: h.snippet ?? "",
    score: h.score ?? 0,
    from: personName(h.from),
    to: asList(h.to).map(personName).filter((s) => s !== ""),
    semantic: asList(h.matched).includes("semantic"),
    date: time(h.date),
  };
}

/** fromFacets gives the facets by kind, with every kind's list present. */
export function fromFacets(f: WireFacets | undefined): Record<string, Facet[]> {
  const out: Record<string, Facet[]> = {};
  for (const [k, v] of Object.entries(f ?? {})) out[k] = asList(v);
  return out;
}

export function fromInfo(i: WireInfo): Info {
  return { dataDir: i.data_dir, workspace: i.workspace, version: i.version };
}

/** fromDoc fills the lists Go leaves out when empty (omitempty) or null. */
export function fromDoc(d: WireDocument): Doc {
  return {
    id: d.id,
    source: d.source ?? "",
    path: d.path ?? "",
    title: d.title ?? "",
    body: d.body ?? "",
    markdown: d.markdown ?? "",
    from: d.from ?? "",
    to: asList(d.to),
    tags: asList(d.tags),
    links: asList(d.links),
    meta: d.meta ?? {},
    date: time(d.date),
    attachments: asList(d.attachments),
  };
}

/** fromThread fills the fields Go leaves out when empty. */
export function fromThread(msgs: WireThreadMessage[] | null | undefined): ThreadMessage[] {
  return asList(msgs).map((m) => ({
    id: m.id ?? "",
    title: m.title ?? "",
    from: m.from ?? "",
    date: time(m.date),
    excerpt: m.excerpt ?? "",
  }));
}

/** fromMemory reads a memory's times as RFC 3339 strings (null: unknown valid time). */
export function fromMemory(wm: WireMemory): Memory {
  const { when, when_to, superseded, ...m } = wm;
  const v: Memory = {
    ...m,
    created: time(m.created),
    updated: time(m.updated),
    valid_from: timeOrNull(m.valid_from),
    valid_to: timeOrNull(m.valid_to),
    recorded: time(m.recorded),
  };
  // The optional ones stay absent when Go left them out.
  if (when !== undefined) v.when = timeOrNull(when);
  if (when_to !== undefined) v.when_to = timeOrNull(when_to);
  if (superseded !== undefined) v.superseded = timeOrNull(superseded);
  return v;
}

export function fromMemoryHit(h: WireMemoryHit): MemoryHit {
  const { score, ...m } = h;
  return { ...fromMemory(m), score };
}

export function fromMemoryVersion(wm: WireMemoryVersion): MemoryVersion {
  const { superseded, ...m } = wm;
  const v: MemoryVersion = {
    ...m,
    recorded: time(m.recorded),
    valid_from: timeOrNull(m.valid_from),
    valid_to: timeOrNull(m.valid_to),
  };
  if (superseded !== undefined) v.superseded = timeOrNull(superseded);
  return v;
}

export function fromMemoryHistory(h: WireMemoryHistory): MemoryHistory {
  return { id: h.id, current: fromMemory(h.current), versions: asList(h.versions).map(fromMemoryVersion) };
}

export function fromMemoryList(l: WireMemoryList): Memory[] {
  return asList(l.memories).map(fromMemory);
}

export function fromMemoryEvents(e: WireMemoryEvents): MemoryEvent[] {
  return asList(e.events);
}

export function fromMemorySearch(r: WireMemorySearchResult): MemoryHit[] {
  return asList(r.hits).map(fromMemoryHit);
}

export function fromProgress(p: WireImportProgress): ImportProgress {
  return { ...p, paths: asList(p.paths), errors: asList(p.errors) };
}

export function fromJob(j: WireJob): Job {
  const v: Job = { ...j, sources: asList(j.sources), errors: asList(j.errors), started: time(j.started), finished: timeOpt(j.finished) };
  if (v.finished === undefined) delete v.finished;
  return v;
}

export function fromNeighbors(n: WireNeighbors): Neighbors {
  return { entity: n.entity, neighbors: asList(n.neighbors) };
}

export function fromLinks(l: WireNoteLinks | null | undefined): NoteLinks {
  return { outgoing: asList(l?.outgoing), backlinks: asList(l?.backlinks), degraded: asList(l?.degraded) };
}

export function fromDictionary(ds: WireDictEntry[] | null | undefined): DictEntry[] {
  return asList(ds).map((d) => ({ ...d, expansions: asList(d.expansions) }));
}

/** fromGap fills the lists a gap's JSON may carry as null. */
export function fromGap(g: WireGap): Gap {
  return {
    id: g.id,
    kind: g.kind ?? "",
    summary: g.summary ?? "",
    question: g.question ?? "",
    ask: asList(g.ask),
    evidence: asList(g.evidence).map((e) => ({ ...e, date: time(e.date), people: asList(e.people) })),
    values: asList(g.values).map((v) => ({ ...v, date: time(v.date) })),
  };
}

export function fromGapGroups(gs: WireGapGroup[] | null | undefined): GapGroup[] {
  return asList(gs).map((g) => ({ kind: g.kind, gaps: asList(g.gaps).map(fromGap) }));
}

export function fromGapsList(l: WireGapsList): Gap[] {
  return asList(l.gaps).map(fromGap);
}

export function fromConnector(c: WireConnectorStatus): ConnectorStatus {
  const v: ConnectorStatus = { ...c, connected: timeOpt(c.connected), last_sync: timeOpt(c.last_sync) };
  if (v.connected === undefined) delete v.connected;
  if (v.last_sync === undefined) delete v.last_sync;
  return v;
}

export function fromConnectors(cs: WireConnectorStatus[] | null | undefined): ConnectorStatus[] {
  return asList(cs).map(fromConnector);
}

/** fromSignIn gives the sign-in with its login state present. */
export function fromSignIn(s: WireTeamSignIn): TeamSignIn {
  return { ...s, login: s.login ?? { running: false } };
}

function fromTeamWorkspace(w: WireTeamWorkspace): TeamWorkspace {
  return { ...w, conflicts: asList(w.conflicts).map((c) => ({ ...c, heads: asList(c.heads) })) };
}

/** fromTeam gives the Team view's state with every list present (Go's nil slices arrive as null). */
export function fromTeam(o: WireTeamOverview): TeamOverview {
  return {
    ...o,
    unshared: asList(o.unshared),
    login: o.login ?? { running: false },
    workspaces: asList(o.workspaces).map(fromTeamWorkspace),
  };
}

/** fromTeams gives the user's teams with every roster present (a member's arrives without one). */
export function fromTeams(ts: WireTeam[] | null | undefined): Team[] {
  return asList(ts).map((t) => ({ ...t, members: asList(t.members) }));
}

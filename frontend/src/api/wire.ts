// The JSON of the Go types in app/types.go and app/desktop.go, as both
// transports deliver it (Wails' generated models have the same fields), and
// its conversion to the UI's domain types.
import type { ConnectorStatus, Doc, Gap, GapGroup, ImportProgress, Info, Job, Neighbors, NoteLinks, SearchHit, SearchResult, Team, TeamOverview, ThreadMessage } from "./types";

export interface WireSearchHit {
  id: string;
  title: string;
  source: string;
  path: string;
  snippet?: string;
  score?: number;
  /** app.Person: a name, an address or both. */
  from?: WirePerson | string | null;
  to?: WirePerson[] | null;
  /** How the hit was found: "text", "semantic" or both. */
  matched?: string[] | null;
  /** time.Time: an RFC 3339 string over JSON. */
  date: unknown;
}

export interface WireSearchResult {
  total: number;
  took_ms: number;
  hits: WireSearchHit[] | null;
  facets: Record<string, { value: string; count: number }[]> | null;
  degraded?: string[] | null;
  partial?: boolean;
  /** The query as searched after typo corrections. */
  corrected?: string;
  /** Why the search is not the mode asked for (an embedding endpoint down). */
  notice?: string;
}

export interface WirePerson {
  name?: string;
  address?: string;
}

/** personName shows a person by name, else by address. */
export function personName(p: WirePerson | string | null | undefined): string {
  if (!p) return "";
  if (typeof p === "string") return p;
  return p.name || p.address || "";
}

export interface WireInfo {
  data_dir: string;
  workspace: string;
  version: string;
}

export function fromSearchResult(r: WireSearchResult): SearchResult {
  return {
    total: r.total,
    tookMs: r.took_ms,
    hits: (r.hits ?? []).map(fromSearchHit),
    facets: r.facets ?? {},
    degraded: r.degraded ?? [],
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
    to: (h.to ?? []).map(personName).filter((s) => s !== ""),
    semantic: (h.matched ?? []).includes("semantic"),
    date: typeof h.date === "string" ? h.date : "",
  };
}

export function fromInfo(i: WireInfo): Info {
  return { dataDir: i.data_dir, workspace: i.workspace, version: i.version };
}

/** fromDoc fills the lists Go leaves out when empty (omitempty) or null. */
export function fromDoc(d: Partial<Doc> & { id: string }): Doc {
  return {
    id: d.id,
    source: d.source ?? "",
    path: d.path ?? "",
    title: d.title ?? "",
    body: d.body ?? "",
    markdown: d.markdown ?? "",
    from: d.from ?? "",
    to: d.to ?? [],
    tags: d.tags ?? [],
    links: d.links ?? [],
    meta: d.meta ?? {},
    date: typeof d.date === "string" ? d.date : "",
    attachments: d.attachments ?? [],
  };
}

/** fromThread fills the fields Go leaves out when empty. */
export function fromThread(msgs: Partial<ThreadMessage>[] | null | undefined): ThreadMessage[] {
  return (msgs ?? []).map((m) => ({
    id: m.id ?? "",
    title: m.title ?? "",
    from: m.from ?? "",
    date: typeof m.date === "string" ? m.date : "",
    excerpt: m.excerpt ?? "",
  }));
}

export function fromProgress(p: ImportProgress): ImportProgress {
  return { ...p, paths: p.paths ?? [], errors: p.errors ?? [] };
}

export function fromJob(j: Job): Job {
  return { ...j, sources: j.sources ?? [], errors: j.errors ?? [] };
}

export function fromNeighbors(n: Neighbors): Neighbors {
  return { entity: n.entity, neighbors: n.neighbors ?? [] };
}

export function asList<T>(v: T[] | null | undefined): T[] {
  return v ?? [];
}

export function fromLinks(l: Partial<NoteLinks> | null | undefined): NoteLinks {
  return { outgoing: l?.outgoing ?? [], backlinks: l?.backlinks ?? [], degraded: l?.degraded ?? [] };
}

/** fromGap fills the lists a gap's JSON may carry as null. */
export function fromGap(g: Partial<Gap> & { id: string }): Gap {
  return {
    id: g.id,
    kind: g.kind ?? "",
    summary: g.summary ?? "",
    question: g.question ?? "",
    ask: g.ask ?? [],
    evidence: (g.evidence ?? []).map((e) => ({ ...e, people: e.people ?? [] })),
    values: g.values ?? [],
  };
}

export function fromGapGroups(gs: GapGroup[] | null | undefined): GapGroup[] {
  return (gs ?? []).map((g) => ({ kind: g.kind, gaps: (g.gaps ?? []).map(fromGap) }));
}

export function fromConnectors(cs: ConnectorStatus[] | null | undefined): ConnectorStatus[] {
  return cs ?? [];
}

/** fromTeam gives the Team view's state with every list present (Go's nil slices arrive as null). */
export function fromTeam(o: TeamOverview): TeamOverview {
  return {
    ...o,
    unshared: asList(o.unshared),
    login: o.login ?? { running: false },
    workspaces: asList(o.workspaces).map((w) => ({ ...w, conflicts: asList(w.conflicts).map((c) => ({ ...c, heads: asList(c.heads) })) })),
  };
}

/** fromTeams gives the user's teams with every roster present (a member's arrives without one). */
export function fromTeams(ts: Team[] | null | undefined): Team[] {
  return asList(ts).map((t) => ({ ...t, members: asList(t.members) }));
}

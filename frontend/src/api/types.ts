// Domain types the UI works with. They mirror the JSON of the Go types in
// app/types.go and app/desktop.go, which is the same over Wails and over HTTP.

export interface SearchHit {
  id: string;
  title: string;
  /** Kind of source the document came from: "maildir", "markdown", … */
  source: string;
  path: string;
  /** The best passage; matched terms in <mark>…</mark>, everything else escaped. */
  snippet: string;
  score: number;
  /** The sender of a mail or message, by name (else address); "" for other documents. */
  from?: string;
  /** The recipients of a mail or message, by name (else address). */
  to?: string[];
  /** The hit was found by meaning (search by meaning is on). */
  semantic?: boolean;
  /** RFC 3339; Go's zero time when the document has no date. */
  date: string;
}

export interface Facet {
  value: string;
  count: number;
}

export interface SearchResult {
  total: number;
  tookMs: number;
  hits: SearchHit[];
  facets: Record<string, Facet[]>;
  /** Subsystems that could not take part, e.g. "graph". */
  degraded: string[];
  /** The search stopped checking candidates: total is a lower bound. */
  partial: boolean;
  /** The query as searched when words were corrected ("calender" -> "calendar"); "" otherwise. */
  corrected?: string;
  /** Why the results are words only although meaning was asked for; "" otherwise. */
  notice?: string;
}

export interface Info {
  dataDir: string;
  workspace: string;
  version: string;
}

/** A stored document, for the reader (document.Document in Go). */
export interface Doc {
  id: string;
  source: string;
  path: string;
  title: string;
  /** Plain text, markup removed. */
  body: string;
  /** A note's Markdown source without front matter; "" for other sources. */
  markdown: string;
  from: string;
  to: string[];
  tags: string[];
  links: { target: string; heading?: string; alias?: string; embed?: boolean }[];
  meta: Record<string, string>;
  date: string;
  attachments: { name: string; content_type?: string; size?: number }[];
}

/** One message of a mail thread (app.ThreadMessage in Go). */
export interface ThreadMessage {
  id: string;
  title: string;
  from: string;
  /** RFC 3339. */
  date: string;
  excerpt: string;
}

/** A memory (store.Memory in Go). */
export interface Memory {
  id: string;
  user: string;
  memory: string;
  kind: string;
  subject: string;
  attribute: string;
  created: string;
  updated: string;
  /** Valid time: when the fact began and ended in the world; null when unknown. */
  valid_from: string | null;
  valid_to: string | null;
  /** Record time: when Engram learnt this version (and, when retired, retired it). */
  recorded?: string;
  superseded?: string | null;
  /** Where it came from: "ui", "cli", "mcp", an extractor… */
  source?: string;
  /** The user confirmed this machine-made memory. */
  confirmed?: boolean;
  /** The latest version's number: its event is "<id>@<version>". */
  version?: number;
  state: string;
}

/** A memory found by search, with its score (memory.Hit). */
export interface MemoryHit extends Memory {
  score: number;
}

/** Filters of a memory search (app.MemorySearchOptions). */
export interface MemorySearchOptions {
  /** YYYY-MM-DD: answer from valid time, as things stood that day. */
  as_of?: string;
  kind?: string;
  all?: boolean;
  limit?: number;
}

export interface MemoryVersion {
  version: number;
  /** ADD, UPDATE, DELETE, CONFIRM or UNDO. */
  event: string;
  memory: string;
  kind: string;
  source?: string;
  state?: string;
  /** Record time: when Engram learnt it, and when a later version retired it. */
  recorded: string;
  superseded?: string | null;
  /** Valid time: when it was true in the world; null when unknown. */
  valid_from: string | null;
  valid_to: string | null;
  /** The event ("<id>@<version>") an UNDO reverted. */
  undoes?: string;
}

export interface MemoryHistory {
  id: string;
  current: Memory;
  versions: MemoryVersion[];
}

/** What a write did: ADD, UPDATE, DELETE or NONE per fact. */
export interface MemoryEvent {
  event: string;
  id: string;
  /** "<id>@<version>": what `undoMemory` takes. */
  event_id?: string;
  memory: string;
  previous?: string;
}

export interface ItemError {
  path: string;
  error: string;
}

/** One import's live state (app.ImportProgress). */
export interface ImportProgress {
  job_id: string;
  paths: string[];
  state: string;
  total: number;
  done: number;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  removed: number;
  walking: boolean;
  current: string;
  rate: number;
  eta_seconds: number;
  errors: ItemError[];
  error?: string;
  finished: boolean;
}

/** A stored import job (store.Job). */
export interface Job {
  id: string;
  kind: string;
  sources: string[];
  state: string;
  started: string;
  finished?: string;
  total: number;
  done: number;
  imported: number;
  updated: number;
  skipped: number;
  failed: number;
  removed: number;
  errors: ItemError[];
}

export interface Entity {
  id: string;
  name: string;
  kind: string;
  aliases?: string[];
}

export interface Neighbor extends Entity {
  predicate: string;
  direction: string;
  count: number;
  depth: number;
}

export interface Neighbors {
  entity: Entity;
  neighbors: Neighbor[];
}

export interface Settings {
  data_dir: string;
  workspace: string;
  max_file_mb: string;
  max_depth: string;
  /** Search by meaning: the embedding endpoint ("" for words only) and model. */
  embed_endpoint?: string;
  embed_model?: string;
}

/** How a search finds documents: by words, by meaning, or both (hybrid). "" lets the backend choose. */
export type SearchMode = "" | "text" | "semantic" | "hybrid";

/** Search by meaning's state in a workspace (app.EmbedStatus). */
export interface EmbedStatus {
  workspace: string;
  /** off (no endpoint), idle, running, pending or down. */
  state: string;
  endpoint?: { endpoint?: string; model?: string; api?: string; up?: boolean; error?: string } | null;
  /** Documents queued for embedding; documents and chunks in the vector index. */
  pending: number;
  documents: number;
  chunks: number;
  progress?: { done: number; total: number; chunks?: number; sent?: number } | null;
  error?: string;
}

/** One change the backend tells the open views of (changes.Event). */
export interface ChangeEvent {
  version: number;
  /**
   * "memory" or "import"; "reset" (made by the client, never sent) when
   * changes may have been missed (the stream reconnected, or versions
   * skipped): reload everything.
   */
  kind: string;
  workspace: string;
  user?: string;
  ids?: string[];
}

export interface WorkspaceInfo {
  name: string;
  documents: number;
  default: boolean;
  open: boolean;
}

export interface DictEntry {
  kind: string;
  term: string;
  expansions: string[];
  origin: string;
  /** A built-in entry the user switched off: its term does not expand. */
  off?: boolean;
}

/** One link of a note, to it (a backlink) or from it (app.NoteLink). */
export interface NoteLink {
  /** The linked document's ID; "" when no imported note has the name. */
  id: string;
  title: string;
  source?: string;
  path?: string;
  /** The name as written (outgoing links). */
  target?: string;
  /** The line of the linking note that holds the link. */
  context: string;
  missing?: boolean;
}

export interface NoteLinks {
  outgoing: NoteLink[];
  backlinks: NoteLink[];
  degraded: string[];
}

/** The language model memory extraction asks (app.LLMSettings). */
export interface LLMSettings {
  endpoint: string;
  model: string;
}

/** What a repair found and did (app.DoctorReport). */
export interface RepairReport {
  workspace: string;
  documents: number;
  problems: string[] | null;
  repaired: boolean;
  ok: boolean;
}

/** A person named in a gap's evidence, or one to ask (gaps.Person). */
export interface GapPerson {
  name: string;
  address: string;
}

/** A passage of a document that shows a gap (gaps.Evidence). */
export interface GapEvidence {
  doc_id: string;
  title: string;
  /** RFC 3339; Go's zero time when the document has no date. */
  date: string;
  passage: string;
  people: GapPerson[];
}

/** One of the values a contradiction's documents state (gaps.Value). */
export interface GapValue {
  value: string;
  doc_id: string;
  date: string;
  /** The most recently stated value. */
  newer: boolean;
}

/** A knowledge gap (gaps.Gap, the JSON of `engram gaps --json`). */
export interface Gap {
  id: string;
  kind: string;
  summary: string;
  question: string;
  ask: GapPerson[];
  evidence: GapEvidence[];
  values: GapValue[];
}

/** The open gaps of one kind (app.GapGroup). */
export interface GapGroup {
  kind: string;
  gaps: Gap[];
}

/** How far a workspace's gap analysis has come (gaps.State). */
export interface GapsState {
  /** An analysis has started on the workspace; false: never analysed. */
  analysed: boolean;
  /** Documents and conversations changed since the last analysis. */
  pending: number;
  running: boolean;
  gaps: number;
}

/** What an analysis did (gaps.Result). */
export interface GapsResult {
  documents: number;
  owners: number;
  gaps: number;
  unchanged: boolean;
}

/** A connector's status (connect.Status). It never holds a token. */
export interface ConnectorStatus {
  name: string;
  /** "not_connected", "connected", "syncing", "reconnect_needed" or "error". */
  status: string;
  account?: string;
  workspace?: string;
  connected?: string;
  last_sync?: string;
  documents: number;
  added: number;
  updated: number;
  removed: number;
  failed: number;
  error?: string;
  syncing: boolean;
}

/** What starting a sign-in returns: the address to open (app.ConnectStart). */
export interface ConnectStart {
  name: string;
  auth_url: string;
}

/** One current version of a shared note (teamclient.Head). */
export interface TeamHead {
  id: string;
  device: string;
  title: string;
  body: string;
  deleted?: boolean;
}

/** A shared note with two or more current versions (teamclient.ItemState). */
export interface TeamConflict {
  kind: string;
  key: string;
  heads: TeamHead[];
  conflict: boolean;
  deleted: boolean;
}

/** A push or pull job's state (teamsync.Progress). */
export interface TeamProgress {
  job_id: string;
  /** "push" or "pull". */
  kind: string;
  workspace: string;
  /** "running", "done", "failed" or "cancelled". */
  state: string;
  /** "sending", "dictionary", "pulling", "applying"; "" before the first step. */
  phase: string;
  sent: number;
  waiting: number;
  pulled: number;
  push?: { workspace: string; queued: number; sent: number; accepted: number; duplicates: number; conflicts: unknown[] | null };
  pull?: { workspace: string; changes: number; cursor: number; applied: { added: number; updated: number; removed: number; conflicts: number } };
  error?: string;
  /** "signed_out", "unreachable", "busy", "bad_server", "forbidden", "not_found", "refused" or absent. */
  error_kind?: string;
  finished: boolean;
}

/** One shared workspace in the Team view (teamsync.WorkspaceOverview). */
export interface TeamWorkspace {
  workspace: string;
  /** The ID of the teammate's workspace it follows; absent when it syncs with the user's own of its name. */
  follows?: string;
  items: number;
  cursor: number;
  pending: number;
  changed: number;
  last_push?: string;
  last_pull?: string;
  conflicts: TeamConflict[];
  job?: TeamProgress;
}

/** The UI's latest sign-in to the team server (teamsync.LoginState). */
export interface TeamLogin {
  running: boolean;
  server?: string;
  auth_url?: string;
  error?: string;
  error_kind?: string;
}

/** The sign-in to the team server (teamsync.SignIn), cheap to poll. It never holds a token. */
export interface TeamSignIn {
  server: string;
  account: string;
  device: string;
  signed_in: boolean;
  login: TeamLogin;
}

/** The Team view's state (teamsync.Overview). It never holds a token. */
export interface TeamOverview extends TeamSignIn {
  workspaces: TeamWorkspace[];
  unshared: string[];
}

/** Someone who signed in to the team server (syncproto.Person). */
export interface TeamPerson {
  id: string;
  email: string;
  name?: string;
}

/** One of the user's teams (syncproto.Team); members is the roster, given to its administrators only. */
export interface Team {
  id: string;
  name: string;
  admin: boolean;
  members: TeamPerson[];
}

/** A workspace on the team server the user may read (teamsync.Remote). */
export interface TeamRemote {
  id: string;
  name: string;
  /** The owner's e-mail. */
  owner: string;
  mine: boolean;
  /** Absent while private. */
  team_id?: string;
  team_name?: string;
  /** The local workspace that syncs with it: the pushed one of its name, or the one that follows it. */
  local?: string;
}

/** What following a teammate's workspace started (teamsync.Followed): the local workspace and its pull. */
export interface TeamFollowed {
  workspace: string;
  job_id: string;
}

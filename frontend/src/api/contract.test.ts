// The contract between the UI and the Go container, checked where tsc cannot:
// the generated models (wailsjs/go/models.ts, regenerated from the Go types
// by `wails build`) at run time, the from* conversions of wire.ts on sample
// JSON as Go encodes it, and the two transports on the same JSON.
//
// For every conversion, a sample of the Go JSON with every field set:
//   1. has exactly the fields of the generated model, at every level (a field
//      Go adds, renames or drops fails here until the sample follows);
//   2. has every field read by the conversion, passed on whole, or named in
//      the case's `ignored` list (the UI does not show it): a new Go field the
//      UI silently drops, or a conversion that stops reading one, fails;
//   3. converts to a value with no field undefined (a domain field the
//      conversion forgot to fill fails, though tsc allows an optional one);
//   4. converts, with any one list in it nil (null, or left out where the
//      model marks it optional), to a value whose lists are still lists
//      where the full sample's are.
// And the desktop's bindings and the HTTP client give the same domain values
// for the same Go JSON.
import { afterEach, describe, expect, it } from "vitest";
import { HttpApi } from "./http";
import { WailsApi } from "./wails";
import { app, connect, document, store, syncproto, teamsync } from "./wailsjs/go/models";
import modelsSource from "./wailsjs/go/models.ts?raw";
import {
  fromConnectors,
  fromDictionary,
  fromDoc,
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
  fromSearchResult,
  fromSignIn,
  fromTeam,
  fromTeams,
  fromThread,
} from "./wire";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Model = { new (source?: any): object; createFrom(source?: any): object };

const T1 = "2026-05-02T10:00:00Z";
const T2 = "2026-05-03T11:30:00Z";

const person = { name: "Ann Berg", address: "ann@example.org" };
const hit = {
  id: "d1",
  title: "Garden",
  source: "maildir",
  path: "/mail/cur/1",
  snippet: "<mark>tomatoes</mark>",
  score: 2.5,
  date: T1,
  from: { name: "", address: "bob@example.org" },
  to: [person, { name: "", address: "cy@example.org" }],
  matched: ["text", "semantic"],
};
const searchResult = {
  total: 3,
  took_ms: 1.5,
  hits: [hit],
  facets: { source: [{ value: "maildir", count: 3, address: "" }] },
  partial: true,
  degraded: ["graph"],
  corrected: "tomatoes",
  mode: "hybrid",
  notice: "words only",
};
const doc = {
  id: "d1",
  source: "markdown",
  path: "/notes/Garden.md",
  title: "Garden",
  body: "Tomatoes",
  markdown: "# Garden\nTomatoes",
  from: "Ann",
  to: ["Bob"],
  tags: ["garden"],
  headings: ["Garden"],
  aliases: ["Plot"],
  links: [{ target: "Basil", heading: "Sowing", alias: "basil", embed: false }],
  meta: { status: "draft" },
  message_id: "<1@x>",
  in_reply_to: "<0@x>",
  references: ["<0@x>"],
  attachments: [{ name: "plan.pdf", content_type: "application/pdf", size: 12 }],
  date: T1,
  mod_time: T2,
  size: 120,
  content_hash: "abc",
  from_people: [person],
  to_people: [person],
  cc_people: [person],
  dates: [T1],
};
const threadMessage = { id: "d1", title: "Re: Garden", from: "Ann", date: T1, excerpt: "Tomatoes", in_reply_to: "<0@x>" };
const mem = {
  id: "m1",
  user: "local",
  memory: "Lives in Aarhus",
  kind: "place",
  value: "Aarhus",
  people: ["Anna"],
  places: ["Aarhus"],
  emotions: ["glad"],
  trigger: "moved",
  when: T1,
  when_to: T2,
  importance: 0.5,
  source: "ui",
  said: "I live in Aarhus",
  created: T1,
  updated: T2,
  valid_from: T1,
  valid_to: T2,
  recorded: T1,
  superseded: T2,
  confirmed: true,
  state: "current",
  version: 2,
};
const memVersion = {
  version: 1,
  event: "ADD",
  memory: "Lives in Aarhus",
  kind: "place",
  value: "Aarhus",
  source: "ui",
  said: "I live in Aarhus",
  state: "current",
  recorded: T1,
  superseded: T2,
  valid_from: T1,
  valid_to: T2,
  undoes: "m1@0",
};
const memEvent = { event: "ADD", id: "m1", event_id: "m1@1", memory: "Lives in Aarhus", previous: "Lives in Oslo", kind: "place" };
const itemError = { path: "/a", error: "unreadable" };
const progress = {
  job_id: "j1",
  paths: ["/notes"],
  state: "running",
  total: 10,
  done: 4,
  imported: 3,
  updated: 1,
  skipped: 0,
  failed: 1,
  removed: 0,
  walking: true,
  current: "/notes/a.md",
  rate: 2,
  eta_seconds: 3,
  errors: [itemError],
  error: "",
  finished: false,
};
const job = {
  id: "j1",
  kind: "import",
  sources: ["/notes"],
  state: "done",
  started: T1,
  finished: T2,
  total: 10,
  done: 10,
  imported: 9,
  updated: 0,
  skipped: 0,
  failed: 1,
  removed: 0,
  current: "/notes/z.md",
  errors: [itemError],
};
const entity = { id: "e1", name: "Ann", kind: "person", aliases: ["Annie"] };
const neighbors = {
  entity,
  neighbors: [{ ...entity, id: "e2", predicate: "wrote_to", direction: "out", count: 2, depth: 1, via: "e1" }],
};
const noteLink = { id: "d2", title: "Basil", source: "markdown", path: "/notes/Basil.md", target: "Basil", context: "see [[Basil]]", missing: false };
const noteLinks = { outgoing: [noteLink], backlinks: [noteLink], degraded: ["graph"] };
const dictEntry = { kind: "synonym", term: "car", expansions: ["auto"], origin: "user", off: false };
const gapPerson = { name: "Ann", address: "ann@example.org" };
const gap = {
  id: "g1",
  kind: "contradiction",
  summary: "Two dates",
  question: "Which is right?",
  ask: [gapPerson],
  evidence: [{ doc_id: "d1", title: "Plan", date: T1, passage: "on Monday", people: [gapPerson] }],
  values: [{ value: "Monday", doc_id: "d1", date: T1, newer: true }],
};
const connector = {
  name: "gmail",
  status: "connected",
  account: "ann@example.org",
  workspace: "personal",
  connected: T1,
  last_sync: T2,
  documents: 5,
  added: 1,
  updated: 2,
  removed: 0,
  failed: 0,
  error: "",
  syncing: false,
};
const login = { running: true, server: "https://team", auth_url: "https://team/login", error: "", error_kind: "" };
const signIn = { server: "https://team", account: "ann@example.org", device: "laptop", signed_in: true, login };
const teamProgress = {
  job_id: "t1",
  kind: "pull",
  workspace: "personal",
  state: "done",
  phase: "applying",
  sent: 1,
  waiting: 0,
  pulled: 2,
  push: { workspace: "personal", queued: 1, sent: 1, accepted: 1, duplicates: 0, conflicts: [{ kind: "note", key: "k", heads: ["h1"] }] },
  pull: { workspace: "personal", changes: 2, cursor: 9, applied: { added: 1, updated: 1, removed: 0, conflicts: 0, memories: 1 } },
  error: "",
  error_kind: "",
  finished: true,
};
const overview = {
  ...signIn,
  workspaces: [
    {
      workspace: "personal",
      follows: "r1",
      items: 3,
      cursor: 9,
      pending: 1,
      changed: 0,
      last_push: T1,
      last_pull: T2,
      conflicts: [{ kind: "note", key: "k", heads: [{ id: "h1", device: "laptop", title: "A", body: "a", deleted: false }], conflict: true, deleted: false }],
      job: teamProgress,
    },
  ],
  unshared: ["work"],
};
const team = { id: "t1", name: "Rowing", admin: true, members: [{ id: "p1", email: "ann@example.org", name: "Ann" }] };

interface Case {
  name: string;
  /** The generated model of the sample (of one element, for a list). */
  model: Model;
  sample: Json;
  convert: (w: Json) => unknown;
  /** Model fields the UI does not use (paths as in "hits[].from.address"). */
  ignored?: string[];
  /** Output paths (and what is under them) that may stay null with Go's nil slices: the domain type is the wire's there. */
  nullable?: string[];
}

const cases: Case[] = [
  { name: "fromSearchResult", model: app.SearchResult, sample: searchResult, convert: fromSearchResult, ignored: ["mode"] },
  { name: "fromInfo", model: app.Info, sample: { data_dir: "/d", workspace: "personal", version: "1.2" }, convert: fromInfo },
  {
    name: "fromDoc",
    model: document.Document,
    sample: doc,
    convert: fromDoc,
    // The reader shows none of these.
    ignored: ["headings", "aliases", "message_id", "in_reply_to", "references", "mod_time", "size", "content_hash", "from_people", "to_people", "cc_people", "dates"],
  },
  { name: "fromThread", model: app.ThreadMessage, sample: threadMessage, convert: (m) => fromThread([m]), ignored: ["in_reply_to"] },
  { name: "fromMemoryList", model: app.MemoryList, sample: { user: "local", memories: [mem] }, convert: fromMemoryList, ignored: ["user"] },
  { name: "fromMemoryHistory", model: app.MemoryHistory, sample: { id: "m1", current: mem, versions: [memVersion] }, convert: fromMemoryHistory },
  {
    name: "fromMemorySearch",
    model: app.MemorySearchResult,
    sample: { hits: [{ ...mem, score: 0.9 }], semantic: ["m1"], notice: "words only" },
    convert: fromMemorySearch,
    ignored: ["semantic", "notice"],
  },
  { name: "fromMemoryEvents", model: app.MemoryEvents, sample: { events: [memEvent], degraded: ["llm"] }, convert: fromMemoryEvents, ignored: ["degraded"] },
  { name: "fromProgress", model: app.ImportProgress, sample: progress, convert: fromProgress },
  { name: "fromJob", model: store.Job, sample: job, convert: fromJob },
  { name: "fromNeighbors", model: app.NeighborsResult, sample: neighbors, convert: fromNeighbors },
  { name: "fromLinks", model: app.NoteLinks, sample: noteLinks, convert: fromLinks },
  { name: "fromDictionary", model: app.DictEntry, sample: dictEntry, convert: (d) => fromDictionary([d]) },
  { name: "fromGapGroups", model: app.GapGroup, sample: { kind: "contradiction", gaps: [gap] }, convert: (g) => fromGapGroups([g]) },
  { name: "fromGapsList", model: app.GapsList, sample: { gaps: [gap] }, convert: fromGapsList },
  { name: "fromConnectors", model: connect.Status, sample: connector, convert: (c) => fromConnectors([c]) },
  { name: "fromSignIn", model: teamsync.SignIn, sample: signIn, convert: fromSignIn },
  // A workspace's job is the wire's teamsync.Progress as it is (TeamProgress): its lists may be null.
  { name: "fromTeam", model: teamsync.Overview, sample: overview, convert: fromTeam, nullable: ["workspaces[].job"] },
  { name: "fromTeams", model: syncproto.Team, sample: team, convert: (t) => fromTeams([t]) },
];

/** Deep-copies through JSON, as the wire does (and drops the wrappers). */
function roundTrip(v: unknown): Json {
  return JSON.parse(JSON.stringify(v));
}

/**
 * optionalFields gives the fields the generated class named name, with
 * exactly fields, marks optional ("?": omitempty or a pointer in Go): Go
 * leaves such a list out rather than sending null. The models name classes
 * alike in different namespaces (Person), hence the match on the fields.
 */
function optionalFields(name: string, fields: string[]): Set<string> {
  const re = /export class (\w+) \{\n([\s\S]*?)\n\s*static createFrom/g;
  for (const m of modelsSource.matchAll(re)) {
    if (m[1] !== name) continue;
    const decl = [...m[2]!.matchAll(/^\s*(\w+)(\??):/gm)];
    if (decl.map((d) => d[1]).join() !== fields.join()) continue;
    return new Set(decl.filter((d) => d[2] === "?").map((d) => d[1]!));
  }
  throw new Error(`no generated class ${name} with fields ${fields.join()}`);
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isModel = (v: unknown): v is object => isPlain(v) && Object.getPrototypeOf(v) !== Object.prototype;

/**
 * fieldsOf lists the model's field paths (nested models as "a.b", lists of
 * them as "a[].b") and the differences between the sample's fields and the
 * model's. The fields are those the generated constructor assigns; a nested
 * field is a model where createFrom made an instance of a generated class.
 */
function fieldsOf(model: Model, sample: Json, prefix = ""): { paths: string[]; optional: string[]; extra: string[]; missing: string[] } {
  const fields = Object.keys(new model({}));
  // A copy: createFrom changes its argument (and wraps the lists of a map of
  // lists, facets, in a list more: why wails.ts never builds the models).
  const inst = model.createFrom(roundTrip(sample)) as Record<string, unknown>;
  const optional = optionalFields(model.name, fields);
  const out = { paths: [] as string[], optional: [] as string[], extra: [] as string[], missing: [] as string[] };
  for (const k of Object.keys(sample)) if (!fields.includes(k)) out.extra.push(prefix + k);
  for (const k of fields) {
    const p = prefix + k;
    out.paths.push(p);
    if (optional.has(k)) out.optional.push(p);
    const s = sample[k];
    if (s === undefined || s === null || (Array.isArray(s) && s.length === 0)) {
      out.missing.push(p);
      continue;
    }
    const v = inst[k];
    const list = Array.isArray(v);
    const el = list ? v[0] : v;
    if (isModel(el)) {
      const sub = fieldsOf(el.constructor as Model, list ? s[0] : s, p + (list ? "[]." : "."));
      out.paths.push(...sub.paths);
      out.optional.push(...sub.optional);
      out.extra.push(...sub.extra);
      out.missing.push(...sub.missing);
    }
  }
  return out;
}

/** tracker wraps values so that reading a field records its path; passed maps each wrapper to its path. */
function tracker() {
  const reads = new Set<string>();
  const passed = new WeakMap<object, string>();
  let on = true;
  const wrap = (v: unknown, path: string): unknown => {
    if (typeof v !== "object" || v === null) return v;
    const proxy = new Proxy(v, {
      get(t, k, r) {
        const val = Reflect.get(t, k, r);
        if (typeof k !== "string" || !on) return val;
        if (Array.isArray(t)) return /^\d+$/.test(k) ? wrap(val, `${path}[]`) : val;
        const q = path === "" ? k : `${path}.${k}`;
        reads.add(q);
        return wrap(val, q);
      },
    });
    passed.set(proxy, path);
    return proxy;
  };
  return {
    reads,
    wrap,
    stop: () => {
      on = false;
    },
    /** passedOn lists the paths of the wrapped values found in out: handed on whole. */
    passedOn(out: unknown): string[] {
      const found: string[] = [];
      const walk = (v: unknown) => {
        if (typeof v !== "object" || v === null) return;
        const p = passed.get(v);
        if (p !== undefined) found.push(p);
        for (const x of Object.values(v)) walk(x);
      };
      walk(out);
      return found;
    },
  };
}

/** undefinedIn lists the paths of out's fields that are undefined. */
function undefinedIn(out: unknown, path = ""): string[] {
  if (typeof out !== "object" || out === null) return [];
  const found: string[] = [];
  for (const [k, v] of Object.entries(out)) {
    const p = Array.isArray(out) ? `${path}[]` : path === "" ? k : `${path}.${k}`;
    if (v === undefined) found.push(p);
    else found.push(...undefinedIn(v, p));
  }
  return found;
}

/** nullsWhereLists lists the paths at which nil holds null and full a list. */
function nullsWhereLists(full: unknown, nil: unknown, path = ""): string[] {
  if (nil === null) return Array.isArray(full) ? [path] : [];
  if (typeof nil !== "object" || typeof full !== "object" || full === null) return [];
  const found: string[] = [];
  if (Array.isArray(nil)) {
    // Compare each element with the full output's first: they have one shape.
    for (const x of nil) found.push(...nullsWhereLists(Array.isArray(full) ? full[0] : undefined, x, `${path}[]`));
    return found;
  }
  for (const [k, x] of Object.entries(nil)) found.push(...nullsWhereLists((full as Record<string, unknown>)[k], x, path === "" ? k : `${path}.${k}`));
  return found;
}

/**
 * nilVariants gives a copy of the sample for each list in it, with that list
 * as Go sends a nil slice: null, or left out where the model marks the field
 * optional (omitempty).
 */
function nilVariants(v: Json, optional: string[]): { path: string; sample: Json }[] {
  const out: { path: string; sample: Json }[] = [];
  const walk = (x: Json, path: string, set: (root: Json) => Json) => {
    if (Array.isArray(x)) {
      out.push({ path, sample: set(optional.includes(path) ? undefined : null) });
      if (x.length > 0) walk(x[0], `${path}[]`, (r) => set([r, ...x.slice(1)]));
      return;
    }
    if (!isPlain(x)) return;
    for (const [k, y] of Object.entries(x)) walk(y, path === "" ? k : `${path}.${k}`, (r) => set({ ...x, [k]: r }));
  };
  walk(v, "", (r) => r);
  return out;
}

describe("the UI contract", () => {
  for (const c of cases) {
    describe(c.name, () => {
      const fields = fieldsOf(c.model, c.sample);

      it("has a sample with exactly the generated model's fields", () => {
        expect(fields.extra, "sample fields the Go type does not have").toEqual([]);
        expect(fields.missing, "model fields the sample leaves out").toEqual([]);
      });

      it("reads every field of the model, or names it as unused", () => {
        const t = tracker();
        const out = c.convert(t.wrap(roundTrip(c.sample), ""));
        t.stop();
        const passed = t.passedOn(out);
        const under = (p: string, q: string) => q === "" || p === q || p.startsWith(`${q}.`) || p.startsWith(`${q}[]`);
        const ignored = c.ignored ?? [];
        const unread = fields.paths.filter((p) => !t.reads.has(p) && !passed.some((q) => under(p, q)) && !ignored.some((q) => under(p, q)));
        expect(unread, "fields the conversion never reads").toEqual([]);
        expect(
          ignored.filter((p) => !fields.paths.includes(p)),
          "ignored fields the model does not have",
        ).toEqual([]);
      });

      it("leaves no field undefined", () => {
        expect(undefinedIn(c.convert(roundTrip(c.sample))), "undefined fields").toEqual([]);
      });

      it("fills the lists Go sends as null", () => {
        const full = c.convert(roundTrip(c.sample));
        const variants = nilVariants(c.sample, fields.optional);
        for (const v of variants) {
          const nulls = nullsWhereLists(full, c.convert(roundTrip(v.sample))).filter((p) => !(c.nullable ?? []).some((q) => p === q || p.startsWith(`${q}.`)));
          expect(nulls, `lists left null when ${v.path} is null`).toEqual([]);
        }
      });
    });
  }
});

describe("both transports", () => {
  afterEach(() => {
    delete (globalThis as { window?: unknown }).window;
  });

  it("give the same values for the same Go JSON", async () => {
    // What the container answers, by binding and by HTTP path.
    const answers: [string, string, Json][] = [
      ["SearchService.SearchMode", "/api/search", searchResult],
      ["SearchService.Document", "/api/documents/d1", doc],
      ["SearchService.Thread", "/api/documents/d1/thread", [threadMessage]],
      ["SearchService.Neighbors", "/api/graph", neighbors],
      ["SearchService.Links", "/api/documents/d1/links", noteLinks],
      ["MemoryService.ListAll", "/api/memories/all", { user: "local", memories: [mem] }],
      ["MemoryService.History", "/api/memories/m1/history", { id: "m1", current: mem, versions: [memVersion] }],
      ["MemoryService.Search", "/api/memories/search", { hits: [{ ...mem, score: 0.9 }] }],
      ["ImportService.Jobs", "/api/jobs", [job, { ...job, finished: undefined, errors: null }]],
      ["SettingsService.Dictionary", "/api/dictionary", [dictEntry, { ...dictEntry, expansions: null }]],
      ["GapsService.Groups", "/api/gaps/groups", [{ kind: "contradiction", gaps: [gap] }]],
      ["ConnectorsService.List", "/api/connectors", [connector, { ...connector, connected: undefined, last_sync: undefined }]],
      ["TeamService.Overview", "/api/team", { ...overview, unshared: null }],
      ["TeamService.Teams", "/api/team/teams", [team, { ...team, members: undefined }]],
    ];
    const go: Record<string, Record<string, () => Promise<Json>>> = {};
    for (const [binding, , body] of answers) {
      const [service, method] = binding.split(".") as [string, string];
      (go[service] ??= {})[method] = () => Promise.resolve(roundTrip(body));
    }
    (globalThis as { window?: unknown }).window = { go: { app: go } };
    const http = new HttpApi({
      fetch: async (input) => {
        const path = new URL(String(input), "http://127.0.0.1").pathname;
        const a = answers.find(([, p]) => p === path);
        if (!a) throw new Error(`no answer for ${path}`);
        return new Response(JSON.stringify(a[2]), { status: 200, headers: { "Content-Type": "application/json" } });
      },
    });
    const wails = new WailsApi();
    const calls: [string, (api: HttpApi | WailsApi) => Promise<unknown>][] = [
      ["search", (api) => api.search("tomatoes", 10, 0)],
      ["document", (api) => api.document("d1")],
      ["thread", (api) => api.thread("d1")],
      ["neighbors", (api) => api.neighbors("Ann", 1)],
      ["links", (api) => api.links("d1")],
      ["allMemories", (api) => api.allMemories("local")],
      ["memoryHistory", (api) => api.memoryHistory("local", "m1")],
      ["searchMemories", (api) => api.searchMemories("local", "aarhus", {})],
      ["jobs", (api) => api.jobs()],
      ["dictionary", (api) => api.dictionary()],
      ["gapGroups", (api) => api.gapGroups()],
      ["connectors", (api) => api.connectors()],
      ["team", (api) => api.team()],
      ["teams", (api) => api.teams()],
    ];
    for (const [name, call] of calls) {
      const [viaWails, viaHttp] = [await call(wails), await call(http)];
      expect(viaWails, name).toEqual(viaHttp);
      expect(undefinedIn(viaHttp), name).toEqual([]);
    }
    // The conversions did their work on both: a spot check.
    const r = (await wails.search("tomatoes", 10, 0)) as { tookMs: number; hits: { from?: string; to?: string[]; semantic?: boolean }[] };
    expect(r.tookMs).toBe(1.5);
    expect(r.hits[0]).toMatchObject({ from: "bob@example.org", to: ["Ann Berg", "cy@example.org"], semantic: true });
    const jobs = await http.jobs();
    expect(jobs[1]).toMatchObject({ errors: [], started: T1 });
    expect("finished" in jobs[1]!).toBe(false);
    expect((await wails.teams())[1]!.members).toEqual([]);
    expect((await http.dictionary())[1]!.expansions).toEqual([]);
  });
});

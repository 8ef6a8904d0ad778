export namespace app {
	
	export class Check {
	    status: string;
	    missing: number;
	    stale: number;
	    extra: number;
	    detail?: string;
	
	    static createFrom(source: any = {}) {
	        return new Check(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.status = source["status"];
	        this.missing = source["missing"];
	        this.stale = source["stale"];
	        this.extra = source["extra"];
	        this.detail = source["detail"];
	    }
	}
	export class ConnectStart {
	    name: string;
	    auth_url: string;
	
	    static createFrom(source: any = {}) {
	        return new ConnectStart(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.auth_url = source["auth_url"];
	    }
	}
	export class DictEntry {
	    kind: string;
	    term: string;
	    expansions: string[];
	    origin: string;
	    off?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DictEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.term = source["term"];
	        this.expansions = source["expansions"];
	        this.origin = source["origin"];
	        this.off = source["off"];
	    }
	}
	export class DoctorReport {
	    workspace: string;
	    documents: number;
	    index: Check;
	    graph: Check;
	    problems: string[];
	    set_aside?: string[];
	    repaired: boolean;
	    ok: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DoctorReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.documents = source["documents"];
	        this.index = this.convertValues(source["index"], Check);
	        this.graph = this.convertValues(source["graph"], Check);
	        this.problems = source["problems"];
	        this.set_aside = source["set_aside"];
	        this.repaired = source["repaired"];
	        this.ok = source["ok"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EmbedStatus {
	    workspace: string;
	    state: string;
	    endpoint?: embed.Status;
	    pending: number;
	    documents: number;
	    chunks: number;
	    approximate: boolean;
	    progress?: embed.Progress;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new EmbedStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.state = source["state"];
	        this.endpoint = this.convertValues(source["endpoint"], embed.Status);
	        this.pending = source["pending"];
	        this.documents = source["documents"];
	        this.chunks = source["chunks"];
	        this.approximate = source["approximate"];
	        this.progress = this.convertValues(source["progress"], embed.Progress);
	        this.error = source["error"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Entity {
	    id: string;
	    name: string;
	    kind: string;
	    aliases?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Entity(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.aliases = source["aliases"];
	    }
	}
	export class Facet {
	    value: string;
	    count: number;
	    address?: string;
	
	    static createFrom(source: any = {}) {
	        return new Facet(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.count = source["count"];
	        this.address = source["address"];
	    }
	}
	export class GapDetail {
	    id: string;
	    kind: string;
	    summary: string;
	    question: string;
	    ask: gaps.Person[];
	    evidence: gaps.Evidence[];
	    values: gaps.Value[];
	    dismissed: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GapDetail(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.summary = source["summary"];
	        this.question = source["question"];
	        this.ask = this.convertValues(source["ask"], gaps.Person);
	        this.evidence = this.convertValues(source["evidence"], gaps.Evidence);
	        this.values = this.convertValues(source["values"], gaps.Value);
	        this.dismissed = source["dismissed"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GapGroup {
	    kind: string;
	    gaps: gaps.Gap[];
	
	    static createFrom(source: any = {}) {
	        return new GapGroup(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.gaps = this.convertValues(source["gaps"], gaps.Gap);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GapsFilter {
	    kind: string;
	    person: string;
	    since: string;
	    dismissed: boolean;
	    limit: number;
	
	    static createFrom(source: any = {}) {
	        return new GapsFilter(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.person = source["person"];
	        this.since = source["since"];
	        this.dismissed = source["dismissed"];
	        this.limit = source["limit"];
	    }
	}
	export class GapsList {
	    gaps: gaps.Gap[];
	
	    static createFrom(source: any = {}) {
	        return new GapsList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.gaps = this.convertValues(source["gaps"], gaps.Gap);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ImportProgress {
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
	    errors: ingest.ItemError[];
	    error?: string;
	    finished: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ImportProgress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.job_id = source["job_id"];
	        this.paths = source["paths"];
	        this.state = source["state"];
	        this.total = source["total"];
	        this.done = source["done"];
	        this.imported = source["imported"];
	        this.updated = source["updated"];
	        this.skipped = source["skipped"];
	        this.failed = source["failed"];
	        this.removed = source["removed"];
	        this.walking = source["walking"];
	        this.current = source["current"];
	        this.rate = source["rate"];
	        this.eta_seconds = source["eta_seconds"];
	        this.errors = this.convertValues(source["errors"], ingest.ItemError);
	        this.error = source["error"];
	        this.finished = source["finished"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Info {
	    data_dir: string;
	    workspace: string;
	    version: string;
	
	    static createFrom(source: any = {}) {
	        return new Info(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.data_dir = source["data_dir"];
	        this.workspace = source["workspace"];
	        this.version = source["version"];
	    }
	}
	export class LLMSettings {
	    endpoint: string;
	    model: string;
	
	    static createFrom(source: any = {}) {
	        return new LLMSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.endpoint = source["endpoint"];
	        this.model = source["model"];
	    }
	}
	export class MemoryEvents {
	    events: memory.Event[];
	    degraded?: string[];
	
	    static createFrom(source: any = {}) {
	        return new MemoryEvents(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.events = this.convertValues(source["events"], memory.Event);
	        this.degraded = source["degraded"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MemoryHistory {
	    id: string;
	    current: store.Memory;
	    versions: store.MemoryVersion[];
	
	    static createFrom(source: any = {}) {
	        return new MemoryHistory(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.current = this.convertValues(source["current"], store.Memory);
	        this.versions = this.convertValues(source["versions"], store.MemoryVersion);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MemoryList {
	    user: string;
	    memories: store.Memory[];
	
	    static createFrom(source: any = {}) {
	        return new MemoryList(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.user = source["user"];
	        this.memories = this.convertValues(source["memories"], store.Memory);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MemorySearchOptions {
	    as_of?: string;
	    kind?: string;
	    all?: boolean;
	    limit?: number;
	
	    static createFrom(source: any = {}) {
	        return new MemorySearchOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.as_of = source["as_of"];
	        this.kind = source["kind"];
	        this.all = source["all"];
	        this.limit = source["limit"];
	    }
	}
	export class MemorySearchResult {
	    hits: memory.Hit[];
	    semantic?: string[];
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new MemorySearchResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.hits = this.convertValues(source["hits"], memory.Hit);
	        this.semantic = source["semantic"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Neighbor {
	    id: string;
	    name: string;
	    kind: string;
	    aliases?: string[];
	    predicate: string;
	    direction: string;
	    count: number;
	    depth: number;
	    via?: string;
	
	    static createFrom(source: any = {}) {
	        return new Neighbor(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.kind = source["kind"];
	        this.aliases = source["aliases"];
	        this.predicate = source["predicate"];
	        this.direction = source["direction"];
	        this.count = source["count"];
	        this.depth = source["depth"];
	        this.via = source["via"];
	    }
	}
	export class NeighborsResult {
	    entity: Entity;
	    neighbors: Neighbor[];
	
	    static createFrom(source: any = {}) {
	        return new NeighborsResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.entity = this.convertValues(source["entity"], Entity);
	        this.neighbors = this.convertValues(source["neighbors"], Neighbor);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class NoteLink {
	    id: string;
	    title: string;
	    source?: string;
	    path?: string;
	    target?: string;
	    context: string;
	    missing?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new NoteLink(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.source = source["source"];
	        this.path = source["path"];
	        this.target = source["target"];
	        this.context = source["context"];
	        this.missing = source["missing"];
	    }
	}
	export class NoteLinks {
	    outgoing: NoteLink[];
	    backlinks: NoteLink[];
	    degraded?: string[];
	
	    static createFrom(source: any = {}) {
	        return new NoteLinks(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.outgoing = this.convertValues(source["outgoing"], NoteLink);
	        this.backlinks = this.convertValues(source["backlinks"], NoteLink);
	        this.degraded = source["degraded"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SearchHit {
	    id: string;
	    title: string;
	    source: string;
	    path: string;
	    snippet: string;
	    score: number;
	    // Go type: time
	    date: any;
	    from?: search.Person;
	    to?: search.Person[];
	    matched?: string[];
	
	    static createFrom(source: any = {}) {
	        return new SearchHit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.source = source["source"];
	        this.path = source["path"];
	        this.snippet = source["snippet"];
	        this.score = source["score"];
	        this.date = this.convertValues(source["date"], null);
	        this.from = this.convertValues(source["from"], search.Person);
	        this.to = this.convertValues(source["to"], search.Person);
	        this.matched = source["matched"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SearchResult {
	    total: number;
	    took_ms: number;
	    hits: SearchHit[];
	    facets: Record<string, Array<Facet>>;
	    partial?: boolean;
	    degraded?: string[];
	    corrected?: string;
	    mode?: string;
	    notice?: string;
	
	    static createFrom(source: any = {}) {
	        return new SearchResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.total = source["total"];
	        this.took_ms = source["took_ms"];
	        this.hits = this.convertValues(source["hits"], SearchHit);
	        this.facets = this.convertValues(source["facets"], Array<Facet>, true);
	        this.partial = source["partial"];
	        this.degraded = source["degraded"];
	        this.corrected = source["corrected"];
	        this.mode = source["mode"];
	        this.notice = source["notice"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Settings {
	    data_dir: string;
	    workspace: string;
	    max_file_mb: string;
	    max_depth: string;
	    embed_endpoint: string;
	    embed_model: string;
	
	    static createFrom(source: any = {}) {
	        return new Settings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.data_dir = source["data_dir"];
	        this.workspace = source["workspace"];
	        this.max_file_mb = source["max_file_mb"];
	        this.max_depth = source["max_depth"];
	        this.embed_endpoint = source["embed_endpoint"];
	        this.embed_model = source["embed_model"];
	    }
	}
	export class ThreadMessage {
	    id: string;
	    title: string;
	    from?: string;
	    // Go type: time
	    date: any;
	    excerpt?: string;
	    in_reply_to?: string;
	
	    static createFrom(source: any = {}) {
	        return new ThreadMessage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.from = source["from"];
	        this.date = this.convertValues(source["date"], null);
	        this.excerpt = source["excerpt"];
	        this.in_reply_to = source["in_reply_to"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WhoKnowsResult {
	    topic: string;
	    documents: number;
	    people: gaps.Expert[];
	
	    static createFrom(source: any = {}) {
	        return new WhoKnowsResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.topic = source["topic"];
	        this.documents = source["documents"];
	        this.people = this.convertValues(source["people"], gaps.Expert);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WorkspaceInfo {
	    name: string;
	    documents: number;
	    default: boolean;
	    open: boolean;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.documents = source["documents"];
	        this.default = source["default"];
	        this.open = source["open"];
	    }
	}

}

export namespace connect {
	
	export class Status {
	    name: string;
	    status: string;
	    account?: string;
	    workspace?: string;
	    // Go type: time
	    connected: any;
	    // Go type: time
	    last_sync: any;
	    documents: number;
	    added: number;
	    updated: number;
	    removed: number;
	    failed: number;
	    error?: string;
	    syncing: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.status = source["status"];
	        this.account = source["account"];
	        this.workspace = source["workspace"];
	        this.connected = this.convertValues(source["connected"], null);
	        this.last_sync = this.convertValues(source["last_sync"], null);
	        this.documents = source["documents"];
	        this.added = source["added"];
	        this.updated = source["updated"];
	        this.removed = source["removed"];
	        this.failed = source["failed"];
	        this.error = source["error"];
	        this.syncing = source["syncing"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace document {
	
	export class Attachment {
	    name: string;
	    content_type?: string;
	    size?: number;
	
	    static createFrom(source: any = {}) {
	        return new Attachment(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.content_type = source["content_type"];
	        this.size = source["size"];
	    }
	}
	export class Person {
	    name?: string;
	    address?: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class Link {
	    target: string;
	    heading?: string;
	    alias?: string;
	    embed?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Link(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.target = source["target"];
	        this.heading = source["heading"];
	        this.alias = source["alias"];
	        this.embed = source["embed"];
	    }
	}
	export class Document {
	    id: string;
	    source: string;
	    path: string;
	    title: string;
	    body: string;
	    markdown?: string;
	    from?: string;
	    to?: string[];
	    tags?: string[];
	    headings?: string[];
	    aliases?: string[];
	    links?: Link[];
	    meta?: Record<string, string>;
	    message_id?: string;
	    in_reply_to?: string;
	    references?: string[];
	    attachments?: Attachment[];
	    // Go type: time
	    date: any;
	    // Go type: time
	    mod_time: any;
	    size: number;
	    content_hash: string;
	    from_people?: Person[];
	    to_people?: Person[];
	    cc_people?: Person[];
	    dates?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Document(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.source = source["source"];
	        this.path = source["path"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.markdown = source["markdown"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.tags = source["tags"];
	        this.headings = source["headings"];
	        this.aliases = source["aliases"];
	        this.links = this.convertValues(source["links"], Link);
	        this.meta = source["meta"];
	        this.message_id = source["message_id"];
	        this.in_reply_to = source["in_reply_to"];
	        this.references = source["references"];
	        this.attachments = this.convertValues(source["attachments"], Attachment);
	        this.date = this.convertValues(source["date"], null);
	        this.mod_time = this.convertValues(source["mod_time"], null);
	        this.size = source["size"];
	        this.content_hash = source["content_hash"];
	        this.from_people = this.convertValues(source["from_people"], Person);
	        this.to_people = this.convertValues(source["to_people"], Person);
	        this.cc_people = this.convertValues(source["cc_people"], Person);
	        this.dates = source["dates"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	

}

export namespace embed {
	
	export class Progress {
	    done: number;
	    total: number;
	    chunks: number;
	    sent: number;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.done = source["done"];
	        this.total = source["total"];
	        this.chunks = source["chunks"];
	        this.sent = source["sent"];
	    }
	}
	export class Status {
	    endpoint: string;
	    model: string;
	    api: string;
	    up: boolean;
	    error?: string;
	
	    static createFrom(source: any = {}) {
	        return new Status(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.endpoint = source["endpoint"];
	        this.model = source["model"];
	        this.api = source["api"];
	        this.up = source["up"];
	        this.error = source["error"];
	    }
	}

}

export namespace gaps {
	
	export class DocRef {
	    id: string;
	    title: string;
	    // Go type: time
	    date: any;
	
	    static createFrom(source: any = {}) {
	        return new DocRef(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.date = this.convertValues(source["date"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Person {
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class Evidence {
	    doc_id: string;
	    title: string;
	    // Go type: time
	    date: any;
	    passage: string;
	    people: Person[];
	
	    static createFrom(source: any = {}) {
	        return new Evidence(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.doc_id = source["doc_id"];
	        this.title = source["title"];
	        this.date = this.convertValues(source["date"], null);
	        this.passage = source["passage"];
	        this.people = this.convertValues(source["people"], Person);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Expert {
	    name: string;
	    address: string;
	    wrote: number;
	    received: number;
	    score: number;
	    docs: DocRef[];
	
	    static createFrom(source: any = {}) {
	        return new Expert(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	        this.wrote = source["wrote"];
	        this.received = source["received"];
	        this.score = source["score"];
	        this.docs = this.convertValues(source["docs"], DocRef);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Value {
	    value: string;
	    doc_id: string;
	    // Go type: time
	    date: any;
	    newer: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Value(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.doc_id = source["doc_id"];
	        this.date = this.convertValues(source["date"], null);
	        this.newer = source["newer"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Gap {
	    id: string;
	    kind: string;
	    summary: string;
	    question: string;
	    ask: Person[];
	    evidence: Evidence[];
	    values: Value[];
	
	    static createFrom(source: any = {}) {
	        return new Gap(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.summary = source["summary"];
	        this.question = source["question"];
	        this.ask = this.convertValues(source["ask"], Person);
	        this.evidence = this.convertValues(source["evidence"], Evidence);
	        this.values = this.convertValues(source["values"], Value);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Result {
	    documents: number;
	    owners: number;
	    gaps: number;
	    unchanged: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Result(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.documents = source["documents"];
	        this.owners = source["owners"];
	        this.gaps = source["gaps"];
	        this.unchanged = source["unchanged"];
	    }
	}
	export class State {
	    analysed: boolean;
	    pending: number;
	    running: boolean;
	    gaps: number;
	
	    static createFrom(source: any = {}) {
	        return new State(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.analysed = source["analysed"];
	        this.pending = source["pending"];
	        this.running = source["running"];
	        this.gaps = source["gaps"];
	    }
	}

}

export namespace ingest {
	
	export class ItemError {
	    path: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new ItemError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.error = source["error"];
	    }
	}

}

export namespace memory {
	
	export class Event {
	    event: string;
	    id: string;
	    event_id?: string;
	    memory: string;
	    previous?: string;
	    kind?: string;
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.event = source["event"];
	        this.id = source["id"];
	        this.event_id = source["event_id"];
	        this.memory = source["memory"];
	        this.previous = source["previous"];
	        this.kind = source["kind"];
	    }
	}
	export class Hit {
	    id: string;
	    user: string;
	    memory: string;
	    kind: string;
	    value?: string;
	    people?: string[];
	    places?: string[];
	    emotions?: string[];
	    trigger?: string;
	    // Go type: time
	    when?: any;
	    // Go type: time
	    when_to?: any;
	    importance: number;
	    source?: string;
	    said?: string;
	    // Go type: time
	    created: any;
	    // Go type: time
	    updated: any;
	    // Go type: time
	    valid_from?: any;
	    // Go type: time
	    valid_to?: any;
	    // Go type: time
	    recorded: any;
	    // Go type: time
	    superseded?: any;
	    confirmed?: boolean;
	    state: string;
	    version: number;
	    score: number;
	
	    static createFrom(source: any = {}) {
	        return new Hit(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.user = source["user"];
	        this.memory = source["memory"];
	        this.kind = source["kind"];
	        this.value = source["value"];
	        this.people = source["people"];
	        this.places = source["places"];
	        this.emotions = source["emotions"];
	        this.trigger = source["trigger"];
	        this.when = this.convertValues(source["when"], null);
	        this.when_to = this.convertValues(source["when_to"], null);
	        this.importance = source["importance"];
	        this.source = source["source"];
	        this.said = source["said"];
	        this.created = this.convertValues(source["created"], null);
	        this.updated = this.convertValues(source["updated"], null);
	        this.valid_from = this.convertValues(source["valid_from"], null);
	        this.valid_to = this.convertValues(source["valid_to"], null);
	        this.recorded = this.convertValues(source["recorded"], null);
	        this.superseded = this.convertValues(source["superseded"], null);
	        this.confirmed = source["confirmed"];
	        this.state = source["state"];
	        this.version = source["version"];
	        this.score = source["score"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace search {
	
	export class Person {
	    name?: string;
	    address?: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}

}

export namespace store {
	
	export class JobError {
	    path: string;
	    error: string;
	
	    static createFrom(source: any = {}) {
	        return new JobError(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.path = source["path"];
	        this.error = source["error"];
	    }
	}
	export class Job {
	    id: string;
	    kind: string;
	    sources: string[];
	    state: string;
	    // Go type: time
	    started: any;
	    // Go type: time
	    finished: any;
	    total: number;
	    done: number;
	    imported: number;
	    updated: number;
	    skipped: number;
	    failed: number;
	    removed: number;
	    current?: string;
	    errors?: JobError[];
	
	    static createFrom(source: any = {}) {
	        return new Job(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.sources = source["sources"];
	        this.state = source["state"];
	        this.started = this.convertValues(source["started"], null);
	        this.finished = this.convertValues(source["finished"], null);
	        this.total = source["total"];
	        this.done = source["done"];
	        this.imported = source["imported"];
	        this.updated = source["updated"];
	        this.skipped = source["skipped"];
	        this.failed = source["failed"];
	        this.removed = source["removed"];
	        this.current = source["current"];
	        this.errors = this.convertValues(source["errors"], JobError);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Memory {
	    id: string;
	    user: string;
	    memory: string;
	    kind: string;
	    value?: string;
	    people?: string[];
	    places?: string[];
	    emotions?: string[];
	    trigger?: string;
	    // Go type: time
	    when?: any;
	    // Go type: time
	    when_to?: any;
	    importance: number;
	    source?: string;
	    said?: string;
	    // Go type: time
	    created: any;
	    // Go type: time
	    updated: any;
	    // Go type: time
	    valid_from?: any;
	    // Go type: time
	    valid_to?: any;
	    // Go type: time
	    recorded: any;
	    // Go type: time
	    superseded?: any;
	    confirmed?: boolean;
	    state: string;
	    version: number;
	
	    static createFrom(source: any = {}) {
	        return new Memory(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.user = source["user"];
	        this.memory = source["memory"];
	        this.kind = source["kind"];
	        this.value = source["value"];
	        this.people = source["people"];
	        this.places = source["places"];
	        this.emotions = source["emotions"];
	        this.trigger = source["trigger"];
	        this.when = this.convertValues(source["when"], null);
	        this.when_to = this.convertValues(source["when_to"], null);
	        this.importance = source["importance"];
	        this.source = source["source"];
	        this.said = source["said"];
	        this.created = this.convertValues(source["created"], null);
	        this.updated = this.convertValues(source["updated"], null);
	        this.valid_from = this.convertValues(source["valid_from"], null);
	        this.valid_to = this.convertValues(source["valid_to"], null);
	        this.recorded = this.convertValues(source["recorded"], null);
	        this.superseded = this.convertValues(source["superseded"], null);
	        this.confirmed = source["confirmed"];
	        this.state = source["state"];
	        this.version = source["version"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MemoryVersion {
	    version: number;
	    event: string;
	    memory: string;
	    kind: string;
	    value?: string;
	    source?: string;
	    said?: string;
	    state?: string;
	    // Go type: time
	    recorded: any;
	    // Go type: time
	    superseded?: any;
	    // Go type: time
	    valid_from?: any;
	    // Go type: time
	    valid_to?: any;
	    undoes?: string;
	
	    static createFrom(source: any = {}) {
	        return new MemoryVersion(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.version = source["version"];
	        this.event = source["event"];
	        this.memory = source["memory"];
	        this.kind = source["kind"];
	        this.value = source["value"];
	        this.source = source["source"];
	        this.said = source["said"];
	        this.state = source["state"];
	        this.recorded = this.convertValues(source["recorded"], null);
	        this.superseded = this.convertValues(source["superseded"], null);
	        this.valid_from = this.convertValues(source["valid_from"], null);
	        this.valid_to = this.convertValues(source["valid_to"], null);
	        this.undoes = source["undoes"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace syncproto {
	
	export class Conflict {
	    kind: string;
	    key: string;
	    heads: string[];
	
	    static createFrom(source: any = {}) {
	        return new Conflict(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.key = source["key"];
	        this.heads = source["heads"];
	    }
	}
	export class Person {
	    id: string;
	    email: string;
	    name?: string;
	
	    static createFrom(source: any = {}) {
	        return new Person(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.email = source["email"];
	        this.name = source["name"];
	    }
	}
	export class Team {
	    id: string;
	    name: string;
	    admin: boolean;
	    members?: Person[];
	
	    static createFrom(source: any = {}) {
	        return new Team(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.admin = source["admin"];
	        this.members = this.convertValues(source["members"], Person);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace teamclient {
	
	export class Head {
	    id: string;
	    device: string;
	    title: string;
	    body: string;
	    deleted?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Head(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.device = source["device"];
	        this.title = source["title"];
	        this.body = source["body"];
	        this.deleted = source["deleted"];
	    }
	}
	export class ItemState {
	    kind: string;
	    key: string;
	    heads: Head[];
	    conflict: boolean;
	    deleted: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ItemState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.key = source["key"];
	        this.heads = this.convertValues(source["heads"], Head);
	        this.conflict = source["conflict"];
	        this.deleted = source["deleted"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class PushReport {
	    workspace: string;
	    queued: number;
	    sent: number;
	    accepted: number;
	    duplicates: number;
	    conflicts: syncproto.Conflict[];
	
	    static createFrom(source: any = {}) {
	        return new PushReport(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.queued = source["queued"];
	        this.sent = source["sent"];
	        this.accepted = source["accepted"];
	        this.duplicates = source["duplicates"];
	        this.conflicts = this.convertValues(source["conflicts"], syncproto.Conflict);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace teamsync {
	
	export class Applied {
	    added: number;
	    updated: number;
	    removed: number;
	    conflicts: number;
	    memories: number;
	
	    static createFrom(source: any = {}) {
	        return new Applied(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.added = source["added"];
	        this.updated = source["updated"];
	        this.removed = source["removed"];
	        this.conflicts = source["conflicts"];
	        this.memories = source["memories"];
	    }
	}
	export class Followed {
	    workspace: string;
	    job_id: string;
	
	    static createFrom(source: any = {}) {
	        return new Followed(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.job_id = source["job_id"];
	    }
	}
	export class LoginState {
	    running: boolean;
	    server?: string;
	    auth_url?: string;
	    error?: string;
	    error_kind?: string;
	
	    static createFrom(source: any = {}) {
	        return new LoginState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.server = source["server"];
	        this.auth_url = source["auth_url"];
	        this.error = source["error"];
	        this.error_kind = source["error_kind"];
	    }
	}
	export class PullResult {
	    workspace: string;
	    changes: number;
	    cursor: number;
	    applied: Applied;
	
	    static createFrom(source: any = {}) {
	        return new PullResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.changes = source["changes"];
	        this.cursor = source["cursor"];
	        this.applied = this.convertValues(source["applied"], Applied);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Progress {
	    job_id: string;
	    kind: string;
	    workspace: string;
	    state: string;
	    phase: string;
	    sent: number;
	    waiting: number;
	    pulled: number;
	    push?: teamclient.PushReport;
	    pull?: PullResult;
	    error?: string;
	    error_kind?: string;
	    finished: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Progress(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.job_id = source["job_id"];
	        this.kind = source["kind"];
	        this.workspace = source["workspace"];
	        this.state = source["state"];
	        this.phase = source["phase"];
	        this.sent = source["sent"];
	        this.waiting = source["waiting"];
	        this.pulled = source["pulled"];
	        this.push = this.convertValues(source["push"], teamclient.PushReport);
	        this.pull = this.convertValues(source["pull"], PullResult);
	        this.error = source["error"];
	        this.error_kind = source["error_kind"];
	        this.finished = source["finished"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class WorkspaceOverview {
	    workspace: string;
	    follows?: string;
	    items: number;
	    cursor: number;
	    pending: number;
	    changed: number;
	    last_push?: string;
	    last_pull?: string;
	    conflicts: teamclient.ItemState[];
	    job?: Progress;
	
	    static createFrom(source: any = {}) {
	        return new WorkspaceOverview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.workspace = source["workspace"];
	        this.follows = source["follows"];
	        this.items = source["items"];
	        this.cursor = source["cursor"];
	        this.pending = source["pending"];
	        this.changed = source["changed"];
	        this.last_push = source["last_push"];
	        this.last_pull = source["last_pull"];
	        this.conflicts = this.convertValues(source["conflicts"], teamclient.ItemState);
	        this.job = this.convertValues(source["job"], Progress);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Overview {
	    server: string;
	    account: string;
	    device: string;
	    signed_in: boolean;
	    login: LoginState;
	    workspaces: WorkspaceOverview[];
	    unshared: string[];
	
	    static createFrom(source: any = {}) {
	        return new Overview(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.account = source["account"];
	        this.device = source["device"];
	        this.signed_in = source["signed_in"];
	        this.login = this.convertValues(source["login"], LoginState);
	        this.workspaces = this.convertValues(source["workspaces"], WorkspaceOverview);
	        this.unshared = source["unshared"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class Remote {
	    id: string;
	    name: string;
	    owner: string;
	    mine: boolean;
	    team_id?: string;
	    team_name?: string;
	    local?: string;
	
	    static createFrom(source: any = {}) {
	        return new Remote(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.name = source["name"];
	        this.owner = source["owner"];
	        this.mine = source["mine"];
	        this.team_id = source["team_id"];
	        this.team_name = source["team_name"];
	        this.local = source["local"];
	    }
	}
	export class SignIn {
	    server: string;
	    account: string;
	    device: string;
	    signed_in: boolean;
	    login: LoginState;
	
	    static createFrom(source: any = {}) {
	        return new SignIn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.account = source["account"];
	        this.device = source["device"];
	        this.signed_in = source["signed_in"];
	        this.login = this.convertValues(source["login"], LoginState);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}


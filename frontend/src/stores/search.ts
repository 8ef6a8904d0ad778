import { batch, computed, signal } from "@preact/signals";
import type { Api, ApiError, EmbedStatus, Facet, SearchHit, SearchMode, SearchResult } from "../api";
import { toApiError } from "../api";
import { debounce } from "../lib/debounce";

/** How long typing must pause before a search starts. */
export const SEARCH_DEBOUNCE_MS = 120;
/** Hits fetched per page. */
export const PAGE_SIZE = 50;

/** LATEST_QUERY matches every document (no source is called "none") and, being a filter, lists them newest first. */
export const LATEST_QUERY = "-source:none";
/** How many of the newest documents the start page shows. */
export const LATEST_SIZE = 8;

export type SearchStatus = "idle" | "loading" | "ready" | "error";

/**
 * SearchStore holds the search view's state: the query, the latest result,
 * the selection and the hit open in the reader. Searches run as the user
 * types, debounced; an answer to anything but the latest request is dropped,
 * so a slow early search never overwrites a later one.
 */
export class SearchStore {
  readonly query = signal("");
  readonly status = signal<SearchStatus>("idle");
  readonly result = signal<SearchResult | null>(null);
  readonly error = signal<ApiError | null>(null);
  /** Index of the highlighted hit, -1 for none. */
  readonly selected = signal(-1);
  /** The hit shown in the reader pane. */
  readonly opened = signal<SearchHit | null>(null);
  readonly loadingMore = signal(false);
  /** Why the [[wikilink]] last clicked opened nothing (no imported note has its name), else null. */
  readonly linkError = signal<string | null>(null);
  /** The newest documents, for the start page; null until asked. */
  readonly latest = signal<SearchHit[] | null>(null);
  /** The mode the user chose; "" leaves it to the backend (hybrid when an embedding endpoint is set). */
  readonly mode = signal<SearchMode>("");
  /** Search by meaning's state; null until asked. */
  readonly embed = signal<EmbedStatus | null>(null);
  /** The mode searches run in: the chosen one, else hybrid when an endpoint is set, else text. */
  readonly effectiveMode = computed<Exclude<SearchMode, "">>(() => effectiveMode(this.mode.value, this.embed.value));

  readonly hits = computed(() => this.result.value?.hits ?? []);
  readonly hasMore = computed(() => {
    const r = this.result.value;
    return r !== null && r.hits.length < r.total;
  });

  private seq = 0;
  /** inflight gives up the latest search's requests (its hits, then its facets) once another supersedes it. */
  private inflight: AbortController | null = null;
  private readonly debounced = debounce((q: string) => void this.run(q), SEARCH_DEBOUNCE_MS);

  constructor(private readonly api: Api) {}

  /** setQuery records what the user typed and schedules a search. */
  setQuery(q: string): void {
    this.query.value = q;
    if (q.trim() === "") {
      this.debounced.cancel();
      this.seq++; // drop any answer still on its way
      this.inflight?.abort();
      this.inflight = null;
      batch(() => {
        this.status.value = "idle";
        this.result.value = null;
        this.error.value = null;
        this.selected.value = -1;
        this.opened.value = null;
      });
      return;
    }
    this.status.value = "loading";
    this.debounced(q);
  }

  /**
   * loadLatest lists the newest documents for the start page: a query of a
   * filter alone, which the index lists newest first.
   */
  async loadLatest(): Promise<void> {
    try {
      this.latest.value = (await this.api.search(LATEST_QUERY, LATEST_SIZE, 0)).hits;
    } catch {
      this.latest.value = [];
    }
  }

  /** setMode switches the search mode and searches again at once. */
  setMode(m: SearchMode): void {
    if (this.mode.value === m) return;
    this.mode.value = m;
    if (this.query.value.trim() !== "") void this.retry();
  }

  /** loadEmbed asks for search by meaning's state (the switch's default and the status line). */
  async loadEmbed(): Promise<void> {
    try {
      this.embed.value = await this.api.embedStatus();
    } catch {
      this.embed.value = null; // words only; the switch still works
    }
  }

  /** submit runs the pending search now instead of after the pause. */
  submit(): void {
    this.debounced.flush();
  }

  /** retry repeats the current query at once, e.g. after an error. */
  retry(): Promise<void> {
    this.debounced.cancel();
    return this.run(this.query.value);
  }

  /** run searches q and keeps the answer if it is still the latest. */
  async run(q: string): Promise<void> {
    if (q.trim() === "") return;
    const my = ++this.seq;
    // The server stops what this search supersedes, so the cores go to it.
    this.inflight?.abort();
    const ctl = new AbortController();
    this.inflight = ctl;
    this.status.value = "loading";
    try {
      const res = await this.api.search(q, PAGE_SIZE, 0, this.mode.value, ctl.signal);
      if (my !== this.seq) return;
      // The hits are painted at once; the facets follow. Until they do,
      // the previous query's stay, so the list does not jump.
      const prev = this.result.value?.facets ?? {};
      batch(() => {
        this.result.value = { ...res, facets: prev };
        this.error.value = null;
        this.status.value = "ready";
        this.selected.value = res.hits.length > 0 ? 0 : -1;
        this.opened.value = null;
      });
      void this.loadFacets(q, my, ctl.signal);
    } catch (e) {
      if (my !== this.seq) return;
      batch(() => {
        this.error.value = toApiError("search", e);
        this.status.value = "error";
      });
    }
  }

  /** loadFacets fills the facets of search my (query q) if it is still the latest. */
  private async loadFacets(q: string, my: number, signal: AbortSignal): Promise<void> {
    let facets: Record<string, Facet[]> = {};
    try {
      facets = await this.api.facets(q, signal);
    } catch {
      // Facets are a refinement: without them the hits still stand.
    }
    const cur = this.result.value;
    if (my !== this.seq || !cur) return;
    this.result.value = { ...cur, facets };
  }

  /** loadMore appends the next page of the current result. */
  async loadMore(): Promise<void> {
    const cur = this.result.value;
    if (!cur || this.loadingMore.value || !this.hasMore.value) return;
    const my = this.seq;
    this.loadingMore.value = true;
    try {
      const res = await this.api.search(this.query.value, PAGE_SIZE, cur.hits.length, this.mode.value);
      if (my !== this.seq) return;
      this.result.value = { ...res, facets: cur.facets, hits: [...cur.hits, ...res.hits] };
    } catch (e) {
      if (my !== this.seq) return;
      batch(() => {
        this.error.value = toApiError("search", e);
        this.status.value = "error";
      });
    } finally {
      this.loadingMore.value = false;
    }
  }

  /** move shifts the selection by delta, staying within the hits. */
  move(delta: number): void {
    const n = this.hits.value.length;
    if (n === 0) return;
    const cur = this.selected.value;
    this.selected.value = cur < 0 ? (delta > 0 ? 0 : n - 1) : Math.max(0, Math.min(n - 1, cur + delta));
  }

  /** open shows hit i (default: the selected one) in the reader. */
  open(i = this.selected.value): void {
    const hit = this.hits.value[i];
    if (!hit) return;
    batch(() => {
      this.selected.value = i;
      this.opened.value = hit;
    });
  }

  /** show opens a document that is not (necessarily) among the hits, such as a message of a thread. */
  show(hit: SearchHit): void {
    batch(() => {
      this.linkError.value = null;
      const i = this.hits.value.findIndex((h) => h.id === hit.id);
      this.selected.value = i;
      this.opened.value = i >= 0 ? this.hits.value[i]! : hit;
    });
  }

  /** close hides the reader. */
  close(): void {
    this.opened.value = null;
    this.linkError.value = null;
  }

  /**
   * openLink opens the note a [[wikilink]] to target names, as Obsidian
   * does; when no imported note has that name, linkError says so and the
   * reader stays where it is.
   */
  async openLink(target: string): Promise<boolean> {
    this.linkError.value = null;
    try {
      this.show(await this.api.resolveNote(target));
      return true;
    } catch (e) {
      const err = toApiError("open note", e);
      this.linkError.value = err.notFound ? `No note called “${target}” has been imported yet.` : err.message;
      return false;
    }
  }

  /** openID opens document id in the reader (a link, the palette, the URL); the reader fills in the rest. */
  openID(id: string, title = "", source = ""): void {
    if (this.opened.value?.id === id) return;
    this.show({ id, title, source, path: "", snippet: "", score: 0, date: "" });
  }
}

/**
 * effectiveMode is the mode a search runs in: the one chosen, else hybrid
 * when an embedding endpoint is set (the backend's default), else text.
 */
export function effectiveMode(chosen: SearchMode, embed: EmbedStatus | null): Exclude<SearchMode, ""> {
  if (chosen) return chosen;
  return embed && embed.state !== "off" ? "hybrid" : "text";
}

/** embedSummary is one line on search by meaning: off, down, or how much is embedded and what is left. */
export function embedSummary(e: EmbedStatus | null): string {
  if (!e || e.state === "off") return "Search by meaning is off: set an embedding endpoint in Settings.";
  if (e.state === "down") return `Embedding endpoint not answering${e.endpoint?.error ? ` (${e.endpoint.error})` : ""}: searching by words.`;
  const docs = `${e.documents.toLocaleString()} ${e.documents === 1 ? "document" : "documents"} embedded`;
  if (e.state === "running") {
    const p = e.progress;
    return p && p.total > 0 ? `${docs}; embedding ${p.done.toLocaleString()} of ${p.total.toLocaleString()}…` : `${docs}; embedding ${e.pending.toLocaleString()} more…`;
  }
  if (e.pending > 0) return `${docs}; ${e.pending.toLocaleString()} waiting.`;
  return `${docs}.`;
}

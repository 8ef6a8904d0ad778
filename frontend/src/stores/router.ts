import { effect } from "@preact/signals";
import { formatRoute, isStep, parseRoute, type Route } from "../lib/route";
import type { GraphStore } from "./graph";
import type { NavStore } from "./nav";
import type { SearchStore } from "./search";

/** The parts of window the router uses; tests pass a fake. */
export interface RouterWindow {
  location: { hash: string };
  history: {
    pushState(data: unknown, unused: string, url?: string | null): void;
    replaceState(data: unknown, unused: string, url?: string | null): void;
  };
  addEventListener(type: "popstate" | "pagehide", fn: () => void): void;
  removeEventListener(type: "popstate" | "pagehide", fn: () => void): void;
}

/**
 * REPLACE_DELAY_MS is how long the query must rest before the address bar
 * follows it: typing does not rewrite the history on every keystroke
 * (browsers throttle a page that does, and it is work on the keystroke's
 * path). Opening a view, a document or a root is written at once.
 */
export const REPLACE_DELAY_MS = 250;

/**
 * Router keeps the address bar's hash and the stores in step (see
 * lib/route.ts): what the stores show is written to the hash, a new entry
 * for each view, document or graph root opened (so Back and Forward walk
 * them) and a replaced one as a query is typed; a hash that changes under
 * it (Back, Forward, a bookmark, a reload) is shown.
 */
export class Router {
  private last: Route = { view: "search" };
  private applying = 0;
  private stop: (() => void) | null = null;
  private pending: ReturnType<typeof setTimeout> | undefined;
  private pendingHash = "";

  constructor(
    private readonly nav: NavStore,
    private readonly search: SearchStore,
    private readonly graph: GraphStore,
    private readonly win: RouterWindow,
    private readonly replaceDelay = REPLACE_DELAY_MS,
  ) {}

  /** current is the route of what the stores show. */
  current(): Route {
    const view = this.nav.view.value;
    if (view === "search") {
      const q = this.search.query.value.trim();
      const doc = this.search.opened.value?.id;
      const mode = this.search.mode.value;
      return { view, ...(q ? { q } : {}), ...(doc ? { doc } : {}), ...(mode ? { mode } : {}) };
    }
    if (view === "graph") {
      const root = this.graph.query.value.trim();
      return { view, ...(root ? { root } : {}) };
    }
    return { view };
  }

  /** start shows the page's hash, then follows both ways until the returned function is called. */
  start(): Promise<void> {
    const first = this.apply(parseRoute(this.win.location.hash));
    const onPop = () => {
      this.cancelReplace();
      void this.apply(parseRoute(this.win.location.hash));
    };
    const onHide = () => this.flush();
    this.win.addEventListener("popstate", onPop);
    this.win.addEventListener("pagehide", onHide);
    const off = effect(() => {
      const r = this.current();
      if (this.applying > 0) return;
      this.write(r);
    });
    this.stop = () => {
      off();
      this.cancelReplace();
      this.win.removeEventListener("popstate", onPop);
      this.win.removeEventListener("pagehide", onHide);
    };
    return first;
  }

  dispose(): void {
    this.stop?.();
  }

  private write(r: Route): void {
    const hash = formatRoute(r);
    const step = isStep(this.last, r);
    this.last = r;
    if (step) {
      this.cancelReplace();
      if (hash !== this.win.location.hash) this.win.history.pushState(null, "", hash);
      return;
    }
    this.pendingHash = hash;
    if (this.pending === undefined) this.pending = setTimeout(() => this.flush(), this.replaceDelay);
  }

  /** flush writes the query waiting for its pause now. */
  private flush(): void {
    if (this.pending === undefined) return;
    this.cancelReplace();
    if (this.pendingHash !== this.win.location.hash) this.win.history.replaceState(null, "", this.pendingHash);
  }

  private cancelReplace(): void {
    clearTimeout(this.pending);
    this.pending = undefined;
  }

  /** apply makes the stores show r. */
  async apply(r: Route): Promise<void> {
    this.applying++;
    try {
      this.nav.view.value = r.view;
      this.nav.palette.value = false;
      if (r.view === "search") {
        const q = r.q ?? "";
        const modeChanged = (r.mode ?? "") !== this.search.mode.value;
        this.search.mode.value = r.mode ?? "";
        if (modeChanged && q && this.search.query.value.trim() === q) await this.search.retry();
        if (this.search.query.value.trim() !== q) {
          this.search.setQuery(q);
          if (q) await this.search.retry();
        }
        if (r.doc) this.search.openID(r.doc);
        else this.search.close();
      } else if (r.view === "graph" && r.root && r.root !== this.graph.query.value.trim()) {
        await this.graph.open(r.root);
      }
    } finally {
      this.applying--;
    }
    if (this.applying === 0) {
      // What it shows now is where history stands, without a new entry.
      this.cancelReplace();
      this.last = this.current();
      const hash = formatRoute(this.last);
      if (hash !== this.win.location.hash) this.win.history.replaceState(null, "", hash);
    }
  }
}

import { signal } from "@preact/signals";
import type { Api, ApiError, Doc, NoteLinks, ThreadMessage } from "../api";
import { toApiError } from "../api";
import { addRecent, loadRecent, type RecentDoc } from "../lib/recent";

/** isMessage reports whether a source is mail or chat: messages have threads, not links. */
export function isMessage(source: string): boolean {
  return source === "email" || source === "slack";
}

/** ReaderStore loads the full document the search view opened, its thread and its links. */
export class ReaderStore {
  readonly doc = signal<Doc | null>(null);
  readonly error = signal<ApiError | null>(null);
  readonly loading = signal(false);
  /** The messages of the opened email's thread, oldest first; [] otherwise. */
  readonly thread = signal<ThreadMessage[]>([]);
  /** The opened note's outgoing links and backlinks; null until known. */
  readonly links = signal<NoteLinks | null>(null);
  /** The documents opened lately in this workspace, latest first. */
  readonly recent = signal<RecentDoc[]>([]);
  private seq = 0;

  constructor(private readonly api: Api) {
    this.recent.value = loadRecent(api.workspace);
  }

  async load(id: string): Promise<void> {
    const my = ++this.seq;
    this.loading.value = true;
    this.error.value = null;
    this.thread.value = [];
    this.links.value = null;
    try {
      const d = await this.api.document(id);
      if (my !== this.seq) return;
      this.doc.value = d;
      this.recent.value = addRecent(this.api.workspace, { id: d.id, title: d.title || d.path || "Untitled", source: d.source });
      // The thread and the links are extra: the reader stays usable when they fail.
      if (isMessage(d.source)) {
        const t = await this.api.thread(id).catch(() => []);
        if (my === this.seq) this.thread.value = t;
      }
      if (!isMessage(d.source)) {
        const l = await this.api.links(id).catch(() => null);
        if (my === this.seq) this.links.value = l;
      }
    } catch (e) {
      if (my === this.seq) {
        this.doc.value = null;
        this.error.value = toApiError("document", e);
      }
    } finally {
      if (my === this.seq) this.loading.value = false;
    }
  }

  /** reloadRecent reads the recent list of the api's current workspace (after a switch). */
  reloadRecent(): void {
    this.recent.value = loadRecent(this.api.workspace);
  }

  clear(): void {
    this.seq++;
    this.doc.value = null;
    this.error.value = null;
    this.thread.value = [];
    this.links.value = null;
  }
}

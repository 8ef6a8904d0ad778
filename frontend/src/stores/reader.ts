import { signal } from "@preact/signals";
import type { Api, ApiError, Doc, ThreadMessage } from "../api";
import { toApiError } from "../api";

/** ReaderStore loads the full document the search view opened. */
export class ReaderStore {
  readonly doc = signal<Doc | null>(null);
  readonly error = signal<ApiError | null>(null);
  readonly loading = signal(false);
  /** The messages of the opened email's thread, oldest first; [] otherwise. */
  readonly thread = signal<ThreadMessage[]>([]);
  private seq = 0;

  constructor(private readonly api: Api) {}

  async load(id: string): Promise<void> {
    const my = ++this.seq;
    this.loading.value = true;
    this.error.value = null;
    this.thread.value = [];
    try {
      const d = await this.api.document(id);
      if (my === this.seq) this.doc.value = d;
      if (my === this.seq && d.source === "email") {
        // The thread is extra: the reader stays usable when it fails.
        const t = await this.api.thread(id).catch(() => []);
        if (my === this.seq) this.thread.value = t;
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

  clear(): void {
    this.seq++;
    this.doc.value = null;
    this.error.value = null;
    this.thread.value = [];
  }
}

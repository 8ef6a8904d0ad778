import { signal } from "@preact/signals";
import type { Api, ImportProgress, Job } from "../api";
import { toApiError } from "../api";

/** ImportsStore starts imports, follows their progress and lists the jobs. */
export class ImportsStore {
  readonly path = signal("");
  readonly current = signal<ImportProgress | null>(null);
  readonly jobs = signal<Job[]>([]);
  readonly error = signal<string | null>(null);
  private unwatch: (() => void) | null = null;

  constructor(private readonly api: Api) {}

  get canPick(): boolean {
    return this.api.canPickFolder;
  }

  async pick(): Promise<void> {
    try {
      const p = await this.api.pickFolder();
      if (p) this.path.value = p;
    } catch (e) {
      this.error.value = toApiError("folder dialog", e).message;
    }
  }

  async start(): Promise<string | null> {
    this.error.value = null;
    try {
      const id = await this.api.startImport(this.path.value);
      this.watch(id);
      return id;
    } catch (e) {
      this.error.value = toApiError("import", e).message;
      return null;
    }
  }

  watch(id: string): void {
    this.unwatch?.();
    this.current.value = null;
    this.unwatch = this.api.watchImport(id, (p) => {
      this.current.value = p;
      if (p.finished) {
        this.unwatch = null;
        void this.loadJobs();
      }
    });
  }

  async cancel(): Promise<void> {
    const c = this.current.value;
    if (!c || c.finished) return;
    try {
      await this.api.cancelImport(c.job_id);
    } catch (e) {
      this.error.value = toApiError("cancel import", e).message;
    }
  }

  async loadJobs(): Promise<void> {
    try {
      this.jobs.value = await this.api.jobs();
    } catch (e) {
      this.error.value = toApiError("jobs", e).message;
    }
  }
}

/** fraction is how far p has got, 0 to 1 (1 once finished). */
export function fraction(p: ImportProgress): number {
  if (p.finished) return 1;
  if (p.total <= 0) return 0;
  return Math.min(1, p.done / p.total);
}

/**
 * progressLabel says what an import is doing: finding files (while the
 * folder is walked and files remain), importing, indexing (every file read,
 * the index and graph being written), or how it ended.
 */
export function progressLabel(p: ImportProgress): string {
  if (p.finished) {
    if (p.state === "done") return p.failed > 0 ? `done, ${p.failed} failed` : "done";
    return p.state || "stopped";
  }
  // Every file found is read: the index and graph are being written, or
  // (while the folder is still walked) the next files are on their way.
  if (p.total > 0 && p.done >= p.total) return p.walking ? "importing…" : "indexing…";
  if (p.walking) return p.done > 0 ? "importing, still finding files…" : "finding files…";
  return "importing…";
}

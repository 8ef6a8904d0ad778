import { signal } from "@preact/signals";
import type { Api, Info } from "../api";

/** InfoStore holds what the backend says about itself (data dir, version). */
export class InfoStore {
  readonly info = signal<Info | null>(null);

  constructor(private readonly api: Api) {}

  /** load fetches the info once; a failure leaves it null (the UI shows no status line). */
  async load(): Promise<void> {
    try {
      this.info.value = await this.api.info();
    } catch {
      this.info.value = null;
    }
  }
}

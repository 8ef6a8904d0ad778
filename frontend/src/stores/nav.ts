import { signal } from "@preact/signals";

export type View = "search" | "memories" | "imports" | "graph" | "settings";

export const VIEWS: { id: View; label: string; key: string; hint: string }[] = [
  { id: "search", label: "Search", key: "1", hint: "Find anything you imported" },
  { id: "memories", label: "Memories", key: "2", hint: "Facts Engram keeps about you" },
  { id: "graph", label: "Graph", key: "3", hint: "People, notes and tags and how they connect" },
  { id: "imports", label: "Imports", key: "4", hint: "Bring in folders of mail and notes" },
  { id: "settings", label: "Settings", key: "5", hint: "Workspaces, dictionary, limits" },
];

/** NavStore is the current view and the command palette's state. */
export class NavStore {
  readonly view = signal<View>("search");
  readonly palette = signal(false);

  go(v: View): void {
    this.view.value = v;
    this.palette.value = false;
  }
}

import { signal } from "@preact/signals";
import type { RouteView } from "../lib/route";

export type View = RouteView;

export const VIEWS: { id: View; label: string; key: string; hint: string }[] = [
  { id: "search", label: "Search", key: "1", hint: "Find anything you imported" },
  { id: "memories", label: "Memories", key: "2", hint: "Facts Engram keeps about you" },
  { id: "graph", label: "Graph", key: "3", hint: "People, notes and tags and how they connect" },
  { id: "imports", label: "Imports", key: "4", hint: "Bring in folders of mail and notes" },
  { id: "settings", label: "Settings", key: "5", hint: "Workspaces, dictionary, limits" },
  { id: "gaps", label: "Gaps", key: "6", hint: "Questions nobody answered, contradictions, missing owners" },
  { id: "connectors", label: "Connectors", key: "7", hint: "Sync Gmail, Slack and Box" },
  { id: "team", label: "Team", key: "8", hint: "Push and pull workspaces through your team server" },
];

/**
 * SHORTCUTS are the keyboard shortcuts the app answers, in the words the
 * start page, the palette and the search box show: one list, so that what
 * they show is what works. "Mod" reads Ctrl, or ⌘ on macOS.
 */
export const SHORTCUTS: { keys: string[]; what: string; desktopOnly?: boolean }[] = [
  { keys: ["/"], what: "search" },
  { keys: ["Mod", "K"], what: "commands" },
  { keys: ["↑", "↓"], what: "move" },
  { keys: ["Enter"], what: "open" },
  { keys: ["Esc"], what: "close" },
  { keys: ["Mod", "1–8"], what: "views" },
  { keys: ["Alt", "←"], what: "back", desktopOnly: true },
  { keys: ["Alt", "→"], what: "forward", desktopOnly: true },
];

/** NavStore is the current view, the command palette's state and requests to focus the search box. */
export class NavStore {
  readonly view = signal<View>("search");
  readonly palette = signal(false);
  /** focusSearch changes each time something asks the search box for focus (the "/" key). */
  readonly focusSearch = signal(0);

  /** desktop is true in the desktop window, which has no Back and Forward of its own. */
  constructor(readonly desktop = false) {}

  go(v: View): void {
    this.view.value = v;
    this.palette.value = false;
  }

  /** search shows the search view with its box focused. */
  search(): void {
    this.go("search");
    this.focusSearch.value++;
  }
}

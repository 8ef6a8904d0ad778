import { batch } from "@preact/signals";
import type { NavStore } from "./nav";
import type { SearchStore } from "./search";

/**
 * openDocument shows document id in the search view's reader from any view,
 * in one step: the view and the document change together, so the history
 * gets one entry (Back returns to where it was opened from).
 */
export function openDocument(nav: NavStore, search: SearchStore, id: string, title = "", source = ""): void {
  batch(() => {
    nav.go("search");
    search.openID(id, title, source);
  });
}

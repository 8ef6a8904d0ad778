/** A document opened lately, for the palette's "recent first" and the start page. */
export interface RecentDoc {
  id: string;
  title: string;
  source: string;
}

/** MAX_RECENT bounds the documents remembered. */
export const MAX_RECENT = 30;

const KEY = "engram.recent";

/** The parts of localStorage the list uses; tests pass a Map-backed one. */
export interface KeyValue {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): KeyValue | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

/** loadRecent returns the documents opened lately in workspace ws, latest first. */
export function loadRecent(ws: string, kv: KeyValue | undefined = storage()): RecentDoc[] {
  try {
    const v = JSON.parse(kv?.getItem(`${KEY}:${ws}`) ?? "[]") as unknown;
    if (!Array.isArray(v)) return [];
    return v.filter((d): d is RecentDoc => d && typeof d.id === "string" && typeof d.title === "string").slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** addRecent puts d first in workspace ws's list (once) and returns the list. */
export function addRecent(ws: string, d: RecentDoc, kv: KeyValue | undefined = storage()): RecentDoc[] {
  const list = [d, ...loadRecent(ws, kv).filter((x) => x.id !== d.id)].slice(0, MAX_RECENT);
  try {
    kv?.setItem(`${KEY}:${ws}`, JSON.stringify(list));
  } catch {
    // No storage (private mode, full): the list lasts for this session.
  }
  return list;
}

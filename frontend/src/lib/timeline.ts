import type { Memory, MemoryVersion } from "../api";

/**
 * The two clocks of a memory's versions (issue 11): valid time, when a fact
 * was true in the world (either end may be unknown), and record time, when
 * Engram learnt a version and when a later one retired it. Nothing here
 * invents a date: an unknown start reads "unknown", an open end "still true"
 * (valid time) or "current" (record time).
 */

/** day is an RFC 3339 time's calendar day in UTC ("2026-04-01"), or null when there is none. */
export function day(iso: string | null | undefined): string | null {
  if (!iso || iso.startsWith("0001-01-01")) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d.toISOString().slice(0, 10);
}

/** validSpan reads valid time: "unknown → 2026-04-01", "2026-04-01 → still true". */
export function validSpan(from: string | null | undefined, to: string | null | undefined): string {
  return `${day(from) ?? "unknown"} → ${day(to) ?? "still true"}`;
}

/** recordSpan reads record time: "2026-05-02 → 2026-06-01", or "… → current" while no version retired it. */
export function recordSpan(recorded: string | null | undefined, superseded: string | null | undefined): string {
  return `${day(recorded) ?? "unknown"} → ${day(superseded) ?? "current"}`;
}

/** TimelineRow is one version as the history panel draws it. */
export interface TimelineRow {
  version: number;
  event: string;
  text: string;
  valid: string;
  record: string;
  /** A later version retired it (its record time is closed). */
  closed: boolean;
  /** Its valid time ended (the fact stopped being true). */
  ended: boolean;
  /** For an UNDO: the version it reverted. */
  undoes: number | null;
  /** The event ID ("<id>@<version>") undoMemory takes. */
  eventId: string;
}

/** timeline lists a memory's versions oldest first, with both clocks and what each undo reverted. */
export function timeline(id: string, versions: MemoryVersion[]): TimelineRow[] {
  return [...versions]
    .sort((a, b) => a.version - b.version)
    .map((v) => {
      const m = v.undoes ? /@(\d+)$/.exec(v.undoes) : null;
      return {
        version: v.version,
        event: v.event,
        text: v.memory,
        valid: validSpan(v.valid_from, v.valid_to),
        record: recordSpan(v.recorded, v.superseded),
        closed: day(v.superseded) !== null,
        ended: day(v.valid_to) !== null,
        undoes: m ? Number(m[1]) : null,
        eventId: `${id}@${v.version}`,
      };
    });
}

/** latestEvent is the event ID of a memory's latest version (what Undo reverts), or null when its version is not known. */
export function latestEvent(m: Pick<Memory, "id"> & Partial<Pick<Memory, "version">>): string | null {
  return m.version && m.version > 0 ? `${m.id}@${m.version}` : null;
}

/** isDay reports whether s is a calendar day the as-of search takes (YYYY-MM-DD, a real date). */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

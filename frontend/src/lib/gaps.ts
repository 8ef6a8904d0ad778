// The Gaps view's pure logic: labels, filters and which empty state to show.
import type { Gap, GapGroup, GapPerson, GapsState } from "../api/types";

/** KINDS are the gap kinds in the order the backend groups them (gaps.Kinds), with their labels. */
export const KINDS: { kind: string; label: string }[] = [
  { kind: "unanswered_question", label: "Unanswered questions" },
  { kind: "decision_without_owner", label: "Decisions without an owner" },
  { kind: "decision_without_rationale", label: "Decisions without a rationale" },
  { kind: "deadline_without_followup", label: "Deadlines without follow-up" },
  { kind: "undocumented_process", label: "Undocumented processes" },
  { kind: "single_expert", label: "Single experts" },
  { kind: "contradiction", label: "Contradictions" },
];

/** kindLabel names a kind for people; an unknown kind shows as its words. */
export function kindLabel(kind: string): string {
  return KINDS.find((k) => k.kind === kind)?.label ?? kind.replace(/_/g, " ");
}

/** personLabel is "Name <address>", or whichever of the two is known. */
export function personLabel(p: GapPerson): string {
  if (p.name && p.address) return `${p.name} <${p.address}>`;
  return p.name || p.address;
}

/** gapPeople lists everyone a gap names: whom to ask, then the evidence's people. */
export function gapPeople(g: Gap): GapPerson[] {
  return [...g.ask, ...g.evidence.flatMap((e) => e.people)];
}

/** mentions reports whether a gap names a person whose name or address holds q (case-folded); "" matches all. */
export function mentions(g: Gap, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (needle === "") return true;
  return gapPeople(g).some((p) => p.name.toLowerCase().includes(needle) || p.address.toLowerCase().includes(needle));
}

/** GapsFilter is what the view's filters chose: a kind ("" all) and a person ("" anyone). */
export interface GapsFilter {
  kind: string;
  person: string;
}

/**
 * filterGroups keeps the groups of the chosen kind (all when kind is "") and
 * in each the gaps naming the person. Groups left empty stay, so their counts
 * read 0; the order is the groups' own.
 */
export function filterGroups(groups: GapGroup[], f: GapsFilter): GapGroup[] {
  return groups.filter((g) => f.kind === "" || g.kind === f.kind).map((g) => ({ kind: g.kind, gaps: g.gaps.filter((x) => mentions(x, f.person)) }));
}

/** groupGaps groups a flat, kind-ordered list (the dismissed gaps) by kind, in KINDS order, leaving out empty kinds. */
export function groupGaps(gs: Gap[]): GapGroup[] {
  const known = KINDS.map((k) => k.kind);
  const kinds = [...known, ...[...new Set(gs.map((g) => g.kind))].filter((k) => !known.includes(k)).sort()];
  return kinds.map((kind) => ({ kind, gaps: gs.filter((g) => g.kind === kind) })).filter((g) => g.gaps.length > 0);
}

/** countGaps is how many gaps the groups hold. */
export function countGaps(groups: GapGroup[]): number {
  return groups.reduce((n, g) => n + g.gaps.length, 0);
}

/** knownPeople lists the people the gaps name, by label, sorted, each once (by address, else name). */
export function knownPeople(groups: GapGroup[]): GapPerson[] {
  const seen = new Map<string, GapPerson>();
  for (const g of groups)
    for (const x of g.gaps)
      for (const p of gapPeople(x)) {
        const key = (p.address || p.name).toLowerCase();
        if (key && !seen.has(key)) seen.set(key, p);
      }
  return [...seen.values()].sort((a, b) => personLabel(a).localeCompare(personLabel(b)));
}

/**
 * Empty is which empty state the view shows when no open gap is left to list:
 * "not-analysed" (the workspace was never analysed), "analysing" (an
 * analysis runs), "filtered" (gaps exist but the filters hide them), "none"
 * (analysed, no gaps found); null when there are gaps to show.
 */
export type Empty = "not-analysed" | "analysing" | "filtered" | "none" | null;

export function emptyState(st: GapsState | null, total: number, shown: number): Empty {
  if (shown > 0) return null;
  if (total > 0) return "filtered";
  if (st?.running) return "analysing";
  if (st && !st.analysed) return "not-analysed";
  return "none";
}

import { describe, expect, it } from "vitest";
import type { Gap, GapGroup, GapsState } from "../api/types";
import { countGaps, emptyState, filterGroups, groupGaps, kindLabel, knownPeople, mentions, personLabel } from "./gaps";

const gap = (id: string, kind: string, ask: [string, string][], people: [string, string][] = []): Gap => ({
  id,
  kind,
  summary: `summary ${id}`,
  question: `question ${id}?`,
  ask: ask.map(([name, address]) => ({ name, address })),
  evidence: [{ doc_id: `doc-${id}`, title: `Doc ${id}`, date: "2024-03-04T10:00:00Z", passage: "p", people: people.map(([name, address]) => ({ name, address })) }],
  values: [],
});

const groups: GapGroup[] = [
  { kind: "unanswered_question", gaps: [gap("q1", "unanswered_question", [["Priya Shah", "priya.shah@example.com"]]), gap("q2", "unanswered_question", [["Omar Lee", "omar.lee@example.com"]])] },
  { kind: "decision_without_owner", gaps: [] },
  { kind: "contradiction", gaps: [gap("c1", "contradiction", [], [["Priya Shah", "priya.shah@example.com"], ["", "noor@example.com"]])] },
];

describe("gap filters", () => {
  it("names kinds and people", () => {
    expect(kindLabel("unanswered_question")).toBe("Unanswered questions");
    expect(kindLabel("brand_new_kind")).toBe("brand new kind");
    expect(personLabel({ name: "Ann", address: "ann@x.org" })).toBe("Ann <ann@x.org>");
    expect(personLabel({ name: "", address: "ann@x.org" })).toBe("ann@x.org");
  });

  it("matches a person in whom to ask and in the evidence, by name or address, case-folded", () => {
    expect(mentions(groups[0]!.gaps[0]!, "PRIYA")).toBe(true);
    expect(mentions(groups[0]!.gaps[0]!, "omar")).toBe(false);
    expect(mentions(groups[2]!.gaps[0]!, "noor@")).toBe(true);
    expect(mentions(groups[2]!.gaps[0]!, "  ")).toBe(true);
  });

  it("keeps every group of the kind with the person's gaps, empty groups counting 0", () => {
    const all = filterGroups(groups, { kind: "", person: "" });
    expect(all.map((g) => [g.kind, g.gaps.length])).toEqual([
      ["unanswered_question", 2],
      ["decision_without_owner", 0],
      ["contradiction", 1],
    ]);
    const priya = filterGroups(groups, { kind: "", person: "priya" });
    expect(priya.map((g) => g.gaps.map((x) => x.id))).toEqual([["q1"], [], ["c1"]]);
    const contra = filterGroups(groups, { kind: "contradiction", person: "" });
    expect(contra.map((g) => g.kind)).toEqual(["contradiction"]);
    expect(countGaps(priya)).toBe(2);
  });

  it("groups a flat list in the backend's kind order, leaving out empty kinds", () => {
    const flat = [gap("c1", "contradiction", []), gap("z", "zeta_kind", []), gap("q1", "unanswered_question", []), gap("c2", "contradiction", [])];
    expect(groupGaps(flat).map((g) => [g.kind, g.gaps.map((x) => x.id)])).toEqual([
      ["unanswered_question", ["q1"]],
      ["contradiction", ["c1", "c2"]],
      ["zeta_kind", ["z"]],
    ]);
  });

  it("lists each person once, by address, sorted", () => {
    expect(knownPeople(groups).map(personLabel)).toEqual(["noor@example.com", "Omar Lee <omar.lee@example.com>", "Priya Shah <priya.shah@example.com>"]);
  });
});

describe("the empty state", () => {
  const st = (s: Partial<GapsState>): GapsState => ({ analysed: true, pending: 0, running: false, gaps: 0, ...s });
  it("tells never analysed from analysed without gaps", () => {
    expect(emptyState(st({ analysed: false }), 0, 0)).toBe("not-analysed");
    expect(emptyState(st({}), 0, 0)).toBe("none");
    expect(emptyState(st({ analysed: false, running: true }), 0, 0)).toBe("analysing");
    expect(emptyState(st({ gaps: 3 }), 3, 0)).toBe("filtered");
    expect(emptyState(st({ gaps: 3 }), 3, 2)).toBeNull();
  });
});

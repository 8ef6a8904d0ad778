import { describe, expect, it } from "vitest";
import { bodyRuns, facetFilter, formatDuration, paragraphs, toggleFilter } from "./query";

describe("facet filters", () => {
  it("builds operators per facet", () => {
    expect(facetFilter("source", "maildir")).toBe("source:maildir");
    expect(facetFilter("person", "Jeff Skilling")).toBe('person:"Jeff Skilling"');
    expect(facetFilter("year", "2024")).toBe("after:2024 before:2025");
  });
  it("toggles a filter on and off", () => {
    const q = toggleFilter("budget", "after:2024 before:2025");
    expect(q).toBe("budget after:2024 before:2025");
    expect(toggleFilter(q, "after:2024 before:2025")).toBe("budget");
  });
});

describe("bodyRuns", () => {
  it("finds wikilinks with labels and headings", () => {
    expect(bodyRuns("see [[Kayak trip|the trip]] and [[Budget 2024#Q1]].")).toEqual([
      { text: "see " },
      { link: "Kayak trip", label: "the trip" },
      { text: " and " },
      { link: "Budget 2024", label: "Budget 2024" },
      { text: "." },
    ]);
  });
  it("keeps markup as text", () => {
    expect(bodyRuns("<b>x</b>")).toEqual([{ text: "<b>x</b>" }]);
  });
  it("splits paragraphs", () => {
    expect(paragraphs("a\nb\n\n\n c \n")).toEqual(["a\nb", "c"]);
  });
});

describe("formatDuration", () => {
  it("reads naturally", () => {
    expect(formatDuration(0)).toBe("");
    expect(formatDuration(12.4)).toBe("12 s");
    expect(formatDuration(184)).toBe("3 min 4 s");
  });
});

// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { renderMarkdown } from "./markdown";

function dom(html: string): HTMLElement {
  const div = document.createElement("div");
  div.innerHTML = html;
  return div;
}

describe("renderMarkdown", () => {
  it("renders headings, lists and emphasis", () => {
    const d = dom(renderMarkdown("# Plan\n\n## Day one\n\n- take the **ferry**\n- walk\n\n1. first\n"));
    expect(d.querySelector("h1")?.textContent).toBe("Plan");
    expect(d.querySelector("h2")?.textContent).toBe("Day one");
    expect(d.querySelectorAll("ul li")).toHaveLength(2);
    expect(d.querySelector("ul li strong")?.textContent).toBe("ferry");
    expect(d.querySelectorAll("ol li")).toHaveLength(1);
  });

  it("strips scripts, event handlers and javascript: URLs", () => {
    const html = renderMarkdown(
      'Hi <script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)">\n\n[click](javascript:alert(3)) <a href="#" onclick="alert(4)">a</a>\n\n<div style="position:fixed">x</div>',
    );
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/onerror|onclick/i);
    expect(html).not.toMatch(/javascript:/i);
    expect(html).not.toMatch(/style=/i);
    const d = dom(html);
    expect(d.querySelector("img")?.getAttribute("src")).toBe("x.png");
    expect(d.textContent).toContain("Hi");
  });

  it("turns wikilinks and embeds into links, but not inside code", () => {
    const d = dom(renderMarkdown("See [[Harbour trip]], [[Ferry#Times|the times]] and ![[map.png]].\n\n`[[not a link]]`"));
    const links = [...d.querySelectorAll<HTMLAnchorElement>("a[data-wikilink]")];
    expect(links.map((a) => [a.dataset.wikilink, a.textContent])).toEqual([
      ["Harbour trip", "Harbour trip"],
      ["Ferry", "the times"],
      ["map.png", "map.png"],
    ]);
    expect(links[2]!.classList.contains("wikilink-embed")).toBe(true);
    expect(d.querySelector("code")?.textContent).toBe("[[not a link]]");
  });

  it("escapes link targets", () => {
    const d = dom(renderMarkdown('[[a"><img src=x onerror=alert(1)>]]'));
    expect(d.querySelector("img")).toBeNull();
    const a = d.querySelector<HTMLAnchorElement>("a[data-wikilink]");
    expect(a?.dataset.wikilink).toBe('a"><img src=x onerror=alert(1)>');
    expect(a?.textContent).toBe('a"><img src=x onerror=alert(1)>');
  });
});

// Query building for the search view's facet filters.

/** quote wraps a value in double quotes when it has spaces or quotes. */
export function quote(v: string): string {
  const clean = v.replace(/"/g, "");
  return /[\s:]/.test(clean) ? `"${clean}"` : clean;
}

/** facetFilter is the query operator a click on a facet value adds. */
export function facetFilter(facet: string, value: string): string {
  switch (facet) {
    case "source":
      return `source:${quote(value)}`;
    case "person":
      return `person:${quote(value)}`;
    case "year": {
      const y = Number.parseInt(value, 10);
      return Number.isFinite(y) ? `after:${y} before:${y + 1}` : "";
    }
    default:
      return `${facet}:${quote(value)}`;
  }
}

/** hasFilter reports whether q already holds the filter. */
export function hasFilter(q: string, filter: string): boolean {
  return filter !== "" && ` ${q} `.includes(` ${filter} `);
}

/** toggleFilter adds filter to q, or removes it when q has it already. */
export function toggleFilter(q: string, filter: string): string {
  if (filter === "") return q;
  if (hasFilter(q, filter)) return ` ${q} `.replace(` ${filter} `, " ").replace(/\s+/g, " ").trim();
  return `${q.trim()} ${filter}`.trim();
}

/** formatDuration is "12 s", "3 min 4 s" or "1 h 2 min". */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec) || sec <= 0) return "";
  const s = Math.round(sec);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** A run of body text: plain text, or a [[wikilink]] to another note. */
export type Run = { text: string } | { link: string; label: string };

/**
 * bodyRuns splits a paragraph into text and [[wikilinks]] ([[Note]],
 * [[Note|label]], [[Note#Heading]]). Everything stays text for the
 * renderer: nothing is parsed as HTML.
 */
export function bodyRuns(p: string): Run[] {
  const out: Run[] = [];
  const re = /\[\[([^\]|#]+)(?:#[^\]|]*)?(?:\|([^\]]+))?\]\]/g;
  let last = 0;
  for (let m = re.exec(p); m !== null; m = re.exec(p)) {
    if (m.index > last) out.push({ text: p.slice(last, m.index) });
    const target = m[1]!.trim();
    out.push({ link: target, label: (m[2] ?? target).trim() });
    last = m.index + m[0].length;
  }
  if (last < p.length) out.push({ text: p.slice(last) });
  return out;
}

/** paragraphs splits a body on blank lines, dropping empty ones. */
export function paragraphs(body: string): string[] {
  return body
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}

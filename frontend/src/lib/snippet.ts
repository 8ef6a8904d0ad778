/** A run of snippet text, marked when it matched the query. */
export interface SnippetPart {
  text: string;
  mark: boolean;
}

const MARK_TAG = /<(\/?)mark>/gi;
const ENTITY = /&(#\d{1,7}|#x[0-9a-f]{1,6}|amp|lt|gt|quot|apos|nbsp);/gi;
const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00a0",
};

/**
 * parseSnippet turns a search snippet (HTML in which only <mark> and
 * </mark> are tags and everything else is escaped) into plain-text parts.
 * Nothing in the result is ever parsed as HTML again: the UI renders the
 * parts as text nodes, so any other tag, even an unescaped one from a buggy
 * or hostile backend, shows up as visible text instead of running.
 * Unbalanced marks are tolerated: a stray </mark> is dropped and an
 * unclosed <mark> runs to the end.
 */
export function parseSnippet(html: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let mark = false;
  let last = 0;
  const push = (raw: string) => {
    if (raw === "") return;
    const text = decodeEntities(raw);
    const prev = parts[parts.length - 1];
    if (prev && prev.mark === mark) prev.text += text;
    else parts.push({ text, mark });
  };
  for (const m of html.matchAll(MARK_TAG)) {
    push(html.slice(last, m.index));
    mark = m[1] === "";
    last = m.index + m[0].length;
  }
  push(html.slice(last));
  return parts;
}

/** decodeEntities decodes the entities an HTML escaper produces; others stay as written. */
export function decodeEntities(s: string): string {
  return s.replace(ENTITY, (whole, name: string) => {
    if (name[0] !== "#") return NAMED[name.toLowerCase()] ?? whole;
    const hex = name[1] === "x" || name[1] === "X";
    const code = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return "\ufffd";
    return String.fromCodePoint(code);
  });
}

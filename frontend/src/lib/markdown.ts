import DOMPurify from "dompurify";
import { Marked, type TokenizerAndRendererExtension, type Tokens } from "marked";
import { emojiOf } from "./text";

/**
 * MAX_MARKDOWN bounds the source rendered as Markdown; a longer note is
 * shown as plain paragraphs, which the reader pages.
 */
export const MAX_MARKDOWN = 200_000;

const escapeHTML = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

interface WikiToken extends Tokens.Generic {
  type: "wikilink";
  raw: string;
  target: string;
  label: string;
  embed: boolean;
}

/**
 * wikiLinks turns [[Target]], [[Target#Heading]], [[Target|Alias]] and
 * embeds ![[Target]] into <a data-wikilink="Target"> links the reader opens
 * in the app. It is a marked inline extension, so links written inside code
 * stay code.
 */
const wikiLinks: TokenizerAndRendererExtension = {
  name: "wikilink",
  level: "inline",
  start(src: string) {
    const i = src.search(/!?\[\[/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src: string): WikiToken | undefined {
    const m = /^(!?)\[\[([^\[\]\n]{1,300})\]\]/.exec(src);
    if (!m) return undefined;
    const inner = m[2]!;
    const [ref, alias] = inner.split("|", 2) as [string, string | undefined];
    const [target, heading] = ref.split("#", 2) as [string, string | undefined];
    const t = target.trim();
    if (!t) return undefined;
    const label = alias?.trim() || (heading ? `${t} › ${heading.trim()}` : t);
    return { type: "wikilink", raw: m[0], target: t, label, embed: m[1] === "!" };
  },
  renderer(token: Tokens.Generic) {
    const w = token as WikiToken;
    const cls = w.embed ? "wikilink wikilink-embed" : "wikilink";
    return `<a href="#" class="${cls}" data-wikilink="${escapeHTML(w.target)}">${escapeHTML(w.label)}</a>`;
  },
};

/** emoji turns :smile: into 😄 outside code, for the codes lib/text.ts knows. */
const emoji: TokenizerAndRendererExtension = {
  name: "emoji",
  level: "inline",
  start(src: string) {
    const i = src.search(/:[a-z0-9_+-]+:/);
    return i < 0 ? undefined : i;
  },
  tokenizer(src: string) {
    const m = /^:([a-z0-9_+-]{1,40}):/.exec(src);
    const e = m ? emojiOf(m[1]!) : undefined;
    return m && e ? { type: "emoji", raw: m[0], text: e } : undefined;
  },
  renderer(token: Tokens.Generic) {
    return escapeHTML(String(token.text));
  },
};

const marked = new Marked({ gfm: true, breaks: false, async: false }, { extensions: [wikiLinks, emoji] });

/**
 * renderMarkdown renders a note's Markdown to HTML that is safe to insert:
 * marked renders it, then DOMPurify removes scripts, event handlers,
 * javascript: URLs, styles and anything else that could run or restyle the
 * page. Raw HTML written in the note goes through the same sanitiser.
 */
export function renderMarkdown(src: string): string {
  const html = marked.parse(src) as string;
  return DOMPurify.sanitize(html, {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ["style", "form", "input", "button", "textarea", "select", "iframe", "object", "embed"],
    FORBID_ATTR: ["style"],
  });
}

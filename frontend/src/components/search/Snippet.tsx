import { useMemo } from "preact/hooks";
import { parseSnippet } from "../../lib/snippet";
import { emojify } from "../../lib/text";

/**
 * Snippet renders a search snippet with its <mark> highlights. The snippet
 * is never handed to the browser as HTML: parseSnippet splits it into text
 * runs, rendered as text nodes, so nothing but the highlights is markup.
 */
export function Snippet({ html, class: cls }: { html: string; class?: string }) {
  const parts = useMemo(() => parseSnippet(html), [html]);
  return (
    <p class={cls}>
      {parts.map((p, i) => (p.mark ? <mark key={i}>{p.text}</mark> : emojify(p.text)))}
    </p>
  );
}

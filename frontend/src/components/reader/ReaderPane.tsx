import { useMemo } from "preact/hooks";
import type { Doc, SearchHit, ThreadMessage } from "../../api";
import { formatDateTime } from "../../lib/format";
import { MAX_MARKDOWN, renderMarkdown } from "../../lib/markdown";
import { bodyRuns, paragraphs } from "../../lib/query";
import { Kbd } from "../common/Kbd";
import { Snippet } from "../search/Snippet";
import { SourceBadge } from "../search/SourceBadge";

/** MAX_BODY bounds the text drawn at once; the rest is one click away. */
const MAX_PARAGRAPHS = 400;

/**
 * ReaderPane shows the opened document in full: its headers (from/to for
 * mail), the earlier messages of its thread, tags, links to other notes, and
 * the body. A note's Markdown is rendered (marked) and sanitised (DOMPurify)
 * before it reaches the page, its [[wikilinks]] open the linked note; other
 * documents are text paragraphs in which [[wikilinks]] are buttons. Until the
 * document arrives it shows the hit's snippet.
 */
export function ReaderPane({
  hit,
  doc,
  error,
  thread = [],
  onOpen,
  onClose,
  onLink,
}: {
  hit: SearchHit;
  doc: Doc | null;
  error: string | null;
  /** The messages of the document's mail thread, oldest first, itself included. */
  thread?: ThreadMessage[];
  onOpen?: (m: ThreadMessage) => void;
  onClose: () => void;
  onLink: (target: string) => void;
}) {
  const markdown = doc && doc.markdown && doc.markdown.length <= MAX_MARKDOWN ? doc.markdown : "";
  const html = useMemo(() => (markdown ? renderMarkdown(markdown) : ""), [markdown]);
  const others = thread.filter((m) => m.id !== doc?.id);
  const onBodyClick = (e: MouseEvent) => {
    const a = (e.target as Element | null)?.closest?.("a");
    if (!a) return;
    e.preventDefault();
    const target = a.getAttribute("data-wikilink");
    if (target !== null) {
      onLink(target);
      return;
    }
    const href = a.getAttribute("href") ?? "";
    if (/^(https?|mailto):/i.test(href)) window.open(href, "_blank", "noopener,noreferrer");
  };
  const date = formatDateTime(doc?.date ?? hit.date);
  const title = doc?.title || hit.title || hit.path || "Untitled";
  const paras = doc ? paragraphs(doc.body) : [];
  const links = doc ? [...new Set(doc.links.map((l) => l.target))] : [];
  return (
    <article class="reader" aria-label="Document">
      <header class="reader-head">
        <h1 class="reader-title">{title}</h1>
        <button type="button" class="button button-ghost" onClick={onClose} title="Close (Esc)">
          Close <Kbd>Esc</Kbd>
        </button>
      </header>
      <dl class="reader-meta">
        {doc?.from && (
          <>
            <dt>From</dt>
            <dd class="reader-from">{doc.from}</dd>
          </>
        )}
        {doc && doc.to.length > 0 && (
          <>
            <dt>To</dt>
            <dd class="reader-to">{doc.to.join(", ")}</dd>
          </>
        )}
        {date && (
          <>
            <dt>Date</dt>
            <dd>
              <time dateTime={doc?.date ?? hit.date}>{date}</time>
            </dd>
          </>
        )}
        <dt>Source</dt>
        <dd>
          <SourceBadge source={hit.source} /> <span class="reader-source">{hit.source}</span>
        </dd>
        {(doc?.path || hit.path) && (
          <>
            <dt>Path</dt>
            <dd class="reader-path">{doc?.path || hit.path}</dd>
          </>
        )}
        {doc && doc.tags.length > 0 && (
          <>
            <dt>Tags</dt>
            <dd class="reader-tags">
              {doc.tags.map((t) => (
                <button type="button" key={t} class="tag" onClick={() => onLink(`#${t}`)}>
                  #{t}
                </button>
              ))}
            </dd>
          </>
        )}
        {links.length > 0 && (
          <>
            <dt>Links</dt>
            <dd class="reader-links">
              {links.map((l) => (
                <button type="button" key={l} class="wikilink" onClick={() => onLink(l)}>
                  {l}
                </button>
              ))}
            </dd>
          </>
        )}
        {doc && doc.attachments.length > 0 && (
          <>
            <dt>Attached</dt>
            <dd>{doc.attachments.map((a) => a.name).join(", ")}</dd>
          </>
        )}
      </dl>
      {others.length > 0 && (
        <section class="reader-thread" aria-label="Thread">
          <h2 class="reader-thread-title">Thread ({thread.length})</h2>
          <ol class="reader-thread-list">
            {others.map((m) => (
              <li key={m.id}>
                <button type="button" class="reader-thread-item" onClick={() => onOpen?.(m)}>
                  <span class="reader-thread-head">
                    <span class="reader-thread-subject">{m.title || "(no subject)"}</span>
                    <span class="reader-thread-from">{m.from}</span>
                    <time dateTime={m.date}>{formatDateTime(m.date)}</time>
                  </span>
                  {m.excerpt && <span class="reader-thread-excerpt">{m.excerpt}</span>}
                </button>
              </li>
            ))}
          </ol>
        </section>
      )}
      {error && <p class="form-error">Could not load the document: {error}</p>}
      {!doc && !error && hit.snippet && <Snippet class="reader-snippet" html={hit.snippet} />}
      {doc && html && (
        // Sanitised by renderMarkdown (DOMPurify) just above.
        <div class="reader-body reader-markdown" onClick={onBodyClick} dangerouslySetInnerHTML={{ __html: html }} />
      )}
      {doc && !html && (
        <div class="reader-body">
          {paras.slice(0, MAX_PARAGRAPHS).map((p, i) => (
            <p key={i}>
              {bodyRuns(p).map((r, j) =>
                "link" in r ? (
                  <button type="button" key={j} class="wikilink" onClick={() => onLink(r.link)}>
                    {r.label}
                  </button>
                ) : (
                  r.text
                ),
              )}
            </p>
          ))}
          {paras.length > MAX_PARAGRAPHS && <p class="state-quiet">… {paras.length - MAX_PARAGRAPHS} more paragraphs</p>}
          {paras.length === 0 && <p class="state-quiet">This document has no text.</p>}
        </div>
      )}
    </article>
  );
}

import { useMemo } from "preact/hooks";
import type { Doc, NoteLink, NoteLinks, SearchHit, ThreadMessage } from "../../api";
import { formatDateTime } from "../../lib/format";
import { MAX_MARKDOWN, renderMarkdown } from "../../lib/markdown";
import { bodyRuns, paragraphs } from "../../lib/query";
import { emojify, linkRuns, preformatted } from "../../lib/text";
import { Kbd } from "../common/Kbd";
import { Snippet } from "../search/Snippet";
import { SourceBadge } from "../search/SourceBadge";

/** MAX_PARAGRAPHS bounds the text drawn at once; the rest is one click away. */
const MAX_PARAGRAPHS = 400;

/** External opens a web or mail address outside the app. */
type External = (href: string) => void;

/**
 * ReaderPane shows the opened document in full: its headers (from/to for
 * mail, channel and thread for chat), the earlier messages of its thread,
 * tags, and the body; a note's outgoing links and backlinks follow it,
 * each with the line that holds the link. A note's Markdown is rendered
 * (marked) and sanitised (DOMPurify) before it reaches the page; other
 * documents are text paragraphs, fixed-width where they are laid out in
 * columns, with their addresses as links and :emoji: codes as emoji.
 * [[wikilinks]] open the linked note. Until the document arrives it shows
 * the hit's snippet.
 */
export function ReaderPane({
  hit,
  doc,
  error,
  thread = [],
  links = null,
  linkError = null,
  onOpen,
  onOpenDoc,
  onClose,
  onLink,
  onTag,
  onExternal,
}: {
  hit: SearchHit;
  doc: Doc | null;
  error: string | null;
  /** The messages of the document's thread, oldest first, itself included. */
  thread?: ThreadMessage[];
  links?: NoteLinks | null;
  /** Why the wikilink last clicked opened nothing. */
  linkError?: string | null;
  onOpen?: (m: ThreadMessage) => void;
  onOpenDoc?: (id: string, title: string, source: string) => void;
  onClose: () => void;
  onLink: (target: string) => void;
  onTag?: (tag: string) => void;
  onExternal: External;
}) {
  const markdown = doc && doc.markdown && doc.markdown.length <= MAX_MARKDOWN ? doc.markdown : "";
  const html = useMemo(() => (markdown ? renderMarkdown(markdown) : ""), [markdown]);
  const others = thread.filter((m) => m.id !== doc?.id);
  // The thread's first message (the list is oldest first): what a reply's thread link opens.
  const root = thread[0];
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
    if (/^(https?|mailto):/i.test(href)) onExternal(href);
  };
  const date = formatDateTime(doc?.date ?? hit.date);
  const title = doc?.title || hit.title || hit.path || (doc ? "Untitled" : "");
  const source = doc?.source || hit.source;
  const paras = doc ? paragraphs(doc.body) : [];
  const meta = doc?.meta ?? {};
  const channel = meta.channel;
  const attachments = doc ? doc.attachments.map((a) => a.name).filter((n) => n) : [];
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
        {meta.cc && (
          <>
            <dt>Cc</dt>
            <dd class="reader-to">{meta.cc}</dd>
          </>
        )}
        {channel && (
          <>
            <dt>Channel</dt>
            <dd class="reader-channel">
              {meta.channel_type === "dm" || meta.channel_type === "im" ? channel : `#${channel}`}
            </dd>
          </>
        )}
        {source === "slack" && (meta.thread_ts || meta.reply_count) && (
          <>
            <dt>Thread</dt>
            <dd class="reader-thread-info">
              <a
                href="#thread"
                class="reader-thread-link"
                title={root && root.id !== doc?.id ? "Open the message that started this thread" : "Show the replies"}
                onClick={(e) => {
                  e.preventDefault();
                  if (root && root.id !== doc?.id) onOpen?.(root);
                  else (e.currentTarget.closest(".reader")?.querySelector(".reader-thread") as HTMLElement | null)?.scrollIntoView({ block: "nearest" });
                }}
              >
                {threadLabel(meta, thread.length, root?.id === doc?.id)}
              </a>
            </dd>
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
          <SourceBadge source={source} />
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
                <button type="button" key={t} class="tag" onClick={() => onTag?.(t)}>
                  #{t}
                </button>
              ))}
            </dd>
          </>
        )}
        {attachments.length > 0 && (
          <>
            <dt>Attached</dt>
            <dd>{attachments.join(", ")}</dd>
          </>
        )}
      </dl>
      {linkError && (
        <p class="form-notice reader-link-error" role="status">
          {linkError}
        </p>
      )}
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
                  {m.excerpt && <span class="reader-thread-excerpt">{emojify(m.excerpt)}</span>}
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
          {paras.slice(0, MAX_PARAGRAPHS).map((p, i) =>
            preformatted(p) ? (
              <pre key={i} class="reader-pre">
                <Runs text={p} onLink={onLink} onExternal={onExternal} />
              </pre>
            ) : (
              <p key={i}>
                <Runs text={p} onLink={onLink} onExternal={onExternal} />
              </p>
            ),
          )}
          {paras.length > MAX_PARAGRAPHS && <p class="state-quiet">… {paras.length - MAX_PARAGRAPHS} more paragraphs</p>}
          {paras.length === 0 && <p class="state-quiet">This document has no text.</p>}
        </div>
      )}
      {links && (links.outgoing.length > 0 || links.backlinks.length > 0 || links.degraded.length > 0) && (
        <div class="reader-links-panel">
          <LinkList title="Links" kind="outgoing" items={links.outgoing} onOpenDoc={onOpenDoc} onLink={onLink} />
          <LinkList
            title="Backlinks"
            kind="backlinks"
            items={links.backlinks}
            onOpenDoc={onOpenDoc}
            onLink={onLink}
            empty={links.degraded.includes("graph") ? "Backlinks need the graph, which is unavailable: Repair from the command palette." : "No note links here yet."}
          />
        </div>
      )}
    </article>
  );
}

/** Runs draws a paragraph of plain text: [[wikilinks]] as buttons, addresses as links, emoji codes as emoji. */
function Runs({ text, onLink, onExternal }: { text: string; onLink: (t: string) => void; onExternal: External }) {
  return (
    <>
      {bodyRuns(text).map((r, j) =>
        "link" in r ? (
          <button type="button" key={j} class="wikilink" onClick={() => onLink(r.link)}>
            {r.label}
          </button>
        ) : (
          linkRuns(r.text).map((t, k) =>
            "href" in t ? (
              <a
                key={`${j}-${k}`}
                class="reader-url"
                href={t.href}
                rel="noopener noreferrer"
                onClick={(e) => {
                  e.preventDefault();
                  onExternal(t.href);
                }}
              >
                {t.label}
              </a>
            ) : (
              emojify(t.text)
            ),
          )
        ),
      )}
    </>
  );
}

/** LinkList is the outgoing links or the backlinks of a note, each with its line. */
function LinkList({
  title,
  kind,
  items,
  empty,
  onOpenDoc,
  onLink,
}: {
  title: string;
  kind: string;
  items: NoteLink[];
  empty?: string;
  onOpenDoc?: (id: string, title: string, source: string) => void;
  onLink: (t: string) => void;
}) {
  if (items.length === 0 && !empty) return null;
  return (
    <section class={`reader-links reader-links-${kind}`} aria-label={title}>
      <h2 class="reader-links-title">
        {title} <span class="facet-count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p class="state-quiet">{empty}</p>
      ) : (
        <ul class="reader-links-list">
          {items.map((l) => (
            <li key={`${l.id}|${l.target ?? ""}`} class={l.missing ? "reader-link reader-link-missing" : "reader-link"}>
              <button
                type="button"
                class="reader-link-title"
                data-link-id={l.id}
                title={l.missing ? "No imported note has this name yet" : l.path}
                onClick={() => (l.missing ? onLink(l.target ?? l.title) : onOpenDoc?.(l.id, l.title, l.source ?? ""))}
              >
                {l.title || l.target}
                {l.missing && <span class="reader-link-note"> (not imported)</span>}
              </button>
              {l.context && <div class="reader-link-context">{l.context}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * threadLabel says where a Slack message stands in its thread: a reply
 * ("Reply in a thread of 4 messages"), or the thread's start ("Thread of 3
 * replies"), counting what the store holds when the thread is loaded.
 */
export function threadLabel(meta: Record<string, string>, loaded: number, isRoot: boolean): string {
  if (meta.thread_ts && !isRoot) return loaded > 1 ? `Reply in a thread of ${loaded} messages: open its start` : "Reply in a thread: open its start";
  const n = loaded > 1 ? loaded - 1 : Number(meta.reply_count ?? "0") || 0;
  return `Thread of ${n} ${n === 1 ? "reply" : "replies"}`;
}

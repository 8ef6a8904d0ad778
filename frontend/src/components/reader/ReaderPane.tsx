import type { SearchHit } from "../../api";
import { formatDateTime } from "../../lib/format";
import { Kbd } from "../common/Kbd";
import { Snippet } from "../search/Snippet";
import { SourceBadge } from "../search/SourceBadge";

/**
 * ReaderPane shows the opened hit. For now it shows what the search returned;
 * the full document comes with the document reader view.
 */
export function ReaderPane({ hit, onClose }: { hit: SearchHit; onClose: () => void }) {
  const date = formatDateTime(hit.date);
  return (
    <article class="reader" aria-label="Document">
      <header class="reader-head">
        <h1 class="reader-title">{hit.title || hit.path || "Untitled"}</h1>
        <button type="button" class="button button-ghost" onClick={onClose} title="Close (Esc)">
          Close <Kbd>Esc</Kbd>
        </button>
      </header>
      <dl class="reader-meta">
        <dt>Source</dt>
        <dd>
          <SourceBadge source={hit.source} /> <span class="reader-source">{hit.source}</span>
        </dd>
        {hit.path && (
          <>
            <dt>Path</dt>
            <dd class="reader-path">{hit.path}</dd>
          </>
        )}
        {date && (
          <>
            <dt>Date</dt>
            <dd>
              <time dateTime={hit.date}>{date}</time>
            </dd>
          </>
        )}
      </dl>
      {hit.snippet && <Snippet class="reader-snippet" html={hit.snippet} />}
    </article>
  );
}

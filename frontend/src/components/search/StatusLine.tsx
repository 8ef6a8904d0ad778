import type { SearchResult } from "../../api";
import { formatCount, formatMs } from "../../lib/format";

/** StatusLine tells how many hits a search found, how fast, and what was left out. */
export function StatusLine({ result }: { result: SearchResult }) {
  const n = result.total;
  return (
    <div class="status-line" aria-live="polite">
      <span>
        {result.partial ? "at least " : ""}
        {formatCount(n)} {n === 1 ? "result" : "results"}
      </span>
      <span class="status-sep">·</span>
      <span>{formatMs(result.tookMs)}</span>
      {result.corrected && (
        <span class="status-corrected">
          Showing results for <q>{result.corrected}</q>
        </span>
      )}
      {result.notice && <span class="status-notice">{result.notice}</span>}
      {result.degraded.length > 0 && (
        <span class="status-degraded" title="These parts could not take part in this search">
          Partial results: {result.degraded.join(", ")} unavailable
        </span>
      )}
    </div>
  );
}

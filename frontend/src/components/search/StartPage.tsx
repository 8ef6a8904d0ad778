import type { SearchHit } from "../../api";
import { formatDate, formatDateTime } from "../../lib/format";
import type { RecentDoc } from "../../lib/recent";
import type { Job } from "../../api";
import { EmptyState } from "../common/EmptyState";
import { Shortcuts } from "../common/Shortcuts";
import { SourceBadge } from "./SourceBadge";

/**
 * StartPage is the search view before a query: the documents opened lately
 * and the newest ones, and the latest imports; with nothing imported, how
 * to start.
 */
export function StartPage({
  recent,
  latest,
  jobs,
  desktop,
  onOpen,
  onImport,
  onImports,
}: {
  recent: RecentDoc[];
  latest: SearchHit[] | null;
  jobs: Job[];
  desktop: boolean;
  onOpen: (id: string, title: string, source: string) => void;
  onImport: () => void;
  onImports: () => void;
}) {
  if (latest !== null && latest.length === 0 && jobs.length === 0) {
    return (
      <EmptyState title="Search everything you have imported">
        <p>Mail, notes, chats and documents, all on this computer. Results appear as you type.</p>
        <p class="state-step">
          Nothing here yet?{" "}
          <button type="button" class="button button-primary" onClick={onImport}>
            Import a folder
          </button>
        </p>
        <Shortcuts desktop={desktop} />
      </EmptyState>
    );
  }
  const seen = new Set(recent.slice(0, 6).map((d) => d.id));
  const newest = (latest ?? []).filter((h) => !seen.has(h.id));
  return (
    <div class="start">
      {recent.length > 0 && (
        <section class="start-section" aria-label="Recently opened">
          <h2 class="view-subtitle">Recently opened</h2>
          <ul class="start-list">
            {recent.slice(0, 6).map((d) => (
              <li key={d.id}>
                <button type="button" class="start-item" data-recent-id={d.id} onClick={() => onOpen(d.id, d.title, d.source)}>
                  <SourceBadge source={d.source} /> <span class="start-title">{d.title}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {newest.length > 0 && (
        <section class="start-section" aria-label="Newest documents">
          <h2 class="view-subtitle">Newest documents</h2>
          <ul class="start-list">
            {newest.map((h) => (
              <li key={h.id}>
                <button type="button" class="start-item" data-latest-id={h.id} onClick={() => onOpen(h.id, h.title, h.source)}>
                  <SourceBadge source={h.source} /> <span class="start-title">{h.title || h.path || "Untitled"}</span>
                  {h.from && <span class="start-from">{h.from}</span>}
                  <time class="start-date" dateTime={h.date}>
                    {formatDate(h.date)}
                  </time>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      {jobs.length > 0 && (
        <section class="start-section" aria-label="Latest imports">
          <h2 class="view-subtitle">
            Latest imports{" "}
            <button type="button" class="button button-ghost" onClick={onImports}>
              All imports
            </button>
          </h2>
          <ul class="start-list">
            {jobs.slice(0, 3).map((j) => (
              <li key={j.id} class="start-job">
                <span class={`badge badge-${j.state}`}>{j.state}</span> <span class="start-title">{j.sources.join(", ")}</span>
                <span class="start-from">
                  {j.imported} new · {j.failed} failed
                </span>
                <time class="start-date" dateTime={j.started}>
                  {formatDateTime(j.started)}
                </time>
              </li>
            ))}
          </ul>
        </section>
      )}
      <Shortcuts desktop={desktop} />
    </div>
  );
}

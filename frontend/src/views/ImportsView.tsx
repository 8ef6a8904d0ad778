import { Fragment } from "preact";
import { useEffect, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { formatCount, formatDateTime } from "../lib/format";
import { formatDuration } from "../lib/query";
import { useStores } from "../stores/context";
import { fraction, progressLabel } from "../stores/imports";

/** ImportsView starts an import, shows its live progress and the job history. */
export function ImportsView() {
  const { imports: s, nav } = useStores();
  useEffect(() => {
    void s.loadJobs();
  }, [s]);
  const p = s.current.value;
  const [open, setOpen] = useState<string | null>(null);
  const pct = p ? Math.round(fraction(p) * 100) : 0;
  const running = p !== null && !p.finished;
  return (
    <div class="view">
      <header class="view-head">
        <h1 class="view-title">Imports</h1>
      </header>
      <p class="view-lead">
        Import a folder of Markdown notes, a Maildir or mbox, PDFs or text files. Importing the same folder again only
        reads what changed.
      </p>
      <form
        class="import-form"
        onSubmit={(e) => {
          e.preventDefault();
          void s.start();
        }}
      >
        <input
          class="input import-path"
          placeholder="/home/you/Notes"
          value={s.path.value}
          onInput={(e) => (s.path.value = (e.target as HTMLInputElement).value)}
        />
        {s.canPick && (
          <button type="button" class="button" onClick={() => void s.pick()}>
            Choose folder…
          </button>
        )}
        <button type="submit" class="button button-primary import-start" disabled={running || s.path.value.trim() === ""}>
          Import
        </button>
      </form>
      {s.error.value && <p class="form-error">{s.error.value}</p>}
      {p && (
        <section class={`import-progress import-${p.state}`} data-state={p.state} aria-label="Import progress">
          <div class="progress-head">
            <span class="progress-path">{p.paths.join(", ")}</span>
            <span class="progress-state">{progressLabel(p)}</span>
          </div>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div class="progress-fill" style={{ width: `${pct}%` }} />
          </div>
          <div class="progress-stats">
            <span class="progress-count">
              {formatCount(p.done)} / {formatCount(p.total)} files
            </span>
            <span>{p.rate > 0 ? `${p.rate.toFixed(p.rate < 10 ? 1 : 0)} files/s` : ""}</span>
            <span>{!p.finished && p.eta_seconds > 0 ? `about ${formatDuration(p.eta_seconds)} left` : ""}</span>
            <span>
              {formatCount(p.imported)} new · {formatCount(p.updated)} updated · {formatCount(p.skipped)} skipped ·{" "}
              {formatCount(p.failed)} failed
            </span>
            {running && (
              <button type="button" class="button button-danger import-cancel" onClick={() => void s.cancel()}>
                Cancel
              </button>
            )}
            {p.finished && p.state === "done" && (
              <button type="button" class="button" onClick={() => nav.go("search")}>
                Search it
              </button>
            )}
          </div>
          {p.current && <div class="progress-current">{p.current}</div>}
          {p.error && <p class="form-error">{p.error}</p>}
          {p.errors.length > 0 && (
            <details class="import-errors" open={p.errors.length <= 5}>
              <summary>{p.errors.length} files skipped or failed</summary>
              <ul>
                {p.errors.map((e) => (
                  <li key={e.path}>
                    <code class="code">{e.path}</code> {e.error}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}
      <h2 class="view-subtitle">History</h2>
      {s.jobs.value.length === 0 ? (
        <EmptyState title="Nothing imported yet">
          <p>Type the path of a folder above and press Import. Your notes and mail stay on this computer.</p>
        </EmptyState>
      ) : (
        <table class="table jobs">
          <thead>
            <tr>
              <th>Started</th>
              <th>Source</th>
              <th>State</th>
              <th class="num">Files</th>
              <th class="num">New</th>
              <th class="num">Failed</th>
            </tr>
          </thead>
          <tbody>
            {s.jobs.value.map((j) => (
              <Fragment key={j.id}>
                <tr data-job={j.id}>
                  <td>{formatDateTime(j.started)}</td>
                  <td class="cell-path">{j.sources.join(", ")}</td>
                  <td>
                    <span class={`badge badge-${j.state}`}>{j.state}</span>
                  </td>
                  <td class="num">{formatCount(j.done)}</td>
                  <td class="num">{formatCount(j.imported)}</td>
                  <td class="num">
                    {j.errors.length > 0 || j.failed > 0 ? (
                      <button
                        type="button"
                        class="button button-ghost job-errors-toggle"
                        aria-expanded={open === j.id}
                        onClick={() => setOpen(open === j.id ? null : j.id)}
                      >
                        {formatCount(Math.max(j.failed, j.errors.length))} {open === j.id ? "▴" : "▾"}
                      </button>
                    ) : (
                      formatCount(j.failed)
                    )}
                  </td>
                </tr>
                {open === j.id && (
                  <tr class="job-errors">
                    <td colSpan={6}>
                      {j.errors.length === 0 ? (
                        <p class="state-quiet">This job kept no per-file messages.</p>
                      ) : (
                        <ul>
                          {j.errors.map((e) => (
                            <li key={e.path}>
                              <code class="code">{e.path}</code> {e.error}
                            </li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

import { useEffect, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { useStores } from "../stores/context";
import { stateOf } from "../stores/memories";
import { latestEvent, timeline, validSpan } from "../lib/timeline";

/**
 * MemoriesView lists a user's memories: add, review (confirm, edit, undo),
 * delete, each one's history as a timeline of both clocks, and an "as of"
 * day that answers the query from valid time. It follows changes made
 * elsewhere (main.tsx subscribes to the change feed).
 */
export function MemoriesView() {
  const { memories: m } = useStores();
  const [text, setText] = useState("");
  const [draft, setDraft] = useState("");
  useEffect(() => {
    void m.load();
  }, [m]);
  const items = m.shown.value;
  const all = m.items.value;
  const h = m.history.value;
  const asOf = m.asOfHits.value;
  return (
    <div class="view">
      <header class="view-head">
        <h1 class="view-title">Memories</h1>
        <label class="field-inline">
          User{" "}
          <input
            class="input input-small memories-user"
            value={m.user.value}
            onChange={(e) => {
              m.user.value = (e.target as HTMLInputElement).value.trim() || "local";
              m.history.value = null;
              void m.load();
            }}
          />
        </label>
      </header>
      <form
        class="memory-add"
        onSubmit={(e) => {
          e.preventDefault();
          void m.add(text).then((ok) => ok && setText(""));
        }}
      >
        <textarea
          class="input memory-add-text"
          rows={2}
          placeholder="Tell Engram something to remember, e.g. “I moved to Bergen in March” or “Anna is my sister”"
          value={text}
          onInput={(e) => setText((e.target as HTMLTextAreaElement).value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              void m.add(text).then((ok) => ok && setText(""));
            }
          }}
        />
        <button type="submit" class="button button-primary memory-add-button" disabled={text.trim() === ""}>
          Remember
        </button>
      </form>
      {m.error.value && <p class="form-error">{m.error.value}</p>}
      {m.notice.value && !m.error.value && <p class="form-notice">{m.notice.value}</p>}
      <div class="row memory-filters" role="search" aria-label="Filter memories">
        <input
          class="input memory-search"
          type="search"
          placeholder="Find in memories"
          value={m.query.value}
          onInput={(e) => {
            m.query.value = (e.target as HTMLInputElement).value;
            if (m.asOf.value) void m.askAsOf();
          }}
        />
        <label class="field-inline memory-asof-label" title="Answer from valid time: what was true on that day">
          as of{" "}
          <input
            class="input input-small memory-asof"
            type="date"
            value={m.asOf.value}
            onChange={(e) => {
              m.asOf.value = (e.target as HTMLInputElement).value;
              void m.askAsOf();
            }}
          />
        </label>
        <select class="input input-small memory-kind" value={m.kind.value} onChange={(e) => (m.kind.value = (e.target as HTMLSelectElement).value)}>
          <option value="">every kind</option>
          {m.kinds.value.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        {(["current", "past", "deleted"] as const).map((st) => (
          <label key={st} class="field-inline memory-state">
            <input type="checkbox" data-state={st} checked={m.states.value.has(st)} onChange={() => m.toggleState(st)} /> {st}
          </label>
        ))}
      </div>
      {m.asOf.value && !asOf && (
        <p class="state-quiet memory-asof-hint">Ask a question above (“where did I live”) to see what was true on {m.asOf.value}.</p>
      )}
      <div class="split">
        {asOf && (
          <ul class="memory-list memory-asof-list" aria-label={`As of ${m.asOf.value}`}>
            <p class="state-quiet">As things stood on {m.asOf.value}, from valid time:</p>
            {asOf.length === 0 && <p class="state-quiet memory-none">Nothing known for that day.</p>}
            {asOf.map((it) => (
              <li key={it.id} class="memory memory-asof-hit" data-id={it.id}>
                <div class="memory-text">{it.memory}</div>
                <div class="memory-meta">
                  <span class="badge">{it.kind}</span> valid {validSpan(it.valid_from, it.valid_to)}
                </div>
                <div class="memory-actions">
                  <button type="button" class="button button-ghost memory-history-button" onClick={() => void m.showHistory(it.id)}>
                    History
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
        <ul class={asOf ? "memory-list memory-list-hidden" : "memory-list"}>
          {m.loaded.value && all.length > 0 && items.length === 0 && (
            <p class="state-quiet memory-none">No memory matches these filters.</p>
          )}
          {m.loaded.value && all.length === 0 && (
            <EmptyState title="No memories yet">
              <p>Write a fact about yourself above: where you live, people you know, what you like, plans.</p>
            </EmptyState>
          )}
          {items.map((it) => (
            <li key={it.id} class={h?.id === it.id ? "memory memory-selected" : "memory"} data-id={it.id}>
              {m.editing.value === it.id ? (
                <form
                  class="memory-edit"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void m.edit(it.id, draft);
                  }}
                >
                  <input class="input memory-edit-text" value={draft} onInput={(e) => setDraft((e.target as HTMLInputElement).value)} />
                  <button type="submit" class="button button-primary memory-save">
                    Save
                  </button>
                  <button type="button" class="button button-ghost" onClick={() => (m.editing.value = null)}>
                    Cancel
                  </button>
                </form>
              ) : (
                <>
                  <div class="memory-text">{it.memory}</div>
                  <div class="memory-meta">
                    <span class="badge">{it.kind}</span>{" "}
                    {stateOf(it) !== "current" && (
                      <>
                        <span class={`badge badge-${stateOf(it)}`}>{stateOf(it)}</span>{" "}
                      </>
                    )}
                    {it.confirmed && (
                      <>
                        <span class="badge badge-confirmed">confirmed</span>{" "}
                      </>
                    )}
                    <span class="memory-valid" title="Valid time: when it was true in the world">
                      {validSpan(it.valid_from, it.valid_to)}
                    </span>
                    {it.source && <span class="memory-source"> · from {it.source}</span>}
                  </div>
                  <div class="memory-actions">
                    {stateOf(it) !== "deleted" && !it.confirmed && (
                      <button type="button" class="button button-ghost memory-confirm" title="Mark this memory as checked" onClick={() => void m.confirm(it.id)}>
                        Confirm
                      </button>
                    )}
                    {stateOf(it) !== "deleted" && (
                    <button
                      type="button"
                      class="button button-ghost memory-edit-button"
                      onClick={() => {
                        setDraft(it.memory);
                        m.editing.value = it.id;
                      }}
                    >
                      Edit
                    </button>
                    )}
                    {latestEvent(it) && (
                      <button
                        type="button"
                        class="button button-ghost memory-undo"
                        title="Undo the latest change to this memory"
                        onClick={() => void m.undo(it.id, latestEvent(it)!)}
                      >
                        Undo
                      </button>
                    )}
                    <button type="button" class="button button-ghost memory-history-button" onClick={() => void m.showHistory(it.id)}>
                      History
                    </button>
                    {stateOf(it) !== "deleted" && (
                      <button type="button" class="button button-ghost button-danger memory-delete" onClick={() => void m.remove(it.id)}>
                        Delete
                      </button>
                    )}
                  </div>
                </>
              )}
            </li>
          ))}
        </ul>
        {h && (
          <aside class="history" aria-label="History">
            <header class="reader-head">
              <h2 class="view-subtitle">History</h2>
              <button type="button" class="button button-ghost" onClick={() => (m.history.value = null)}>
                Close
              </button>
            </header>
            <p class="state-quiet history-legend">
              <strong>valid</strong>: when it was true in the world · <strong>recorded</strong>: when Engram learnt it and retired it
            </p>
            <ol class="history-list timeline">
              {timeline(h.id, h.versions).map((v, i, rows) => (
                <li
                  key={v.version}
                  class={`history-item timeline-item${v.closed ? " timeline-closed" : " timeline-open"}${v.event === "UNDO" ? " timeline-undo" : ""}`}
                  data-version={v.version}
                >
                  <div class="history-head">
                    <span class={`badge badge-${v.event.toLowerCase()}`}>{v.event}</span> v{v.version}
                    {v.undoes !== null && <span class="timeline-undoes"> undoes v{v.undoes}</span>}
                    {i === rows.length - 1 && (
                      <button
                        type="button"
                        class="button button-ghost button-small history-undo"
                        title="Undo this event: the memory returns to its state before it"
                        onClick={() => void m.undo(h.id, v.eventId)}
                      >
                        Undo
                      </button>
                    )}
                  </div>
                  <div class="history-text">{v.text}</div>
                  <div class="memory-meta timeline-valid">valid {v.valid}</div>
                  <div class="memory-meta timeline-record">recorded {v.record}</div>
                </li>
              ))}
            </ol>
          </aside>
        )}
      </div>
    </div>
  );
}

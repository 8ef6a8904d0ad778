import { useEffect, useState } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { formatDateTime } from "../lib/format";
import { useStores } from "../stores/context";
import { stateOf } from "../stores/memories";

/** MemoriesView lists a user's memories: add, edit, delete, and each one's history. */
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
          onInput={(e) => (m.query.value = (e.target as HTMLInputElement).value)}
        />
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
      <div class="split">
        <ul class="memory-list">
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
                    {stateOf(it) === "current" ? (
                      <>since {formatDateTime(it.valid_from)}</>
                    ) : (
                      <>
                        <span class={`badge badge-${stateOf(it)}`}>{stateOf(it)}</span>{" "}
                        {it.valid_to ? `until ${formatDateTime(it.valid_to)}` : `since ${formatDateTime(it.valid_from)}`}
                      </>
                    )}
                  </div>
                  <div class="memory-actions">
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
            <ol class="history-list">
              {h.versions.map((v) => (
                <li key={v.version} class="history-item">
                  <div class="history-head">
                    <span class={`badge badge-${v.event.toLowerCase()}`}>{v.event}</span> v{v.version}
                  </div>
                  <div class="history-text">{v.memory}</div>
                  <div class="memory-meta">
                    valid {formatDateTime(v.valid_from)} → {v.valid_to ? formatDateTime(v.valid_to) : "now"}
                  </div>
                </li>
              ))}
            </ol>
          </aside>
        )}
      </div>
    </div>
  );
}

import { useEffect, useRef } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { ErrorState } from "../components/common/ErrorState";
import { Kbd, ModKey } from "../components/common/Kbd";
import { ReaderPane } from "../components/reader/ReaderPane";
import { FacetBar } from "../components/search/FacetBar";
import { ResultList } from "../components/search/ResultList";
import { SearchBox } from "../components/search/SearchBox";
import { StatusLine } from "../components/search/StatusLine";
import { useStores } from "../stores/context";

/**
 * SearchView is instant search: results as you type, arrow keys to move,
 * Enter to open in the reader, Esc to close it or clear the query, and
 * Ctrl/⌘-K from anywhere to come back to the search box.
 */
export function SearchView() {
  const { search, reader, nav } = useStores();
  const openedId = search.opened.value?.id;
  useEffect(() => {
    if (openedId) void reader.load(openedId);
    else reader.clear();
  }, [openedId, reader]);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = document.activeElement instanceof HTMLInputElement || document.activeElement instanceof HTMLTextAreaElement;
      if (e.key === "/" && !typing) {
        e.preventDefault();
        input.current?.focus();
        input.current?.select();
      } else if (e.key === "Escape" && search.opened.value && document.activeElement !== input.current) {
        search.close();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [search]);

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case "ArrowDown":
        e.preventDefault();
        search.move(1);
        break;
      case "ArrowUp":
        e.preventDefault();
        search.move(-1);
        break;
      case "Enter":
        e.preventDefault();
        if (search.status.value === "loading") search.submit();
        else search.open();
        break;
      case "Escape":
        e.preventDefault();
        if (search.opened.value) search.close();
        else search.setQuery("");
        break;
    }
  };

  const status = search.status.value;
  const result = search.result.value;
  const opened = search.opened.value;
  const q = search.query.value.trim();

  let body;
  if (status === "idle") {
    body = (
      <EmptyState title="Search everything you have imported">
        <p>Mail, notes, chats and documents, all on this computer. Results appear as you type.</p>
        <p class="state-step">
          Nothing here yet?{" "}
          <button type="button" class="button button-primary" onClick={() => nav.go("imports")}>
            Import a folder
          </button>
        </p>
        <p class="state-keys">
          <Kbd>↑</Kbd> <Kbd>↓</Kbd> move · <Kbd>Enter</Kbd> open · <Kbd>Esc</Kbd> close · <Kbd>/</Kbd> search · <ModKey />
          <Kbd>K</Kbd> commands
        </p>
      </EmptyState>
    );
  } else if (status === "error") {
    body = (
      <ErrorState
        title="Search failed"
        message={search.error.value?.message ?? "Unknown error"}
        onRetry={() => void search.retry()}
      />
    );
  } else if (!result) {
    body = <div class="state state-quiet">Searching…</div>;
  } else if (result.hits.length === 0) {
    body = (
      <EmptyState title={`No results for “${q}”`}>
        <p>Check the spelling, try fewer or different words, or import more sources with</p>
        <code class="code">engram import PATH</code>
      </EmptyState>
    );
  } else {
    body = (
      <div class={status === "loading" ? "results results-stale" : "results"}>
        <StatusLine result={result} />
        <FacetBar
          facets={result.facets}
          query={search.query.value}
          onToggle={(q) => {
            search.setQuery(q);
            search.submit();
          }}
        />
        <ResultList hits={result.hits} selected={search.selected.value} onOpen={(i) => search.open(i)} />
        {search.hasMore.value && (
          <button
            type="button"
            class="button button-more"
            disabled={search.loadingMore.value}
            onClick={() => void search.loadMore()}
          >
            {search.loadingMore.value ? "Loading…" : "Show more"}
          </button>
        )}
      </div>
    );
  }

  return (
    <div class={opened ? "search-view search-view-split" : "search-view"}>
      <div class="search-pane">
        <div class="search-head">
          <SearchBox
            value={search.query.value}
            busy={status === "loading"}
            activeIndex={search.selected.value}
            inputRef={input}
            onInput={(v) => search.setQuery(v)}
            onKeyDown={onKeyDown}
          />
        </div>
        <div class="search-body">{body}</div>
      </div>
      {opened && (
        <ReaderPane
          hit={opened}
          doc={reader.doc.value?.id === opened.id ? reader.doc.value : null}
          error={reader.error.value?.message ?? null}
          thread={reader.thread.value}
          onOpen={(m) => search.show({ id: m.id, title: m.title, source: "email", path: "", snippet: "", score: 0, date: m.date })}
          onClose={() => search.close()}
          onLink={(target) => {
            search.setQuery(`"${target.replace(/"/g, "")}"`);
            search.submit();
          }}
        />
      )}
    </div>
  );
}

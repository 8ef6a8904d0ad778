import { useEffect, useRef } from "preact/hooks";
import { EmptyState } from "../components/common/EmptyState";
import { ErrorState } from "../components/common/ErrorState";
import { ReaderPane } from "../components/reader/ReaderPane";
import { FacetBar } from "../components/search/FacetBar";
import { ModeSwitch } from "../components/search/ModeSwitch";
import { ResultList } from "../components/search/ResultList";
import { SearchBox } from "../components/search/SearchBox";
import { StartPage } from "../components/search/StartPage";
import { StatusLine } from "../components/search/StatusLine";
import { useStores } from "../stores/context";

/** How often the search view asks for the embedding's progress while it runs. */
const EMBED_POLL_MS = 3000;

/**
 * SearchView is instant search: results as you type, arrow keys to move,
 * Enter to open in the reader, Esc to close it or clear the query, and
 * Ctrl/⌘-K from anywhere to come back to the search box.
 */
export function SearchView() {
  const { search, reader, nav, imports, api } = useStores();
  const openedId = search.opened.value?.id;
  useEffect(() => {
    if (openedId) void reader.load(openedId);
    else reader.clear();
  }, [openedId, reader]);
  const input = useRef<HTMLInputElement>(null);

  // "/" (App) asks for the search box from any view.
  const focusSearch = nav.focusSearch.value;
  useEffect(() => {
    if (focusSearch === 0) return;
    input.current?.focus();
    input.current?.select();
  }, [focusSearch]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && search.opened.value && document.activeElement !== input.current) search.close();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [search]);

  // Search by meaning's state: once, then every few seconds while it embeds.
  useEffect(() => {
    void search.loadEmbed();
  }, [search]);
  const embed = search.embed.value;
  useEffect(() => {
    if (embed?.state !== "running") return;
    const t = setTimeout(() => void search.loadEmbed(), EMBED_POLL_MS);
    return () => clearTimeout(t);
  }, [embed, search]);

  // The start page: the newest documents and the latest imports.
  const idle = search.status.value === "idle";
  useEffect(() => {
    if (!idle) return;
    void search.loadLatest();
    void imports.loadJobs();
  }, [idle, search, imports]);

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
      <StartPage
        recent={reader.recent.value}
        latest={search.latest.value}
        jobs={imports.jobs.value}
        desktop={nav.desktop}
        onOpen={(id, title, source) => search.openID(id, title, source)}
        onImport={() => nav.go("imports")}
        onImports={() => nav.go("imports")}
      />
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
        {result.notice && <p class="status-notice">{result.notice}</p>}
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
          <ModeSwitch
            chosen={search.mode.value}
            effective={search.effectiveMode.value}
            embed={search.embed.value}
            onChange={(m) => search.setMode(m)}
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
          links={reader.links.value}
          linkError={search.linkError.value}
          onOpen={(m) => search.openID(m.id, m.title, reader.doc.value?.source ?? "")}
          onOpenDoc={(id, title, source) => search.openID(id, title, source)}
          onClose={() => search.close()}
          onLink={(target) => void search.openLink(target)}
          onTag={(tag) => {
            search.setQuery(`tag:${/\s/.test(tag) ? `"${tag}"` : tag}`);
            search.submit();
          }}
          onExternal={(href) => api.openExternal(href)}
        />
      )}
    </div>
  );
}

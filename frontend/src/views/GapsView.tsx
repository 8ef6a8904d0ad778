import { useEffect, useRef, useState } from "preact/hooks";
import type { ApiError, Gap, GapGroup, GapsState } from "../api";
import { toApiError } from "../api";
import { formatCount, formatDate } from "../lib/format";
import { KINDS, countGaps, emptyState, filterGroups, groupGaps, kindLabel, knownPeople, personLabel, type GapsFilter } from "../lib/gaps";
import { openDocument } from "../stores/actions";
import { useStores } from "../stores/context";

/** How often the view asks how a running analysis is getting on. */
const STATE_POLL_MS = 500;

/**
 * GapsView lists the workspace's knowledge gaps grouped by kind: each with
 * its summary, the question to ask and whom to ask, and its evidence, which
 * opens in the reader. Gaps can be dismissed (and shown and restored), the
 * list filtered by kind and person, and the analysis run now.
 */
export function GapsView() {
  const { api, nav, search } = useStores();
  const [groups, setGroups] = useState<GapGroup[] | null>(null);
  const [dismissed, setDismissed] = useState<Gap[]>([]);
  const [state, setState] = useState<GapsState | null>(null);
  const [filter, setFilter] = useState<GapsFilter>({ kind: "", person: "" });
  const [showDismissed, setShowDismissed] = useState(false);
  const [analysing, setAnalysing] = useState(false);
  const [notice, setNotice] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = async (withDismissed = showDismissed) => {
    try {
      const [g, st, d] = await Promise.all([api.gapGroups(), api.gapsState(), withDismissed ? api.dismissedGaps() : Promise.resolve([])]);
      if (!alive.current) return;
      setGroups(g);
      setState(st);
      setDismissed(d);
      setError(null);
    } catch (e) {
      if (alive.current) setError(toApiError("gaps", e));
    }
  };
  useEffect(() => void load(), [api.workspace]);

  // An analysis running in the background (after an import) or started
  // here: follow its state, and list the gaps once it has ended.
  const running = analysing || state?.running === true;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => {
      void api.gapsState().then(
        (st) => {
          if (!alive.current) return;
          setState(st);
          if (!st.running && !analysing) void load();
        },
        () => undefined,
      );
    }, STATE_POLL_MS);
    return () => clearInterval(t);
  }, [running, analysing]);

  const analyse = async () => {
    setAnalysing(true);
    setNotice("");
    setError(null);
    try {
      const r = await api.analyzeGaps();
      if (!alive.current) return;
      setNotice(
        r.unchanged
          ? `Up to date: nothing changed since the last analysis (${formatCount(r.gaps)} open gaps).`
          : `Analysed ${formatCount(r.documents)} documents: ${formatCount(r.gaps)} open gaps.`,
      );
    } catch (e) {
      if (alive.current) setError(toApiError("analyse gaps", e));
    } finally {
      if (alive.current) setAnalysing(false);
    }
    await load();
  };

  const dismiss = async (id: string) => {
    try {
      await api.dismissGap(id);
      await load();
    } catch (e) {
      setError(toApiError("dismiss gap", e));
    }
  };
  const restore = async (id: string) => {
    try {
      await api.restoreGap(id);
      await load();
    } catch (e) {
      setError(toApiError("restore gap", e));
    }
  };
  const toggleDismissed = (on: boolean) => {
    setShowDismissed(on);
    void load(on);
  };

  const all = groups ?? [];
  const shown = filterGroups(all, filter);
  const total = countGaps(all);
  const empty = groups === null ? null : emptyState(state, total, countGaps(shown));
  const people = knownPeople(all);
  const open = (id: string, title: string) => openDocument(nav, search, id, title, "");

  return (
    <div class="view gaps-view">
      <header class="view-head">
        <h1 class="view-title">Gaps</h1>
        <button type="button" class="button button-primary gaps-analyze" disabled={running} onClick={() => void analyse()}>
          {running ? "Analysing…" : "Analyse now"}
        </button>
      </header>
      <p class="view-lead">
        What your documents leave open: questions nobody answered, decisions without an owner or a reason, deadlines nobody followed up, processes only
        one person knows, and values that contradict each other. Each says whom to ask.
      </p>
      <div class="gaps-status" data-running={running ? "1" : "0"} aria-live="polite">
        {running && (
          <span class="gaps-progress">
            Analysing{state && state.pending > 0 ? `: ${formatCount(state.pending)} changes to go` : "…"}
          </span>
        )}
        {!running && notice && <span class="gaps-notice">{notice}</span>}
        {!running && !notice && state?.analysed && state.pending > 0 && (
          <span class="gaps-pending">{formatCount(state.pending)} changes since the last analysis.</span>
        )}
      </div>
      {error && <p class="form-error">{error.message}</p>}

      <div class="gaps-filters">
        <label class="gaps-filter">
          Kind{" "}
          <select class="input input-small gaps-kind" value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: (e.target as HTMLSelectElement).value })}>
            <option value="">All kinds</option>
            {KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label class="gaps-filter">
          Person{" "}
          <input
            class="input input-small gaps-person"
            type="search"
            list="gaps-people"
            placeholder="name or address"
            value={filter.person}
            onInput={(e) => setFilter({ ...filter, person: (e.target as HTMLInputElement).value })}
          />
          <datalist id="gaps-people">
            {people.map((p) => (
              <option key={p.address || p.name} value={p.address || p.name}>
                {personLabel(p)}
              </option>
            ))}
          </datalist>
        </label>
        <label class="gaps-filter gaps-filter-check">
          <input type="checkbox" class="gaps-show-dismissed" checked={showDismissed} onChange={(e) => toggleDismissed((e.target as HTMLInputElement).checked)} />{" "}
          Show dismissed
        </label>
      </div>

      {groups !== null && total > 0 && (
        <nav class="gap-counts" aria-label="Gaps by kind">
          {all.map((g) => (
            <button
              type="button"
              key={g.kind}
              class={filter.kind === g.kind ? "tag gap-kind-count tag-on" : "tag gap-kind-count"}
              data-kind={g.kind}
              onClick={() => setFilter({ ...filter, kind: filter.kind === g.kind ? "" : g.kind })}
            >
              {kindLabel(g.kind)} <span class="gap-count">{g.gaps.length}</span>
            </button>
          ))}
        </nav>
      )}
      {groups === null && !error && <p class="state-quiet">Loading…</p>}
      {empty && <GapsEmpty empty={empty} />}
      {empty === null &&
        shown
          .filter((g) => g.gaps.length > 0)
          .map((g) => (
            <section key={g.kind} class="gap-group" data-kind={g.kind} aria-label={kindLabel(g.kind)}>
              <h2 class="view-subtitle gap-group-title">
                {kindLabel(g.kind)} <span class="gap-count">{g.gaps.length}</span>
              </h2>
              {g.gaps.map((x) => (
                <GapCard key={x.id} gap={x} onOpen={open} action={{ label: "Dismiss", cls: "gap-dismiss", run: () => void dismiss(x.id) }} />
              ))}
            </section>
          ))}

      {showDismissed && (
        <section class="gaps-dismissed" aria-label="Dismissed gaps">
          <h2 class="view-subtitle">Dismissed</h2>
          {dismissed.length === 0 && <p class="state-quiet gaps-dismissed-empty">No dismissed gaps.</p>}
          {groupGaps(dismissed).map((g) => (
            <div key={g.kind} class="gap-group gap-group-dismissed" data-kind={g.kind}>
              <h3 class="gap-group-title">
                {kindLabel(g.kind)} <span class="gap-count">{g.gaps.length}</span>
              </h3>
              {g.gaps.map((x) => (
                <GapCard key={x.id} gap={x} onOpen={open} dismissed action={{ label: "Restore", cls: "gap-restore", run: () => void restore(x.id) }} />
              ))}
            </div>
          ))}
        </section>
      )}
    </div>
  );
}

function GapsEmpty({ empty }: { empty: NonNullable<ReturnType<typeof emptyState>> }) {
  const text = {
    "not-analysed": ["Not analysed yet", "This workspace's documents have not been analysed for gaps. Choose Analyse now (imports start it by themselves)."],
    analysing: ["Analysing…", "The gaps show here when the analysis ends."],
    filtered: ["No gaps match", "Other gaps are hidden by the filters: choose All kinds or clear the person."],
    none: ["No gaps found", "The analysis found no open question, missing owner or contradiction in this workspace."],
  }[empty];
  return (
    <div class="state gaps-empty" data-empty={empty}>
      <p class="state-title">{text[0]}</p>
      <p class="state-message">{text[1]}</p>
    </div>
  );
}

function GapCard({
  gap,
  onOpen,
  action,
  dismissed = false,
}: {
  gap: Gap;
  onOpen: (id: string, title: string) => void;
  action: { label: string; cls: string; run: () => void };
  dismissed?: boolean;
}) {
  const titles = new Map(gap.evidence.map((e) => [e.doc_id, e.title]));
  return (
    <article class={dismissed ? "card gap gap-dismissed" : "card gap"} data-gap-id={gap.id} data-kind={gap.kind}>
      <div class="gap-head">
        <p class="gap-summary">{gap.summary}</p>
        <button type="button" class={`button button-ghost ${action.cls}`} onClick={action.run}>
          {action.label}
        </button>
      </div>
      {gap.question && (
        <p class="gap-question">
          <span class="gap-label">Ask:</span> {gap.question}
        </p>
      )}
      {gap.ask.length > 0 && (
        <p class="gap-ask">
          <span class="gap-label">Whom:</span>{" "}
          {gap.ask.map((p, i) => (
            <span key={p.address || p.name} class="gap-person" title={p.address}>
              {i > 0 && ", "}
              {p.name || p.address}
            </span>
          ))}
        </p>
      )}
      {gap.values.length > 0 && (
        <ul class="gap-values" aria-label="Values stated">
          {gap.values.map((v) => (
            <li key={`${v.doc_id}:${v.value}`} class={v.newer ? "gap-value gap-value-newer" : "gap-value"} data-newer={v.newer ? "1" : "0"}>
              <strong class="gap-value-text">{v.value}</strong>{" "}
              <button type="button" class="link gap-value-doc" onClick={() => onOpen(v.doc_id, titles.get(v.doc_id) ?? "")}>
                {titles.get(v.doc_id) || "document"}
              </button>{" "}
              <span class="gap-date">{formatDate(v.date)}</span>
              {v.newer && <span class="badge badge-done gap-newer">newer</span>}
            </li>
          ))}
        </ul>
      )}
      <ul class="gap-evidence" aria-label="Evidence">
        {gap.evidence.map((e, i) => (
          <li key={`${e.doc_id}:${i}`}>
            <button type="button" class="gap-evidence-item" data-doc-id={e.doc_id} onClick={() => onOpen(e.doc_id, e.title)}>
              <span class="gap-evidence-head">
                <span class="gap-evidence-title">{e.title || "Untitled"}</span>
                <span class="gap-date">{formatDate(e.date)}</span>
              </span>
              <span class="gap-passage">{e.passage}</span>
              {e.people.length > 0 && <span class="gap-people">{e.people.map((p) => p.name || p.address).join(", ")}</span>}
            </button>
          </li>
        ))}
      </ul>
    </article>
  );
}

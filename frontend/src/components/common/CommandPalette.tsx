import { useEffect, useRef, useState } from "preact/hooks";
import type { Entity, SearchHit } from "../../api";
import { fuzzyScore } from "../../lib/fuzzy";
import { titleQuery } from "../../lib/palette";
import { openDocument } from "../../stores/actions";
import { useStores } from "../../stores/context";
import { VIEWS } from "../../stores/nav";
import { SourceBadge } from "../search/SourceBadge";
import { Shortcuts } from "./Shortcuts";

/** How long typing must pause before the palette asks the backend for names. */
const LOOKUP_DEBOUNCE_MS = 80;
/** Documents and entities the palette lists for what was typed. */
const LOOKUP_LIMIT = 8;

interface Item {
  key: string;
  label: string;
  hint: string;
  /** source draws a badge: a document's source, or an entity's kind. */
  badge?: string;
  score: number;
  run: () => void;
}

/**
 * CommandPalette (Ctrl/⌘-K) is a quick switcher and a list of actions: it
 * opens any note, mail or person by name (fuzzy; the documents opened
 * lately first), and imports a folder, adds a memory, switches to or
 * creates a workspace, repairs the index and graph, pushes or pulls the
 * workspace through the team server, or goes to a view.
 */
export function CommandPalette() {
  const { nav, search, reader, settings, graph, memories, imports, api, team, info } = useStores();
  const [q, setQ] = useState("");
  const [sel, setSel] = useState(0);
  const [docs, setDocs] = useState<SearchHit[]>([]);
  const [ents, setEnts] = useState<Entity[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const seq = useRef(0);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => {
    if (settings.workspaces.value.length === 0) void settings.loadWorkspaces();
  }, [settings]);

  // Names from the backend: documents whose words start as typed, and
  // people, tags and notes of the graph.
  const typed = q.trim();
  useEffect(() => {
    const my = ++seq.current;
    if (typed === "") {
      setDocs([]);
      setEnts([]);
      return;
    }
    const t = setTimeout(() => {
      const tq = titleQuery(typed);
      void Promise.all([
        tq ? api.search(tq, LOOKUP_LIMIT, 0).then((r) => r.hits, () => []) : Promise.resolve([]),
        api.suggest(typed, LOOKUP_LIMIT).catch(() => []),
      ]).then(([d, e]) => {
        if (my !== seq.current) return;
        setDocs(d);
        setEnts(e);
      });
    }, LOOKUP_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [typed, api]);

  const close = () => (nav.palette.value = false);
  const openDoc = (id: string, title: string, source: string) => openDocument(nav, search, id, title, source);
  const focusLater = (sel: string) => setTimeout(() => (document.querySelector(sel) as HTMLElement | null)?.focus(), 0);

  const items: Item[] = [];
  const seen = new Set<string>();
  const push = (it: Item, text: string, boost = 0) => {
    const s = fuzzyScore(typed, text);
    if (s === null || seen.has(it.key)) return;
    seen.add(it.key);
    items.push({ ...it, score: s + boost });
  };
  // Recent first: a document opened lately outranks an equal match.
  reader.recent.value.forEach((d, i) =>
    push(
      { key: `doc:${d.id}`, label: d.title, hint: i === 0 && typed === "" ? "Opened last" : "Recent", badge: d.source, score: 0, run: () => openDoc(d.id, d.title, d.source) },
      d.title,
      typed === "" ? 100 - i : 6 - i * 0.1,
    ),
  );
  for (const d of docs) {
    const title = d.title || d.path || "Untitled";
    // The index found it by its words' first letters; it ranks by how its
    // title matches what was typed, and below every title that does when
    // its title does not.
    const s = fuzzyScore(typed, title) ?? -20;
    if (seen.has(`doc:${d.id}`)) continue;
    seen.add(`doc:${d.id}`);
    items.push({ key: `doc:${d.id}`, label: title, hint: d.from ? `From ${d.from}` : d.path, badge: d.source, score: s + 2, run: () => openDoc(d.id, title, d.source) });
  }
  for (const e of ents) {
    const doc = e.id.startsWith("document:") ? e.id.slice("document:".length) : null;
    if (doc && seen.has(`doc:${doc}`)) continue;
    const key = doc ? `doc:${doc}` : `ent:${e.id}`;
    const run = doc
      ? () => openDoc(doc, e.name, "")
      : e.kind === "topic"
        ? () => {
            nav.go("search");
            search.setQuery(`tag:${e.name.replace(/^#/, "")}`);
            search.submit();
          }
        : () => {
            nav.go("graph");
            void graph.open(e.name);
          };
    const s = fuzzyScore(typed, e.name) ?? fuzzyScore(typed, (e.aliases ?? []).join(" ")) ?? 0;
    seen.add(key);
    items.push({ key, label: e.name, hint: doc ? "Note" : e.kind === "person" ? "Person · show in the graph" : e.kind === "topic" ? "Tag · search it" : e.kind, badge: doc ? "markdown" : e.kind, score: s + 2, run });
  }

  const actions: { label: string; hint: string; run: () => void }[] = [
    ...VIEWS.map((v) => ({ label: `Go to ${v.label}`, hint: v.hint, run: () => nav.go(v.id) })),
    {
      label: "Import a folder…",
      hint: api.canPickFolder ? "Choose a folder of notes, mail or documents" : "Type the path of a folder of notes, mail or documents",
      run: () => {
        nav.go("imports");
        if (api.canPickFolder) void imports.pick().then(() => imports.path.value.trim() && void imports.start());
        else focusLater("input.import-path");
      },
    },
    {
      label: "Add a memory…",
      hint: "Tell Engram a fact to remember",
      run: () => {
        nav.go("memories");
        focusLater("textarea.memory-add-text");
      },
    },
    {
      label: "Repair the index and graph",
      hint: "Rebuild from the store what disagrees with it (engram doctor --repair)",
      run: () => {
        nav.go("settings");
        void settings.repair();
      },
    },
    ...(["push", "pull"] as const).map((kind) => ({
      label: kind === "push" ? "Push this workspace to the team" : "Pull this workspace from the team",
      hint: kind === "push" ? "Send your edits to the team server" : "Bring in the team's changes",
      run: () => {
        nav.go("team");
        const ws = info.info.value?.workspace ?? "";
        void team.run(kind, ws).then(() => team.load());
      },
    })),
    ...settings.workspaces.value
      .filter((w) => w.name !== settings.current.value)
      .map((w) => ({
        label: `Switch to workspace ${w.name}`,
        hint: `${w.documents} documents`,
        run: () => {
          close();
          void settings.switchWorkspace(w.name);
        },
      })),
  ];
  for (const a of actions) push({ key: `act:${a.label}`, label: a.label, hint: a.hint, score: 0, run: a.run }, a.label, typed === "" ? 0 : -1);
  items.sort((a, b) => b.score - a.score);
  if (typed) {
    items.push(
      {
        key: "act:search",
        label: `Search for “${typed}”`,
        hint: "Search view",
        score: -100,
        run: () => {
          nav.go("search");
          search.setQuery(typed);
          search.submit();
        },
      },
      {
        key: "act:remember",
        label: `Remember “${typed}”`,
        hint: "Add it to your memories",
        score: -100,
        run: () => {
          nav.go("memories");
          void memories.add(typed);
        },
      },
    );
    if (!settings.workspaces.value.some((w) => w.name === typed)) {
      items.push({
        key: "act:create",
        label: `Create workspace “${typed}”`,
        hint: "A new, empty workspace, switched to",
        score: -100,
        run: () => {
          close();
          void settings.createAndSwitch(typed);
        },
      });
    }
  }
  const shown = items.slice(0, 40);
  const active = Math.min(sel, shown.length - 1);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") close();
    else if (e.key === "ArrowDown") setSel(Math.min(shown.length - 1, active + 1));
    else if (e.key === "ArrowUp") setSel(Math.max(0, active - 1));
    else if (e.key === "Enter") shown[active]?.run();
    else return;
    e.preventDefault();
  };
  return (
    <div class="palette-backdrop" onClick={close}>
      <div class="palette" role="dialog" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          class="palette-input"
          placeholder="Open a note, mail or person by name, or run a command…"
          value={q}
          role="combobox"
          aria-controls="palette-list"
          aria-expanded="true"
          aria-activedescendant={shown[active] ? `palette-${active}` : undefined}
          onInput={(e) => {
            setQ((e.target as HTMLInputElement).value);
            setSel(0);
          }}
          onKeyDown={onKey}
        />
        <ul class="palette-list" id="palette-list" role="listbox">
          {shown.map((it, i) => (
            <li key={it.key} id={`palette-${i}`} role="option" aria-selected={i === active}>
              <button type="button" class={i === active ? "palette-item palette-item-active" : "palette-item"} data-key={it.key} onClick={it.run}>
                {it.badge && <SourceBadge source={it.badge} />}
                <span class="palette-label">{it.label}</span>
                <span class="palette-hint">{it.hint}</span>
              </button>
            </li>
          ))}
        </ul>
        <Shortcuts desktop={nav.desktop} class="palette-keys" />
      </div>
    </div>
  );
}

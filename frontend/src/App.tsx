import { useEffect } from "preact/hooks";
import { CommandPalette } from "./components/common/CommandPalette";
import { isMac } from "./components/common/Kbd";
import { keyLabel } from "./components/common/Shortcuts";
import { useStores } from "./stores/context";
import { VIEWS } from "./stores/nav";
import { ConnectorsView } from "./views/ConnectorsView";
import { GapsView } from "./views/GapsView";
import { GraphView } from "./views/GraphView";
import { ImportsView } from "./views/ImportsView";
import { MemoriesView } from "./views/MemoriesView";
import { SearchView } from "./views/SearchView";
import { SettingsView } from "./views/SettingsView";
import { TeamView } from "./views/TeamView";

const ICONS: Record<string, string> = { search: "⌕", memories: "✦", graph: "◎", imports: "⇩", settings: "⚙", gaps: "?", connectors: "⇄", team: "⇅" };

/** typing reports whether the focus is in a field that takes text (where "/" and arrows are the field's). */
function typing(): boolean {
  const a = document.activeElement;
  return a instanceof HTMLInputElement || a instanceof HTMLTextAreaElement || a instanceof HTMLSelectElement || (a instanceof HTMLElement && a.isContentEditable);
}

/** App is the window's frame: a sidebar, the current view and a status bar. */
export function App() {
  const { info, nav } = useStores();
  const i = info.info.value;
  const view = nav.view.value;

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
      if (mod && !e.shiftKey && e.key.toLowerCase() === "k") {
        e.preventDefault();
        nav.palette.value = !nav.palette.value;
      } else if (mod && /^[1-8]$/.test(e.key)) {
        e.preventDefault();
        nav.go(VIEWS[Number(e.key) - 1]!.id);
      } else if (e.key === "/" && !mod && !e.altKey && !typing() && !nav.palette.value) {
        e.preventDefault();
        nav.search();
      } else if (nav.desktop && !typing()) {
        // The desktop window has no Back and Forward of its own: the
        // browser's shortcuts (Alt-←/→; ⌘-←/→ and ⌘-[/] on macOS) walk the
        // app's history.
        const back = (e.altKey && e.key === "ArrowLeft") || (isMac && e.metaKey && (e.key === "ArrowLeft" || e.key === "["));
        const fwd = (e.altKey && e.key === "ArrowRight") || (isMac && e.metaKey && (e.key === "ArrowRight" || e.key === "]"));
        if (back || fwd) {
          e.preventDefault();
          if (back) history.back();
          else history.forward();
        }
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [nav]);

  return (
    <div class="app app-with-sidebar">
      <nav class="sidebar" aria-label="Views">
        <div class="sidebar-brand">
          <img class="sidebar-logo" src="/favicon.svg" alt="" width={20} height={20} />
          <span class="sidebar-label">Engram</span>
        </div>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            class={v.id === view ? "nav-item nav-item-active" : "nav-item"}
            data-view={v.id}
            title={`${v.label}: ${v.hint} (${keyLabel("Mod")}-${v.key})`}
            aria-label={v.label}
            onClick={() => nav.go(v.id)}
          >
            <span class="nav-icon" aria-hidden="true">
              {ICONS[v.id]}
            </span>
            <span class="sidebar-label">{v.label}</span>
          </button>
        ))}
        <div class="sidebar-foot">
          <button type="button" class="nav-palette" title="Commands" onClick={() => (nav.palette.value = true)}>
            <span class="sidebar-label">Commands</span> <kbd class="kbd">{keyLabel("Mod")} K</kbd>
          </button>
        </div>
      </nav>
      <main class="app-main">
        {view === "search" && <SearchView />}
        {view === "memories" && <MemoriesView />}
        {view === "graph" && <GraphView />}
        {view === "imports" && <ImportsView />}
        {view === "settings" && <SettingsView />}
        {view === "gaps" && <GapsView />}
        {view === "connectors" && <ConnectorsView />}
        {view === "team" && <TeamView />}
      </main>
      <footer class="statusbar">
        <span class="statusbar-brand">Engram</span>
        {i && (
          <>
            <span class="statusbar-item" title="Workspace">
              {i.workspace || "default workspace"}
            </span>
            <span class="statusbar-item statusbar-path" title="Data directory">
              {i.dataDir}
            </span>
            <span class="statusbar-item statusbar-version">{i.version}</span>
          </>
        )}
      </footer>
      {nav.palette.value && <CommandPalette />}
    </div>
  );
}

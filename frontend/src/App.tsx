import { useEffect } from "preact/hooks";
import { CommandPalette } from "./components/common/CommandPalette";
import { useStores } from "./stores/context";
import { VIEWS } from "./stores/nav";
import { GraphView } from "./views/GraphView";
import { ImportsView } from "./views/ImportsView";
import { MemoriesView } from "./views/MemoriesView";
import { SearchView } from "./views/SearchView";
import { SettingsView } from "./views/SettingsView";

const ICONS: Record<string, string> = { search: "⌕", memories: "✦", graph: "◎", imports: "⇩", settings: "⚙" };

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
      } else if (mod && /^[1-5]$/.test(e.key)) {
        e.preventDefault();
        nav.go(VIEWS[Number(e.key) - 1]!.id);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [nav]);

  return (
    <div class="app app-with-sidebar">
      <nav class="sidebar" aria-label="Views">
        <div class="sidebar-brand">Engram</div>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            type="button"
            class={v.id === view ? "nav-item nav-item-active" : "nav-item"}
            data-view={v.id}
            title={`${v.hint} (Ctrl/⌘-${v.key})`}
            onClick={() => nav.go(v.id)}
          >
            <span class="nav-icon" aria-hidden="true">
              {ICONS[v.id]}
            </span>
            {v.label}
          </button>
        ))}
        <div class="sidebar-foot">
          <button type="button" class="nav-palette" onClick={() => (nav.palette.value = true)}>
            Commands <kbd class="kbd">Ctrl K</kbd>
          </button>
        </div>
      </nav>
      <main class="app-main">
        {view === "search" && <SearchView />}
        {view === "memories" && <MemoriesView />}
        {view === "graph" && <GraphView />}
        {view === "imports" && <ImportsView />}
        {view === "settings" && <SettingsView />}
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

import { useStores } from "./stores/context";
import { SearchView } from "./views/SearchView";

/** App is the window's frame: the current view and a status bar. */
export function App() {
  const { info } = useStores();
  const i = info.info.value;
  return (
    <div class="app">
      <main class="app-main">
        <SearchView />
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
    </div>
  );
}

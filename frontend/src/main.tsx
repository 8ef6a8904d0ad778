import { render } from "preact";
import { createApi } from "./api";
import { App } from "./App";
import { StoresContext, type Stores } from "./stores/context";
import { GraphStore, type GraphEdge, type GraphNode } from "./stores/graph";
import { ImportsStore } from "./stores/imports";
import { InfoStore } from "./stores/info";
import { MemoriesStore } from "./stores/memories";
import { NavStore } from "./stores/nav";
import { ReaderStore } from "./stores/reader";
import { Router } from "./stores/router";
import { SearchStore } from "./stores/search";
import { SettingsStore, savedWorkspace } from "./stores/settings";
import { TeamStore } from "./stores/team";
import "./styles/theme.css";
import "./styles/base.css";
import "./styles/search.css";
import "./styles/views.css";
import "./styles/nav.css";
import "./styles/gaps.css";

const api = createApi();
api.setWorkspace(savedWorkspace());
const stores: Stores = {
  api,
  search: new SearchStore(api),
  info: new InfoStore(api),
  nav: new NavStore(api.canPickFolder),
  reader: new ReaderStore(api),
  memories: new MemoriesStore(api),
  imports: new ImportsStore(api),
  graph: new GraphStore(api),
  settings: new SettingsStore(api),
  team: new TeamStore(api),
};
stores.settings.onSwitch = () => {
  void stores.info.load();
  stores.reader.clear();
  stores.reader.reloadRecent();
  stores.search.setQuery("");
  stores.graph.nodes.value = [];
  stores.graph.edges.value = [];
  stores.graph.root.value = null;
  stores.graph.expanded.clear();
  stores.memories.loaded.value = false;
  stores.imports.current.value = null;
  void stores.imports.loadJobs();
};
void stores.info.load();
void new Router(stores.nav, stores.search, stores.graph, window).start();

// Changes made elsewhere (a memory added through MCP or the CLI, an import
// that ended) reach the open views without a reload.
api.subscribe((e) => {
  const all = e.kind === "reset"; // something may have been missed
  if ((all || e.kind === "memory") && stores.memories.loaded.value) void stores.memories.refresh();
  if (all || e.kind === "import") void stores.imports.loadJobs();
});

// The bench (bench/browser.go) draws a synthetic graph of thousands of nodes
// through this hook to time the graph view; it only replaces what is drawn.
(window as unknown as { __engramLoadGraph?: unknown }).__engramLoadGraph = (d: { nodes: GraphNode[]; edges: GraphEdge[] }) => {
  stores.nav.go("graph");
  stores.graph.show(d.nodes, d.edges);
};

render(
  <StoresContext.Provider value={stores}>
    <App />
  </StoresContext.Provider>,
  document.getElementById("app")!,
);

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api } from "../api";
import type { GraphStore } from "./graph";
import type { ImportsStore } from "./imports";
import type { InfoStore } from "./info";
import type { MemoriesStore } from "./memories";
import type { NavStore } from "./nav";
import type { ReaderStore } from "./reader";
import type { SearchStore } from "./search";
import type { SettingsStore } from "./settings";
import type { TeamStore } from "./team";

/** Stores are the app's state, built once in main.tsx over one Api. */
export interface Stores {
  /** api is for what is no store's state: opening an address outside the app. */
  api: Api;
  search: SearchStore;
  info: InfoStore;
  nav: NavStore;
  reader: ReaderStore;
  memories: MemoriesStore;
  imports: ImportsStore;
  graph: GraphStore;
  settings: SettingsStore;
  team: TeamStore;
}

export const StoresContext = createContext<Stores | null>(null);

/** useStores returns the app's stores; it throws outside <StoresContext.Provider>. */
export function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error("useStores: no StoresContext.Provider above this component");
  return s;
}

import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { InfoStore } from "./info";
import type { SearchStore } from "./search";

/** Stores are the app's state, built once in main.tsx over one Api. */
export interface Stores {
  search: SearchStore;
  info: InfoStore;
}

export const StoresContext = createContext<Stores | null>(null);

/** useStores returns the app's stores; it throws outside <StoresContext.Provider>. */
export function useStores(): Stores {
  const s = useContext(StoresContext);
  if (!s) throw new Error("useStores: no StoresContext.Provider above this component");
  return s;
}

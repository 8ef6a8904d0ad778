import { render } from "preact";
import { createApi } from "./api";
import { App } from "./App";
import { StoresContext, type Stores } from "./stores/context";
import { InfoStore } from "./stores/info";
import { SearchStore } from "./stores/search";
import "./styles/theme.css";
import "./styles/base.css";
import "./styles/search.css";

const api = createApi();
const stores: Stores = { search: new SearchStore(api), info: new InfoStore(api) };
void stores.info.load();

render(
  <StoresContext.Provider value={stores}>
    <App />
  </StoresContext.Provider>,
  document.getElementById("app")!,
);

import { useEffect, useState } from "preact/hooks";
import { useStores } from "../stores/context";
import { embedSummary } from "../stores/search";

/** SettingsView: data directory, parser limits, workspaces and the dictionary. */
export function SettingsView() {
  const { settings: s } = useStores();
  const [mb, setMb] = useState("");
  const [ws, setWs] = useState("");
  const [kind, setKind] = useState("acronym");
  const [term, setTerm] = useState("");
  const [ex, setEx] = useState("");
  const [llmURL, setLlmURL] = useState("");
  const [llmModel, setLlmModel] = useState("");
  const [doomed, setDoomed] = useState<string | null>(null);
  const [embedURL, setEmbedURL] = useState("");
  const [embedModel, setEmbedModel] = useState("");
  useEffect(() => {
    void s.load().then(() => {
      setMb(s.settings.value?.max_file_mb ?? "");
      setEmbedURL(s.settings.value?.embed_endpoint ?? "");
      setEmbedModel(s.settings.value?.embed_model ?? "");
    });
    void s.loadEmbed();
    void s.loadLLM().then(() => {
      setLlmURL(s.llm.value?.endpoint ?? "");
      setLlmModel(s.llm.value?.model ?? "");
    });
  }, [s]);
  const cur = s.settings.value;
  const sep = cur?.data_dir.includes("\\") ? "\\" : "/";
  const wsDir = cur ? [cur.data_dir, "workspaces", cur.workspace].join(sep) : "";
  const userDict = s.dict.value.filter((d) => d.origin === "user");
  const builtIn = s.dict.value.filter((d) => d.origin !== "user");
  return (
    <div class="view">
      <header class="view-head">
        <h1 class="view-title">Settings</h1>
      </header>
      {s.error.value && <p class="form-error">{s.error.value}</p>}
      {s.notice.value && !s.error.value && <p class="form-notice">{s.notice.value}</p>}
      <section class="card">
        <h2 class="view-subtitle">Data</h2>
        <dl class="reader-meta">
          <dt>Data directory</dt>
          <dd class="reader-path settings-datadir">{cur?.data_dir}</dd>
          <dt>Documents, memories, settings</dt>
          <dd class="reader-path settings-store">{cur ? `${cur.data_dir}${sep}engram.db` : ""}</dd>
          <dt>This workspace's index and graph</dt>
          <dd class="reader-path settings-wsdir">{wsDir}</dd>
          <dt>Workspace</dt>
          <dd>{cur?.workspace}</dd>
        </dl>
        <p class="state-quiet">
          Everything stays on this computer. Back up the data directory to keep it; the index and graph can be rebuilt from engram.db
          (Repair, in the command palette).
        </p>
        <div class="row">
          <button type="button" class="button settings-repair" onClick={() => void s.repair()}>
            Repair the index and graph
          </button>
        </div>
      </section>
      <section class="card">
        <h2 class="view-subtitle">Memory extraction</h2>
        <p class="state-quiet">
          Without a language model, Engram understands what you tell it with offline rules. To use a model, give an
          OpenAI-compatible or Ollama endpoint on this computer or your network, such as http://127.0.0.1:11434/v1.
        </p>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void s.setLLM(llmURL, llmModel);
          }}
        >
          <input
            class="input settings-llm-endpoint"
            placeholder="http://127.0.0.1:11434/v1 (empty: offline rules)"
            value={llmURL}
            onInput={(e) => setLlmURL((e.target as HTMLInputElement).value)}
          />
          <input
            class="input input-small settings-llm-model"
            placeholder="model, e.g. llama3.2"
            value={llmModel}
            onInput={(e) => setLlmModel((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="button settings-llm-save">
            Save
          </button>
        </form>
      </section>
      <section class="card settings-embed">
        <h2 class="view-subtitle">Search by meaning</h2>
        <p class="state-quiet">
          Give a local embedding endpoint (Ollama, or any OpenAI-compatible server) and search finds documents and memories by
          what they mean, not only by their words. Empty: words only.
        </p>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void s.setEmbed(embedURL, embedModel);
          }}
        >
          <input
            class="input settings-embed-endpoint"
            placeholder="http://127.0.0.1:11434 (empty: words only)"
            value={embedURL}
            onInput={(e) => setEmbedURL((e.target as HTMLInputElement).value)}
          />
          <input
            class="input input-small settings-embed-model"
            placeholder="model, e.g. nomic-embed-text"
            value={embedModel}
            onInput={(e) => setEmbedModel((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="button settings-embed-save">
            Save
          </button>
        </form>
        <p class="state-quiet settings-embed-status" data-state={s.embed.value?.state ?? "off"}>
          {embedSummary(s.embed.value)}
        </p>
      </section>
      <section class="card">
        <h2 class="view-subtitle">Parser limits</h2>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void s.set("import.max_file_mb", mb);
          }}
        >
          <label>
            Skip files larger than{" "}
            <input class="input input-small" value={mb} onInput={(e) => setMb((e.target as HTMLInputElement).value)} /> MB
          </label>
          <button type="submit" class="button">
            Save
          </button>
        </form>
      </section>
      <section class="card">
        <h2 class="view-subtitle">Workspaces</h2>
        <ul class="plain-list">
          {s.workspaces.value.map((w) => (
            <li key={w.name}>
              <strong>{w.name}</strong> — {w.documents} documents {w.default && <span class="badge">default</span>}{" "}
              {w.name === s.current.value ? (
                <span class="badge" data-current-workspace={w.name}>
                  current
                </span>
              ) : (
                <button type="button" class="button button-ghost" data-switch-workspace={w.name} onClick={() => void s.switchWorkspace(w.name)}>
                  Switch
                </button>
              )}{" "}
              {!w.default &&
                (doomed === w.name ? (
                  <span class="confirm" role="alert">
                    Delete {w.name} and its {w.documents} documents, memories and graph?{" "}
                    <button
                      type="button"
                      class="button button-danger"
                      data-confirm-delete={w.name}
                      onClick={() => {
                        setDoomed(null);
                        void s.deleteWorkspace(w.name);
                      }}
                    >
                      Delete
                    </button>{" "}
                    <button type="button" class="button button-ghost" onClick={() => setDoomed(null)}>
                      Keep
                    </button>
                  </span>
                ) : (
                  <button type="button" class="button button-ghost" data-delete-workspace={w.name} onClick={() => setDoomed(w.name)}>
                    Delete…
                  </button>
                ))}
            </li>
          ))}
        </ul>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void s.createWorkspace(ws).then(() => setWs(""));
          }}
        >
          <input
            class="input input-small"
            placeholder="new workspace"
            title="Any name: “My Work” becomes my-work"
            value={ws}
            onInput={(e) => setWs((e.target as HTMLInputElement).value)}
          />
          <button type="submit" class="button" disabled={ws.trim() === ""}>
            Create
          </button>
        </form>
        <p class="state-quiet">Each workspace has its own documents, memories, graph and dictionary. Switch to one and every view works in it.</p>
      </section>
      <section class="card">
        <h2 class="view-subtitle">Dictionary</h2>
        <p class="state-quiet">Acronyms and synonyms widen searches: “okr” also finds “objectives and key results”.</p>
        {userDict.length === 0 ? (
          <p class="state-quiet">You have added no entries yet.</p>
        ) : (
          <table class="table dict-user">
            <tbody>
              {userDict.map((d) => (
                <tr key={d.kind + d.term} data-dict-term={d.term}>
                  <td>
                    <span class="badge">{d.kind}</span>
                  </td>
                  <td>{d.term}</td>
                  <td>{d.expansions.join(", ")}</td>
                  <td class="num">
                    <button type="button" class="button button-ghost dict-remove" onClick={() => void s.removeEntry(d.kind, d.term)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void s.addEntry(kind, term, ex).then(() => {
              setTerm("");
              setEx("");
            });
          }}
        >
          <select class="input input-small" value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
            <option value="acronym">acronym</option>
            <option value="synonym">synonym</option>
          </select>
          <input class="input input-small" placeholder="term" value={term} onInput={(e) => setTerm((e.target as HTMLInputElement).value)} />
          <input class="input" placeholder="expansions, comma-separated" value={ex} onInput={(e) => setEx((e.target as HTMLInputElement).value)} />
          <button type="submit" class="button" disabled={term.trim() === ""}>
            Add
          </button>
        </form>
        {builtIn.length > 0 && (
          <details class="dict-builtin">
            <summary>{builtIn.length} built-in entries</summary>
            <table class="table">
              <tbody>
                {builtIn.map((d) => (
                  <tr key={d.kind + d.term} data-dict-builtin={d.term} class={d.off ? "dict-off" : undefined}>
                    <td>
                      <span class="badge">{d.kind}</span>
                    </td>
                    <td>{d.term}</td>
                    <td>{d.expansions.join(", ")}</td>
                    <td class="num">
                      <button
                        type="button"
                        class="button button-ghost dict-switch"
                        title={d.off ? `Searches for “${d.term}” will find its expansions again` : `Searches for “${d.term}” will find only “${d.term}”`}
                        onClick={() => void s.switchBuiltIn(d, d.off === true)}
                      >
                        {d.off ? "Switch on" : "Switch off"}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        )}
      </section>
    </div>
  );
}

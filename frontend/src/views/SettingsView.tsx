import { useEffect, useState } from "preact/hooks";
import { useStores } from "../stores/context";

/** SettingsView: data directory, parser limits, workspaces and the dictionary. */
export function SettingsView() {
  const { settings: s } = useStores();
  const [mb, setMb] = useState("");
  const [ws, setWs] = useState("");
  const [kind, setKind] = useState("acronym");
  const [term, setTerm] = useState("");
  const [ex, setEx] = useState("");
  useEffect(() => {
    void s.load().then(() => setMb(s.settings.value?.max_file_mb ?? ""));
  }, [s]);
  const cur = s.settings.value;
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
          <dt>Workspace</dt>
          <dd>{cur?.workspace}</dd>
        </dl>
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
              )}
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
          <input class="input input-small" placeholder="new workspace" value={ws} onInput={(e) => setWs((e.target as HTMLInputElement).value)} />
          <button type="submit" class="button" disabled={ws.trim() === ""}>
            Create
          </button>
        </form>
        <p class="state-quiet">Each workspace has its own documents, memories, graph and dictionary. Switch to one and every view works in it.</p>
      </section>
      <section class="card">
        <h2 class="view-subtitle">Dictionary</h2>
        <p class="state-quiet">Acronyms and synonyms widen searches: “okr” also finds “objectives and key results”.</p>
        <table class="table">
          <tbody>
            {s.dict.value.map((d) => (
              <tr key={d.kind + d.term}>
                <td>
                  <span class="badge">{d.kind}</span>
                </td>
                <td>{d.term}</td>
                <td>{d.expansions.join(", ")}</td>
                <td class="num">
                  {d.origin === "user" && (
                    <button type="button" class="button button-ghost" onClick={() => void s.removeEntry(d.kind, d.term)}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
      </section>
    </div>
  );
}

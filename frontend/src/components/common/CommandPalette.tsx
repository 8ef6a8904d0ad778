import { useEffect, useRef, useState } from "preact/hooks";
import { useStores } from "../../stores/context";
import { VIEWS } from "../../stores/nav";

/** CommandPalette (Ctrl/⌘-K) jumps to a view, or searches what was typed. */
export function CommandPalette() {
  const { nav, search } = useStores();
  const [q, setQ] = useState("");
  const [sel, setSel] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => input.current?.focus(), []);

  const items = [
    ...VIEWS.filter((v) => v.label.toLowerCase().includes(q.trim().toLowerCase())).map((v) => ({
      label: `Go to ${v.label}`,
      hint: v.hint,
      run: () => nav.go(v.id),
    })),
    ...(q.trim()
      ? [
          {
            label: `Search for “${q.trim()}”`,
            hint: "Search view",
            run: () => {
              nav.go("search");
              search.setQuery(q.trim());
            },
          },
        ]
      : []),
  ];
  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") nav.palette.value = false;
    else if (e.key === "ArrowDown") setSel((s) => Math.min(items.length - 1, s + 1));
    else if (e.key === "ArrowUp") setSel((s) => Math.max(0, s - 1));
    else if (e.key === "Enter") items[sel]?.run();
    else return;
    e.preventDefault();
  };
  return (
    <div class="palette-backdrop" onClick={() => (nav.palette.value = false)}>
      <div class="palette" role="dialog" aria-label="Command palette" onClick={(e) => e.stopPropagation()}>
        <input
          ref={input}
          class="palette-input"
          placeholder="Go to a view, or type words to search…"
          value={q}
          onInput={(e) => {
            setQ((e.target as HTMLInputElement).value);
            setSel(0);
          }}
          onKeyDown={onKey}
        />
        <ul class="palette-list">
          {items.map((it, i) => (
            <li key={it.label}>
              <button type="button" class={i === sel ? "palette-item palette-item-active" : "palette-item"} onClick={it.run}>
                <span>{it.label}</span>
                <span class="palette-hint">{it.hint}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

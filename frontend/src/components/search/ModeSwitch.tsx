import type { EmbedStatus, SearchMode } from "../../api";
import { embedSummary } from "../../stores/search";

const MODES: { mode: Exclude<SearchMode, "">; label: string; title: string }[] = [
  { mode: "text", label: "Words", title: "Find the words you typed (text search)" },
  { mode: "semantic", label: "Meaning", title: "Find passages that mean the same, even in other words (needs an embedding endpoint)" },
  { mode: "hybrid", label: "Both", title: "Words and meaning, ranked together (hybrid)" },
];

/**
 * ModeSwitch picks how the search finds documents: by words, by meaning or
 * both. The highlighted mode is the one searches run in (the backend's
 * default until one is chosen); beside it, search by meaning's state and
 * the background embedding's progress.
 */
export function ModeSwitch({
  chosen,
  effective,
  embed,
  onChange,
}: {
  chosen: SearchMode;
  effective: Exclude<SearchMode, "">;
  embed: EmbedStatus | null;
  onChange: (m: SearchMode) => void;
}) {
  return (
    <div class="mode-bar">
      <div class="mode-switch" role="radiogroup" aria-label="Search mode">
        {MODES.map((m) => (
          <button
            type="button"
            key={m.mode}
            role="radio"
            aria-checked={effective === m.mode}
            data-mode={m.mode}
            class={effective === m.mode ? "mode-option mode-on" : "mode-option"}
            title={m.title}
            onClick={() => onChange(m.mode)}
          >
            {m.label}
          </button>
        ))}
      </div>
      {chosen === "" && <span class="mode-default">default</span>}
      <span class={`embed-status embed-${embed?.state ?? "off"}`} data-state={embed?.state ?? "off"}>
        {embedSummary(embed)}
      </span>
    </div>
  );
}

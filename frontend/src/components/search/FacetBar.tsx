import type { Facet } from "../../api";
import { facetFilter, hasFilter, toggleFilter } from "../../lib/query";

const LABELS: Record<string, string> = { source: "Source", person: "People", year: "Year" };
const ORDER = ["source", "person", "year"];

/** FacetBar shows the result's facets; a click adds (or removes) the filter. */
export function FacetBar({
  facets,
  query,
  onToggle,
}: {
  facets: Record<string, Facet[]>;
  query: string;
  onToggle: (q: string) => void;
}) {
  const names = ORDER.filter((n) => (facets[n]?.length ?? 0) > 0);
  if (names.length === 0) return null;
  return (
    <div class="facets" aria-label="Filters">
      {names.map((name) => (
        <div class="facet-group" key={name} data-facet={name}>
          <span class="facet-label">{LABELS[name] ?? name}</span>
          {facets[name]!.slice(0, name === "year" ? 8 : 6).map((f) => {
            const filter = facetFilter(name, f.value);
            const on = hasFilter(query, filter);
            return (
              <button
                type="button"
                key={f.value}
                class={on ? "facet facet-on" : "facet"}
                aria-pressed={on}
                onClick={() => onToggle(toggleFilter(query, filter))}
              >
                {f.value} <span class="facet-count">{f.count}</span>
              </button>
            );
          })}
        </div>
      ))}
    </div>
  );
}

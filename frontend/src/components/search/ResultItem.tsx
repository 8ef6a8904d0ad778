import type { SearchHit } from "../../api";
import { formatDate } from "../../lib/format";
import { Snippet } from "./Snippet";
import { SourceBadge } from "./SourceBadge";

interface Props {
  hit: SearchHit;
  index: number;
  selected: boolean;
  onOpen: (index: number) => void;
}

/** ResultItem is one hit in the result list. */
export function ResultItem({ hit, index, selected, onOpen }: Props) {
  const date = formatDate(hit.date);
  return (
    <li
      id={`hit-${index}`}
      role="option"
      aria-selected={selected}
      class={selected ? "hit hit-selected" : "hit"}
      onMouseDown={(e) => e.preventDefault() /* keep focus in the search box */}
      onClick={() => onOpen(index)}
    >
      <div class="hit-head">
        <SourceBadge source={hit.source} />
        <span class="hit-title">{hit.title || hit.path || "Untitled"}</span>
        {date && <time class="hit-date" dateTime={hit.date}>{date}</time>}
      </div>
      {hit.from && (
        <div class="hit-from">
          From {hit.from}
          {hit.to && hit.to.length > 0 && <> to {hit.to.slice(0, 3).join(", ")}{hit.to.length > 3 ? ` and ${hit.to.length - 3} more` : ""}</>}
        </div>
      )}
      {hit.semantic && <span class="hit-meaning" title="Found by meaning, not by its words">by meaning</span>}
      {hit.snippet && <Snippet class="hit-snippet" html={hit.snippet} />}
      {hit.path && <div class="hit-path">{hit.path}</div>}
    </li>
  );
}

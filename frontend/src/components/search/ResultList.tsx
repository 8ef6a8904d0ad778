import { useEffect, useRef } from "preact/hooks";
import type { SearchHit } from "../../api";
import { ResultItem } from "./ResultItem";

interface Props {
  hits: SearchHit[];
  selected: number;
  onOpen: (index: number) => void;
}

/** ResultList lists hits and keeps the selected one scrolled into view. */
export function ResultList({ hits, selected, onOpen }: Props) {
  const ref = useRef<HTMLUListElement>(null);
  useEffect(() => {
    ref.current?.querySelector(`#hit-${selected}`)?.scrollIntoView({ block: "nearest" });
  }, [selected]);
  return (
    <ul ref={ref} id="results" class="hits" role="listbox" aria-label="Search results">
      {hits.map((h, i) => (
        <ResultItem key={h.id} hit={h} index={i} selected={i === selected} onOpen={onOpen} />
      ))}
    </ul>
  );
}

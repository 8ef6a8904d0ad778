import type { Ref } from "preact";
import { Kbd } from "../common/Kbd";

interface Props {
  value: string;
  busy: boolean;
  activeIndex: number;
  inputRef: Ref<HTMLInputElement>;
  onInput: (q: string) => void;
  onKeyDown: (e: KeyboardEvent) => void;
}

/** SearchBox is the query field; the view owns its keyboard handling. */
export function SearchBox({ value, busy, activeIndex, inputRef, onInput, onKeyDown }: Props) {
  return (
    <div class={busy ? "searchbox searchbox-busy" : "searchbox"}>
      <svg class="searchbox-icon" viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="8.5" cy="8.5" r="5.5" fill="none" stroke="currentColor" stroke-width="1.8" />
        <path d="M13 13l4.5 4.5" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" />
      </svg>
      <input
        ref={inputRef}
        class="searchbox-input"
        type="search"
        placeholder="Search mail, notes and documents"
        aria-label="Search"
        role="combobox"
        aria-controls="results"
        aria-expanded={activeIndex >= 0}
        aria-activedescendant={activeIndex >= 0 ? `hit-${activeIndex}` : undefined}
        autoFocus
        spellcheck={false}
        autoComplete="off"
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={onKeyDown}
      />
      <span class="searchbox-hint" aria-hidden="true" title="Press / to search from anywhere">
        <Kbd>/</Kbd>
      </span>
    </div>
  );
}

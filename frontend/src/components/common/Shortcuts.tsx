import { Fragment } from "preact";
import { SHORTCUTS } from "../../stores/nav";
import { isMac, Kbd } from "./Kbd";

/** keyLabel is how a key of SHORTCUTS reads on this platform. */
export function keyLabel(k: string): string {
  if (k === "Mod") return isMac ? "⌘" : "Ctrl";
  if (k === "Alt" && isMac) return "⌘";
  return k;
}

/** Shortcuts lists the keyboard shortcuts that work here (SHORTCUTS), as keys and what they do. */
export function Shortcuts({ desktop, class: cls = "state-keys" }: { desktop: boolean; class?: string }) {
  const list = SHORTCUTS.filter((s) => desktop || !s.desktopOnly);
  return (
    <p class={cls}>
      {list.map((s, i) => (
        <Fragment key={s.what}>
          {i > 0 && " · "}
          <span class="shortcut">
            {s.keys.map((k) => (
              <Kbd key={k}>{keyLabel(k)}</Kbd>
            ))}{" "}
            {s.what}
          </span>
        </Fragment>
      ))}
    </p>
  );
}

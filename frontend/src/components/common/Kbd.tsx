import type { ComponentChildren } from "preact";

/** isMac tells whether shortcuts read ⌘ rather than Ctrl. */
export const isMac = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/** Kbd shows a key or shortcut. */
export function Kbd({ children }: { children: ComponentChildren }) {
  return <kbd class="kbd">{children}</kbd>;
}

/** ModKey is the platform's shortcut modifier: ⌘ on macOS, Ctrl elsewhere. */
export function ModKey() {
  return <Kbd>{isMac ? "⌘" : "Ctrl"}</Kbd>;
}

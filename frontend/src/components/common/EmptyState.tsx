import type { ComponentChildren } from "preact";

/** EmptyState fills a pane that has nothing to show, and says what to do. */
export function EmptyState({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="state">
      <h2 class="state-title">{title}</h2>
      {children && <div class="state-body">{children}</div>}
    </div>
  );
}

/** A debounced function, with a way to drop or run the pending call. */
export interface Debounced<A extends unknown[]> {
  (...args: A): void;
  /** cancel drops the pending call, if any. */
  cancel(): void;
  /** flush runs the pending call now, if any. */
  flush(): void;
}

/**
 * debounce returns fn delayed until wait ms have passed without another
 * call; the last call's arguments win.
 */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, wait: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let pending: A | undefined;
  const run = () => {
    timer = undefined;
    const args = pending;
    pending = undefined;
    if (args) fn(...args);
  };
  const d = ((...args: A) => {
    pending = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(run, wait);
  }) as Debounced<A>;
  d.cancel = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  d.flush = () => {
    if (timer !== undefined) clearTimeout(timer);
    run();
  };
  return d;
}

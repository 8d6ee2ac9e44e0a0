/**
 * Resolves at `at` (performance.now() ms) as precisely as the event loop allows: a timer for the
 * bulk of the wait, then immediate callbacks for the last millisecond (timers alone are late by
 * about a millisecond, which would show as schedule lag). Resolves early when `signal` aborts.
 */
export function waitUntil(at: number, signal?: AbortSignal): Promise<void> {
  const remaining = at - performance.now();
  if (remaining <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const done = () => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const spin = () => {
      timer = undefined;
      if (performance.now() >= at || signal?.aborted) done();
      else setImmediate(spin);
    };
    // An abort (Ctrl-C) ends a long wait at once: a sparse trace may wait minutes for its next statement.
    signal?.addEventListener('abort', done, { once: true });
    if (remaining > 2) timer = setTimeout(spin, remaining - 1.5);
    else setImmediate(spin);
  });
}

/**
 * Resolves at `at` (performance.now() ms) as precisely as the event loop allows: a timer for the
 * bulk of the wait, then immediate callbacks for the last millisecond (timers alone are late by
 * about a millisecond, which would show as schedule lag).
 */
export function waitUntil(at: number): Promise<void> {
  const remaining = at - performance.now();
  if (remaining <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const spin = () => {
      if (performance.now() >= at) resolve();
      else setImmediate(spin);
    };
    if (remaining > 2) setTimeout(spin, remaining - 1.5);
    else setImmediate(spin);
  });
}

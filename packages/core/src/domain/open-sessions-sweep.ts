/**
 * Sweeps sessions' spans [first, lastEnd] in time order over [from, to], split into `slices`
 * equal slices: `visit` hears, for every stretch of time with the same number of sessions open,
 * the slice it lies in, that number and its length (µs). Ends after `to` are cut there.
 */
export function sweepOpenSessions(
  spans: readonly { readonly first: number; readonly lastEnd: number }[],
  from: number,
  to: number,
  slices: number,
  visit: (slice: number, open: number, us: number) => void,
): void {
  const span = Math.max(1, to - from);
  const changes: number[] = []; // time × 2 + (0 end | 1 start): ends first at equal times
  for (const s of spans) changes.push(s.first * 2 + 1, Math.max(s.first, s.lastEnd) * 2);
  changes.sort((a, b) => a - b);
  const width = span / slices;
  let open = 0;
  let at = from;
  const spend = (until: number) => {
    while (at < until) {
      let k = Math.min(slices - 1, Math.floor((at - from) / width));
      // (A boundary computed in floating point may land on `at` itself: the next slice then.)
      if (k < slices - 1 && from + (k + 1) * width <= at) k++;
      const upTo = k === slices - 1 ? until : Math.min(until, from + (k + 1) * width);
      visit(k, open, upTo - at);
      at = upTo;
    }
  };
  for (const change of changes) {
    spend(Math.min(from + span, Math.floor(change / 2)));
    open += change % 2 === 1 ? 1 : -1;
  }
  spend(from + span);
}

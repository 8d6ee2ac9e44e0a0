/** The widest edge of a trace within which a session counts as cut by it. */
const EDGE_US = 1_000_000;

/**
 * How close to an edge of a trace [from, to] a session's first (last) statement must be for the
 * session to count as cut by that edge: the clock's resolution, or the trace's first (last) 1%
 * (at most a second: clients still connecting, or leaving as the log was cut).
 */
export function edgeSlack(from: number, to: number, resolutionUs: number): number {
  return Math.max(resolutionUs, Math.min(EDGE_US, (to - from) / 100));
}

/**
 * Whether the trace's edges cut a session: it may have been open before the trace began (its first
 * statement is no further from the start than `slack` or its own longest silence) or gone on after
 * it ended (likewise for its last statement's end) — censored, not short.
 */
export function cutByEdges(
  session: { readonly first: number; readonly lastEnd: number; readonly maxGap: number },
  from: number,
  to: number,
  slack: number,
): { readonly atStart: boolean; readonly atEnd: boolean } {
  const s = Math.max(slack, session.maxGap);
  return { atStart: session.first - from <= s, atEnd: to - session.lastEnd <= s };
}

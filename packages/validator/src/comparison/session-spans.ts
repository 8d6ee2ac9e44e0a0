import { cutByEdges, edgeSlack, sweepOpenSessions } from '@sqltrace/core';

/** One session's span in a trace: its first statement's start and its last statement's end (µs). */
export interface SessionSpanSample {
  readonly first: number;
  readonly lastEnd: number;
  /** Its longest silence between two statements (µs). */
  readonly maxGap: number;
}

/** The number of open sessions over a trace: a curve over its span and the share of time at each level. */
export interface ConcurrencyProfile {
  /** Time-averaged open sessions in each of {@link CONCURRENCY_BINS} equal slices of the span. */
  readonly curve: readonly number[];
  /** level → share of the span's time with that many sessions open. */
  readonly levels: ReadonlyMap<number, number>;
  readonly mean: number;
}

/** A session lifetime, and whether the log's edges cut it (then it is only known to be at least this long). */
export interface Lifetime {
  readonly us: number;
  readonly censored: boolean;
}

export const CONCURRENCY_BINS = 20;

/** Open sessions over [from, to] (later ends are cut at `to`). */
export function concurrencyProfile(spans: readonly SessionSpanSample[], from: number, to: number): ConcurrencyProfile {
  const span = Math.max(1, to - from);
  const binUs = span / CONCURRENCY_BINS;
  const curve = new Array<number>(CONCURRENCY_BINS).fill(0);
  const levels = new Map<number, number>();
  sweepOpenSessions(spans, from, to, CONCURRENCY_BINS, (bin, open, us) => {
    curve[bin]! += (open * us) / binUs;
    levels.set(open, (levels.get(open) ?? 0) + us);
  });
  let mean = 0;
  for (const [level, time] of levels) {
    levels.set(level, time / span);
    mean += (level * time) / span;
  }
  return { curve, levels, mean };
}

/**
 * Wall-clock lifetimes, each marked censored when the trace's edges cut the session (see core's
 * `cutByEdges`): it is then only known to live at least as long as seen.
 */
export function lifetimes(spans: readonly SessionSpanSample[], from: number, to: number, resolutionUs: number): Lifetime[] {
  const slack = edgeSlack(from, to, resolutionUs);
  return spans.map((s) => {
    const cut = cutByEdges(s, from, to, slack);
    return { us: Math.max(0, s.lastEnd - s.first), censored: cut.atStart || cut.atEnd };
  });
}

/** The Kaplan–Meier survival curve: at each distinct ended lifetime t, the share of sessions expected to live longer. */
export function kaplanMeier(sample: readonly Lifetime[]): { readonly times: number[]; readonly survival: number[] } {
  const sorted = [...sample].sort((a, b) => a.us - b.us || Number(a.censored) - Number(b.censored));
  const times: number[] = [];
  const survival: number[] = [];
  let atRisk = sorted.length;
  let s = 1;
  for (let i = 0; i < sorted.length;) {
    const t = sorted[i]!.us;
    let ended = 0,
      leaving = 0;
    for (; i < sorted.length && sorted[i]!.us === t; i++, leaving++) if (!sorted[i]!.censored) ended++;
    if (ended > 0) {
      s *= 1 - ended / atRisk;
      times.push(t);
      survival.push(s);
    }
    atRisk -= leaving;
  }
  return { times, survival };
}

/** S(t) of a Kaplan–Meier curve. */
export function survivalAt(curve: { readonly times: readonly number[]; readonly survival: readonly number[] }, t: number): number {
  let lo = 0,
    hi = curve.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (curve.times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 1 : curve.survival[lo - 1]!;
}

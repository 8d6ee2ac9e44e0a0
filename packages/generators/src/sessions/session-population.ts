import { sweepOpenSessions, type Prng } from '@sqltrace/core';
import { EmpiricalDistribution, type EmpiricalDistributionJson } from '../distributions/empirical-distribution';

/**
 * The population of sessions over a trace, beyond arrivals: the sessions already open when the
 * log began (left-censored), those still open when it ended (right-censored), and clients that
 * open their next session as soon as one ends (a closed loop: pgbench -C, a worker pool that
 * reconnects), whose sessions are not a stream of independent arrivals.
 */
export interface SessionPopulationJson {
  /** µs from the trace's start at which each session open at the start ran its first statement (at most {@link MAX_INITIAL}, evenly sampled). */
  readonly initialOffsets: readonly number[];
  /** How many sessions were open at the start (may exceed the offsets kept). */
  readonly initialCount: number;
  /** Sessions still open at the end of the trace. */
  readonly censoredAtEnd: number;
  /**
   * The closed loop, when the trace has one: the share of session ends followed by the client's
   * next session, and the time from the end to that session's first statement.
   */
  readonly reconnect?: { readonly probability: number; readonly delays: EmpiricalDistributionJson };
}

/** Offsets of sessions open at the start kept in a model (beyond this, an even sample). */
const MAX_INITIAL = 10_000;
/**
 * A population whose number of open sessions varies less than this share of its mean is a closed
 * loop (independent arrivals give a Poisson count: variance = mean; a fixed set of clients that
 * reconnect keeps it near their number).
 */
const CLOSED_LOOP_DISPERSION = 0.8;

/** One session as the population sees it. */
export interface SessionSpan {
  readonly first: number;
  readonly lastEnd: number;
  /** Its first statement came so early that it may have been open before the trace began. */
  readonly openAtStart: boolean;
  /** It was still open when the trace ended. */
  readonly openAtEnd: boolean;
}

export interface LearnedPopulation {
  readonly json: SessionPopulationJson;
  /** Indexes of the spans that arrived on their own (not open at the start, not a reconnect): the arrival curve's. */
  readonly arrivals: readonly number[];
}

/** Learns the population from every session's span over the trace [from, to] (µs). */
export function buildSessionPopulation(spans: readonly SessionSpan[], from: number, to: number, resolutionUs = 1): LearnedPopulation {
  const reconnects = closedLoop(spans, from, to) ? matchReconnects(spans, resolutionUs) : undefined;
  const initialOffsets: number[] = [];
  const arrivals: number[] = [];
  let censoredAtEnd = 0;
  spans.forEach((s, i) => {
    if (s.openAtEnd) censoredAtEnd++;
    if (reconnects?.sessions.has(i)) return;
    if (s.openAtStart) initialOffsets.push(s.first - from);
    else arrivals.push(i);
  });
  initialOffsets.sort((a, b) => a - b);
  const step = Math.max(1, initialOffsets.length / MAX_INITIAL);
  const kept: number[] = [];
  for (let k = 0; k * step < initialOffsets.length && k < MAX_INITIAL; k++) kept.push(initialOffsets[Math.floor(k * step)]!);
  const json: SessionPopulationJson = {
    initialOffsets: kept,
    initialCount: initialOffsets.length,
    censoredAtEnd,
    ...(reconnects !== undefined ? { reconnect: { probability: reconnects.probability, delays: reconnects.delays.toJSON(101) } } : {}),
  };
  return { json, arrivals };
}

/** Slices of the trace in which the count of open sessions is judged (a workload may change its number of clients). */
const DISPERSION_SLICES = 20;

/**
 * Whether the time-weighted count of open sessions is underdispersed within slices of the trace
 * (pooled: Σ variance / Σ mean): a fixed set of clients, however many there are at each stage.
 */
function closedLoop(spans: readonly SessionSpan[], from: number, to: number): boolean {
  const time = new Float64Array(DISPERSION_SLICES), sum = new Float64Array(DISPERSION_SLICES), squares = new Float64Array(DISPERSION_SLICES);
  sweepOpenSessions(spans, from, to, DISPERSION_SLICES, (k, open, us) => {
    time[k] += us;
    sum[k] += open * us;
    squares[k] += open * open * us;
  });
  let variance = 0, mean = 0;
  for (let k = 0; k < DISPERSION_SLICES; k++) {
    if (!(time[k]! > 0)) continue;
    const m = sum[k]! / time[k]!;
    mean += m;
    variance += Math.max(0, squares[k]! / time[k]! - m * m);
  }
  return mean > 0 && variance < CLOSED_LOOP_DISPERSION * mean;
}

/**
 * Each session end is followed by a client's next session, matched first in, first out (the end
 * waiting longest goes with the next session to start). Sessions open at the start are never a
 * reconnect until some session has ended. Every end seen counts here, near the trace's edge too
 * (its client's next session is in the log); an end after the last start could not be followed
 * by one in the log, so it does not count against the reconnect probability.
 */
function matchReconnects(spans: readonly SessionSpan[], resolutionUs: number): { sessions: Set<number>; probability: number; delays: EmpiricalDistribution } | undefined {
  const times: number[] = []; // time × 2 + (0 end | 1 start)
  const index: number[] = [];
  let lastStart = -Infinity;
  spans.forEach((s, i) => {
    times.push(s.first * 2 + 1);
    index.push(i);
    // On a coarse clock the next session's first statement may show up to a tick before the
    // last one ended: an end is matched as if it came a tick earlier.
    times.push(Math.max(s.first - resolutionUs, s.lastEnd - resolutionUs) * 2);
    index.push(i);
    if (s.first > lastStart) lastStart = s.first;
  });
  const byTime = times.map((_, k) => k).sort((a, b) => times[a]! - times[b]! || index[a]! - index[b]!);
  const waiting: number[] = []; // end times, oldest first
  let head = 0;
  let longest = 0;
  const sessions = new Set<number>();
  const delays = new EmpiricalDistribution({ capacity: 5_000, seed: 'reconnect' });
  for (const k of byTime) {
    const t = Math.floor(times[k]! / 2);
    if (times[k]! % 2 === 0) {
      waiting.push(t);
    } else if (head < waiting.length) {
      const delay = t - waiting[head++]!;
      if (delay > longest) longest = delay;
      delays.add(Math.max(0, delay - resolutionUs));
      sessions.add(index[k]!);
    }
  }
  if (sessions.size === 0) return undefined;
  // Every end the log went on long enough to follow (by the longest delay seen) counts: a start
  // that found no end waiting is a client joining, and joins are balanced by ends that go
  // unfollowed at the same rate — else each join would add a client for good.
  let followable = 0;
  for (const t of waiting) if (t < lastStart - longest) followable++;
  return { sessions, probability: Math.min(1, sessions.size / Math.max(1, followable)), delays };
}

/** Reconnects during synthesis: which session ends are followed by a new session, and when. */
export class ReconnectModel {
  readonly #probability: number;
  readonly #delays: EmpiricalDistribution;
  readonly #speed: number;
  #phase = -1;

  constructor(json: NonNullable<SessionPopulationJson['reconnect']>, speed: number) {
    if (!(json.probability >= 0 && json.probability <= 1)) throw new RangeError('the reconnect probability is not in [0, 1]');
    this.#probability = json.probability;
    this.#delays = EmpiricalDistribution.fromJSON(json.delays);
    this.#speed = speed;
  }

  /**
   * When a session ends at `at`: the time its client opens the next one, or undefined when none
   * follows. Systematic sampling: the share of ends reconnected is kept to within one.
   */
  after(at: number, prng: Prng): number | undefined {
    if (this.#phase < 0) this.#phase = prng.next();
    this.#phase += this.#probability;
    if (this.#phase < 1) return undefined;
    this.#phase -= 1;
    return at + Math.max(0, this.#delays.sample(prng)) / this.#speed;
  }
}

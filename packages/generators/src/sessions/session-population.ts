import type { Prng } from '@sqltrace/core';
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
export const MAX_INITIAL = 10_000;
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
export function buildSessionPopulation(spans: readonly SessionSpan[], from: number, to: number): LearnedPopulation {
  const reconnects = closedLoop(spans, from, to) ? matchReconnects(spans) : undefined;
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

/** Whether the time-weighted count of open sessions is underdispersed: a fixed set of clients. */
function closedLoop(spans: readonly SessionSpan[], from: number, to: number): boolean {
  const changes: number[] = [];
  for (const s of spans) changes.push(s.first * 2 + 1, Math.max(s.first, s.lastEnd) * 2);
  changes.sort((a, b) => a - b);
  let open = 0, at = from, total = 0, sum = 0, squares = 0;
  for (const change of changes) {
    const t = Math.floor(change / 2);
    if (t > at) {
      total += t - at;
      sum += open * (t - at);
      squares += open * open * (t - at);
      at = t;
    }
    open += change % 2 === 1 ? 1 : -1;
  }
  if (to > at) total += to - at;
  if (total <= 0) return false;
  const mean = sum / total;
  return mean > 0 && squares / total - mean * mean < CLOSED_LOOP_DISPERSION * mean;
}

/**
 * Each session end is followed by a client's next session, matched first in, first out (the end
 * waiting longest goes with the next session to start). Sessions open at the start are never a
 * reconnect until some session has ended; an end at the trace's edge is no end.
 */
function matchReconnects(spans: readonly SessionSpan[]): { sessions: Set<number>; probability: number; delays: EmpiricalDistribution } | undefined {
  const times: number[] = []; // time × 2 + (0 end | 1 start)
  const index: number[] = [];
  spans.forEach((s, i) => {
    times.push(s.first * 2 + 1);
    index.push(i);
    if (!s.openAtEnd) {
      times.push(Math.max(s.first, s.lastEnd) * 2);
      index.push(i);
    }
  });
  const byTime = times.map((_, k) => k).sort((a, b) => times[a]! - times[b]! || index[a]! - index[b]!);
  const waiting: number[] = []; // end times, oldest first
  let head = 0;
  let ends = 0;
  const sessions = new Set<number>();
  const delays = new EmpiricalDistribution({ capacity: 5_000, seed: 'reconnect' });
  for (const k of byTime) {
    const t = Math.floor(times[k]! / 2);
    if (times[k]! % 2 === 0) {
      waiting.push(t);
      ends++;
    } else if (head < waiting.length) {
      delays.add(t - waiting[head++]!);
      sessions.add(index[k]!);
    }
  }
  if (ends === 0 || sessions.size === 0) return undefined;
  return { sessions, probability: Math.min(1, sessions.size / ends), delays };
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

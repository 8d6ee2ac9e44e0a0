import { Prng, sweepOpenSessions } from '@sqltrace/core';
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
  readonly reconnect?: {
    readonly probability: number;
    readonly delays: EmpiricalDistributionJson;
    /**
     * When the clients reconnect through a few connectors that open one connection at a time —
     * pgbench -C's threads, a pool that connects serially — their number and the time a
     * connection takes; a reconnect waits for a free connector. Independent delays let every
     * client reconnect at once: the number of open sessions spread as independent clients'
     * (TVD 0.15 from the log's) and sessions started in bunches. Absent in models written before
     * and when the log's reconnects do not queue.
     */
    readonly connectors?: ConnectorsJson;
  };
}

/** Connectors that open one connection at a time, and the time a connection takes (µs). */
export interface ConnectorsJson {
  readonly count: number;
  readonly connectTimes: EmpiricalDistributionJson;
}

/** Offsets of sessions open at the start kept in a model (beyond this, an even sample). */
const MAX_INITIAL = 10_000;
/**
 * A population whose number of open sessions varies less than this share of its mean is a closed
 * loop (independent arrivals give a Poisson count: variance = mean; a fixed set of clients that
 * reconnect keeps it near their number).
 */
const CLOSED_LOOP_DISPERSION = 0.8;
/** Connectors tried, and the reconnects needed to judge them. */
const MAX_CONNECTORS = 32;
const MIN_RECONNECTS_FOR_CONNECTORS = 100;
/**
 * Connectors are modelled when the closed loop they imply comes this much closer to the log's
 * (gaps between starts, mean delay) than plain delays do.
 */
const CONNECTOR_GAIN = 0.85;
/** Reconnects replayed to judge the connectors (the first ones, in order). */
const MAX_RECONNECTS_JUDGED = 50_000;
/** Clients in the closed loop run to judge them (a larger pool is judged as this many). */
const MAX_CLIENTS_SIMULATED = 512;

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
    ...(reconnects !== undefined ? { reconnect: reconnectJson(reconnects, spans, resolutionUs) } : {}),
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
  const time = new Float64Array(DISPERSION_SLICES),
    sum = new Float64Array(DISPERSION_SLICES),
    squares = new Float64Array(DISPERSION_SLICES);
  sweepOpenSessions(spans, from, to, DISPERSION_SLICES, (k, open, us) => {
    time[k]! += us;
    sum[k]! += open * us;
    squares[k]! += open * open * us;
  });
  let variance = 0,
    mean = 0;
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
interface MatchedReconnects {
  readonly sessions: Set<number>;
  readonly probability: number;
  readonly delays: EmpiricalDistribution;
  /** Each reconnect's end and its next session's start, in the order of the starts (on a coarse clock the start may show before the end). */
  readonly ends: readonly number[];
  readonly starts: readonly number[];
}

function reconnectJson(r: MatchedReconnects, spans: readonly SessionSpan[], resolutionUs: number): NonNullable<SessionPopulationJson['reconnect']> {
  const lifetimes = new EmpiricalDistribution({ capacity: 5_000, seed: 'lifetimes' });
  let sum = 0;
  for (const i of r.sessions) {
    if (spans[i]!.openAtEnd) continue;
    lifetimes.add(spans[i]!.lastEnd - spans[i]!.first);
    sum += spans[i]!.lastEnd - spans[i]!.first;
  }
  const connectors = lifetimes.count > 0 ? fitConnectors(r, lifetimes, sum / lifetimes.count, resolutionUs) : undefined;
  return { probability: r.probability, delays: r.delays.toJSON(101), ...(connectors !== undefined ? { connectors } : {}) };
}

/**
 * Reconnects served first come, first served by c connectors, each opening one connection at a
 * time: reconnect i's connection starts when its session has ended and a connector is free —
 * the one that finished earliest, when reconnect i − c's session started — so it took
 * start[i] − max(end[i], start[i − c]). Each c, and plain delays (no connectors), is judged by
 * running the closed loop it implies — the log's number of clients, each holding a session as
 * long as the log's did, then reconnecting — and comparing with the log the gaps between starts
 * (Kolmogorov–Smirnov distance; the simulated starts read on the log's clock) and the mean
 * delay from an end to the next start (relative error), summed.
 * The best c is kept when it beats plain delays clearly. Connectors space the starts (fast
 * connections that queue briefly keep them apart although their times vary as the plain delays
 * do); too few make clients wait, and fewer sessions are open than in the log.
 */
function fitConnectors(r: MatchedReconnects, lifetimes: EmpiricalDistribution, meanLifetime: number, resolutionUs: number): ConnectorsJson | undefined {
  if (r.starts.length < MIN_RECONNECTS_FOR_CONNECTORS) return undefined;
  const ends = r.ends.slice(0, MAX_RECONNECTS_JUDGED),
    starts = r.starts.slice(0, MAX_RECONNECTS_JUDGED);
  const n = starts.length;
  const observedGaps = gaps(starts);
  let delaySum = 0;
  for (let i = 0; i < n; i++) delaySum += Math.max(0, starts[i]! - ends[i]!);
  // Little's law: clients = cycles a second × (a session's lifetime + the delay to the next).
  const span = starts[n - 1]! - starts[0]!;
  if (!(span > 0)) return undefined;
  const clients = Math.min(MAX_CLIENTS_SIMULATED, Math.max(1, Math.round(((n - 1) / span) * (meanLifetime + delaySum / n))));
  const distance = (count: number, times: EmpiricalDistribution) => {
    const prng = new Prng('connectors');
    const free = new Array<number>(count).fill(-Infinity);
    const cycle = meanLifetime + delaySum / n;
    const requests = Array.from({ length: clients }, () => prng.next() * cycle);
    const simulated = new Float64Array(n);
    let simulatedDelay = 0;
    for (let i = 0; i < n; i++) {
      let client = 0;
      for (let c = 1; c < clients; c++) if (requests[c]! < requests[client]!) client = c;
      const at = requests[client]!;
      let start: number;
      if (count === 0) {
        start = at + Math.max(0, times.sample(prng));
      } else {
        let first = 0;
        for (let c = 1; c < count; c++) if (free[c]! < free[first]!) first = c;
        start = free[first] = Math.max(at, free[first]!) + Math.max(0, times.sample(prng));
      }
      // Seen through the log's clock: starts in one tick show no gap (a millisecond clock shows
      // a quarter of a busy pool's gaps as 0, which only a connector that takes no time matched).
      simulated[i] = resolutionUs > 1 ? Math.floor(start / resolutionUs) * resolutionUs : start;
      simulatedDelay += start - at;
      requests[client] = start + Math.max(0, lifetimes.sample(prng));
    }
    return ksDistance(observedGaps, gaps(simulated)) + Math.abs(simulatedDelay / delaySum - 1);
  };
  const most = Math.min(MAX_CONNECTORS, Math.floor(n / 10));
  let best: ConnectorsJson | undefined;
  // Plain delays as generation draws them without connectors.
  let bestDistance = CONNECTOR_GAIN * distance(0, r.delays);
  for (let count = 1; count <= most; count++) {
    const times = new EmpiricalDistribution({ capacity: 5_000, seed: 'connect' });
    for (let i = count; i < n; i++) times.add(Math.max(0, starts[i]! - Math.max(ends[i]!, starts[i - count]!)));
    const d = distance(count, times);
    if (d < bestDistance) [best, bestDistance] = [{ count, connectTimes: times.toJSON(101) }, d];
  }
  return best;
}

/** The gaps between consecutive times, once sorted, themselves sorted. */
function gaps(times: ArrayLike<number>): Float64Array {
  const sorted = Float64Array.from(times).sort();
  const out = new Float64Array(Math.max(0, sorted.length - 1));
  for (let i = 1; i < sorted.length; i++) out[i - 1] = sorted[i]! - sorted[i - 1]!;
  return out.sort();
}

/** The Kolmogorov–Smirnov distance between two sorted samples. */
function ksDistance(a: Float64Array, b: Float64Array): number {
  let i = 0,
    j = 0,
    most = 0;
  while (i < a.length && j < b.length) {
    const v = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= v) i++;
    while (j < b.length && b[j]! <= v) j++;
    most = Math.max(most, Math.abs(i / a.length - j / b.length));
  }
  return most;
}

function matchReconnects(spans: readonly SessionSpan[], resolutionUs: number): MatchedReconnects | undefined {
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
  const ends: number[] = [],
    starts: number[] = [];
  for (const k of byTime) {
    const t = Math.floor(times[k]! / 2);
    if (times[k]! % 2 === 0) {
      waiting.push(t);
    } else if (head < waiting.length) {
      const delay = t - waiting[head]!;
      if (delay > longest) longest = delay;
      delays.add(Math.max(0, delay - resolutionUs));
      ends.push(waiting[head++]! + resolutionUs); // the end itself, not the tick before
      starts.push(t);
      sessions.add(index[k]!);
    }
  }
  if (sessions.size === 0) return undefined;
  // Every end the log went on long enough to follow (by the longest delay seen) counts: a start
  // that found no end waiting is a client joining, and joins are balanced by ends that go
  // unfollowed at the same rate — else each join would add a client for good.
  let followable = 0;
  for (const t of waiting) if (t < lastStart - longest) followable++;
  return { sessions, probability: Math.min(1, sessions.size / Math.max(1, followable)), delays, ends, starts };
}

/** Reconnects during synthesis: which session ends are followed by a new session, and when. */
export class ReconnectModel {
  readonly #probability: number;
  readonly #delays: EmpiricalDistribution;
  readonly #connectTimes: EmpiricalDistribution | undefined;
  /** When each connector is next free (µs), for a model with connectors. */
  readonly #free: number[];
  readonly #speed: number;
  #phase = -1;

  constructor(json: NonNullable<SessionPopulationJson['reconnect']>, speed: number) {
    if (!(json.probability >= 0 && json.probability <= 1)) throw new RangeError('the reconnect probability is not in [0, 1]');
    const connectors = json.connectors;
    if (connectors !== undefined && !(Number.isInteger(connectors?.count) && connectors.count >= 1 && connectors.count <= MAX_CONNECTORS)) {
      throw new RangeError(`the reconnects' connectors are not a count from 1 to ${MAX_CONNECTORS}`);
    }
    this.#probability = json.probability;
    this.#delays = EmpiricalDistribution.fromJSON(json.delays);
    this.#connectTimes = connectors !== undefined ? EmpiricalDistribution.fromJSON(connectors.connectTimes) : undefined;
    this.#free = new Array<number>(connectors?.count ?? 0).fill(-Infinity);
    this.#speed = speed;
  }

  /**
   * When a session ends at `at` (ends come in time order): the time its client opens the next
   * one, or undefined when none follows. Systematic sampling: the share of ends reconnected is
   * kept to within one. With connectors, the connection waits for the one free first.
   */
  after(at: number, prng: Prng): number | undefined {
    if (this.#phase < 0) this.#phase = prng.next();
    this.#phase += this.#probability;
    if (this.#phase < 1) return undefined;
    this.#phase -= 1;
    if (this.#connectTimes === undefined) return at + Math.max(0, this.#delays.sample(prng)) / this.#speed;
    let first = 0;
    for (let c = 1; c < this.#free.length; c++) if (this.#free[c]! < this.#free[first]!) first = c;
    const start = Math.max(at, this.#free[first]!) + Math.max(0, this.#connectTimes.sample(prng)) / this.#speed;
    this.#free[first] = start;
    return start;
  }
}

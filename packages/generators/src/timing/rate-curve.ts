import type { Prng } from '@sqltrace/core';

/** Session arrivals over the trace: counts per equal-width bin, so the rate keeps its ups and downs. */
export interface RateCurveJson {
  /** First arrival, µs since the epoch. */
  readonly start: number;
  /** Bin width in µs. */
  readonly binUs: number;
  readonly counts: readonly number[];
  /**
   * Arrivals per bin when the curve repeats (a run longer than the trace): the bin's arrivals but
   * those that stay — still open at the trace's end after outliving every session that ended,
   * so still open in the next round: a pool's or a benchmark's clients that connected at the
   * start join once, not every round (pgbench's 8 became 16, then 24). Absent: every arrival
   * repeats (models written before, and traces with no such arrival).
   */
  readonly repeats?: readonly number[];
}

/**
 * Builds a curve from session arrival times over the trace's time span [from, to] (µs). Bins:
 * about √n of them, which keeps enough arrivals per bin for a stable rate while following the
 * trace's shape, and no wider than a second when the span allows (capped at 1,440 bins): a
 * client that joined pgbench's five others 0.1 s into a 20 s log was otherwise its one arrival
 * in one 20 s bin, and joined the synthetic run anywhere in it. A trace of one instant gets one second.
 */
/** The narrowest bin: a clock's tick on a short trace (a start-up burst stays a burst). */
const FINEST_BIN_US = 10_000;

export function buildRateCurve(arrivals: readonly number[], from: number, to: number, stays?: readonly boolean[]): RateCurveJson {
  if (arrivals.length === 0) return { start: 0, binUs: 1_000_000, counts: [] };
  let start = from,
    end = to;
  for (const t of arrivals) {
    if (t < start) start = t;
    if (t > end) end = t;
  }
  if (end - start < 1_000) end = start + 1_000_000;
  const bins = Math.max(1, Math.min(1_440, Math.max(Math.round(Math.sqrt(arrivals.length)), Math.ceil((end - start) / FINEST_BIN_US))));
  const binUs = Math.ceil((end - start + 1) / bins);
  const counts = new Array<number>(bins).fill(0);
  const repeats = new Array<number>(bins).fill(0);
  let staying = 0;
  arrivals.forEach((t, i) => {
    const bin = Math.min(bins - 1, Math.floor((t - start) / binUs));
    counts[bin]!++;
    if (stays?.[i] === true) staying++;
    else repeats[bin]!++;
  });
  return staying > 0 ? { start, binUs, counts, repeats } : { start, binUs, counts };
}

/**
 * Arrival times from a curve: each bin gets the curve's count times `scale` sessions (fractions
 * carried to the next bin, so the total is exact), at uniformly random times within the bin, on a
 * time axis compressed by `speed`; the curve repeats (its {@link RateCurveJson.repeats}) when the run is longer than the trace. This
 * keeps the trace's ups and downs bin by bin, where a Poisson process would add noise of its own
 * (±√n a bin). Times are µs from the start.
 */
export class ArrivalProcess {
  readonly #expected: number[]; // arrivals per bin
  readonly #repeated: number[]; // in the rounds after the first
  readonly #repeats: boolean;
  readonly #binUs: number;
  readonly #prng: Prng;
  readonly #queue: number[] = [];
  #bin = 0;
  #carry: number;

  constructor(curve: RateCurveJson, scale: number, speed: number, prng: Prng) {
    this.#binUs = curve.binUs / speed;
    this.#expected = curve.counts.map((c) => c * scale);
    this.#repeated = (curve.repeats ?? curve.counts).map((c) => c * scale);
    this.#repeats = this.#repeated.some((e) => e > 0);
    if (!this.#expected.some((e) => e > 0)) throw new RangeError('the arrival curve has no arrivals');
    this.#prng = prng;
    this.#carry = prng.next(); // a random phase for the fractions
  }

  /** The next arrival, µs after the start (never decreasing); infinity once no more come (a curve that does not repeat). */
  next(): number {
    while (this.#queue.length === 0) {
      if (this.#bin >= this.#expected.length && !this.#repeats) return Number.POSITIVE_INFINITY;
      const round = this.#bin < this.#expected.length ? this.#expected : this.#repeated;
      const expected = round[this.#bin % round.length]!;
      this.#carry += expected;
      const count = Math.floor(this.#carry);
      this.#carry -= count;
      const start = this.#bin * this.#binUs;
      for (let i = 0; i < count; i++) this.#queue.push(start + this.#prng.next() * this.#binUs);
      this.#queue.sort((a, b) => b - a); // popped from the end: earliest last
      this.#bin++;
    }
    return this.#queue.pop()!;
  }
}

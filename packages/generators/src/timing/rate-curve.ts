import type { Prng } from '@sqltrace/core';

/** Session arrivals over the trace: counts per equal-width bin, so the rate keeps its ups and downs. */
export interface RateCurveJson {
  /** First arrival, µs since the epoch. */
  readonly start: number;
  /** Bin width in µs. */
  readonly binUs: number;
  readonly counts: readonly number[];
}

/**
 * Builds a curve from session arrival times over the trace's time span [from, to] (µs). Bins:
 * about √n of them (capped at 1,440), which keeps enough arrivals per bin for a stable rate while
 * following the trace's shape. A trace of one instant gets one second.
 */
export function buildRateCurve(arrivals: readonly number[], from: number, to: number): RateCurveJson {
  if (arrivals.length === 0) return { start: 0, binUs: 1_000_000, counts: [] };
  let start = from, end = to;
  for (const t of arrivals) {
    if (t < start) start = t;
    if (t > end) end = t;
  }
  if (end - start < 1_000) end = start + 1_000_000;
  const bins = Math.max(1, Math.min(1_440, Math.round(Math.sqrt(arrivals.length))));
  const binUs = Math.ceil((end - start + 1) / bins);
  const counts = new Array<number>(bins).fill(0);
  for (const t of arrivals) counts[Math.min(bins - 1, Math.floor((t - start) / binUs))]!++;
  return { start, binUs, counts };
}

/**
 * Arrival times from a curve, as a non-homogeneous Poisson process: the curve's rate times
 * `scale`, on a time axis compressed by `speed`, repeating the curve when the run is longer than
 * the trace. Times are µs from the start.
 */
export class ArrivalProcess {
  readonly #rates: number[]; // arrivals per µs, per bin
  readonly #binUs: number;
  readonly #prng: Prng;
  #t = 0;

  constructor(curve: RateCurveJson, scale: number, speed: number, prng: Prng) {
    this.#binUs = curve.binUs / speed;
    this.#rates = curve.counts.map((c) => (c * scale) / this.#binUs);
    if (!this.#rates.some((r) => r > 0)) throw new RangeError('the arrival curve has no arrivals');
    this.#prng = prng;
  }

  /** The next arrival, µs after the start (strictly increasing). */
  next(): number {
    // Walk the piecewise-constant rate until a unit-exponential amount of intensity is spent.
    let need = this.#prng.exponential(1);
    const cycle = this.#rates.length * this.#binUs;
    for (;;) {
      const within = this.#t % cycle;
      const bin = Math.min(this.#rates.length - 1, Math.floor(within / this.#binUs));
      // (Never behind the clock, whatever the floating-point remainder said.)
      const binEnd = Math.max(this.#t - within + (bin + 1) * this.#binUs, this.#t + 1e-6);
      const rate = this.#rates[bin]!;
      const available = rate * (binEnd - this.#t);
      if (rate > 0 && need <= available) {
        this.#t += need / rate;
        return this.#t;
      }
      need -= available;
      this.#t = binEnd;
    }
  }
}

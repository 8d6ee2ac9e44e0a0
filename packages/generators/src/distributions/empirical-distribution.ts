import { Prng } from '@sqltrace/core';

export interface EmpiricalDistributionJson {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Values at the cumulative probabilities `levels` (evenly spaced 0, 1/(n-1), …, 1 when absent). */
  readonly quantiles: readonly number[];
  /**
   * The cumulative probability of each quantile, from 0 to 1: evenly spaced, then the largest
   * samples at their own levels — so a rare extreme keeps its rarity instead of the whole top
   * interval's share. Absent in models written before it existed (evenly spaced).
   */
  readonly levels?: readonly number[];
}

/** The largest samples kept at their own levels above the evenly spaced quantiles. */
const TAIL_KNOTS = 8;

/**
 * A 1-D distribution learned from samples in bounded memory: a seeded reservoir keeps up to
 * `capacity` samples, summarized into evenly spaced quantiles plus the largest samples at their
 * own levels, and the stream's true extremes at their own rarity; sampling inverts the CDF with
 * linear interpolation between them (so it never invents values outside [min, max]). A heavy
 * tail — idle times of microseconds but for a one-second pause once in ten thousand — keeps its
 * mass: with evenly spaced knots alone, the top interval (2% of draws with 51 knots) spread
 * uniformly up to the pause, and RDS's monitoring sessions came out 13 times slower.
 */
export class EmpiricalDistribution {
  readonly #capacity: number;
  readonly #reservoir: number[] = [];
  readonly #prng: Prng;
  #count = 0;
  #min = Infinity;
  #max = -Infinity;
  #quantiles: number[] | undefined;
  #levels: number[] | undefined;

  constructor(options: { capacity?: number; seed?: string } = {}) {
    this.#capacity = options.capacity ?? 10_000;
    this.#prng = new Prng(options.seed ?? 'empirical');
  }

  get count(): number {
    return this.#count;
  }

  add(value: number): void {
    if (!Number.isFinite(value)) return;
    this.#quantiles = undefined;
    this.#levels = undefined;
    this.#count++;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (this.#reservoir.length < this.#capacity) {
      this.#reservoir.push(value);
      return;
    }
    // Algorithm R: every sample seen so far is kept with the same probability.
    const j = Math.floor(this.#prng.next() * this.#count);
    if (j < this.#capacity) this.#reservoir[j] = value;
  }

  /** The q-quantile (0 ≤ q ≤ 1), interpolated. NaN when empty. */
  quantile(q: number): number {
    const qs = this.#summary(201);
    if (qs.length === 0) return NaN;
    const p = Math.min(Math.max(q, 0), 1);
    const levels = this.#levels;
    if (levels === undefined) {
      const pos = p * (qs.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, qs.length - 1);
      return qs[lo]! + (qs[hi]! - qs[lo]!) * (pos - lo);
    }
    // The last knot whose level is ≤ p, then along the segment to the next.
    let lo = 0,
      hi = levels.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (levels[mid]! <= p) lo = mid;
      else hi = mid;
    }
    const span = levels[hi]! - levels[lo]!;
    return span > 0 ? qs[lo]! + (qs[hi]! - qs[lo]!) * Math.min(1, (p - levels[lo]!) / span) : qs[hi]!;
  }

  sample(prng: Prng): number {
    return this.quantile(prng.next());
  }

  toJSON(points = 201): EmpiricalDistributionJson {
    const quantiles = this.#summary(points);
    return {
      count: this.#count,
      min: this.#count ? this.#min : 0,
      max: this.#count ? this.#max : 0,
      quantiles,
      ...(this.#levels !== undefined ? { levels: this.#levels } : {}),
    };
  }

  /**
   * A summary that reveals no single sample: the sorted samples are cut into up to `points`
   * groups of at least `minGroup` each, and each knot is the mean of one group (so neither the
   * extremes nor any rare value appear as such). Undefined when there are fewer than `minGroup`
   * samples — nothing can be published. `exclude`: values published as they are elsewhere (a
   * slot's frequent literals), left out so that this summary is the distribution of the rest.
   */
  toPrivateJSON(minGroup: number, points = 101, exclude?: ReadonlySet<number>): EmpiricalDistributionJson | undefined {
    let sorted = [...this.#reservoir].sort((a, b) => a - b);
    const k = Math.max(1, minGroup);
    if (exclude !== undefined && exclude.size > 0) {
      // The distribution of the other values (when enough of them were sampled to publish).
      const rest = sorted.filter((v) => !exclude.has(v));
      if (rest.length >= k) sorted = rest;
    }
    const groups = Math.min(points, Math.floor(sorted.length / k));
    if (groups === 0) return undefined;
    const quantiles: number[] = [];
    for (let g = 0; g < groups; g++) {
      const from = Math.floor((g * sorted.length) / groups);
      const to = Math.floor(((g + 1) * sorted.length) / groups);
      let sum = 0;
      for (let i = from; i < to; i++) sum += sorted[i]!;
      // (Means of sorted groups never decrease, but their floating-point sums may by an ulp.)
      quantiles.push(Math.max(sum / (to - from), quantiles[g - 1] ?? -Infinity));
    }
    return { count: this.#count, min: quantiles[0]!, max: quantiles[quantiles.length - 1]!, quantiles };
  }

  static fromJSON(json: EmpiricalDistributionJson): EmpiricalDistribution {
    const d = new EmpiricalDistribution();
    if (!Array.isArray(json.quantiles) || json.quantiles.some((v) => !Number.isFinite(v)))
      throw new RangeError('distribution quantiles must be finite numbers');
    for (let i = 1; i < json.quantiles.length; i++)
      if (json.quantiles[i]! < json.quantiles[i - 1]!) throw new RangeError('distribution quantiles must not decrease');
    if (json.levels !== undefined) {
      const l = json.levels;
      if (
        !Array.isArray(l) ||
        l.length !== json.quantiles.length ||
        l[0] !== 0 ||
        l[l.length - 1] !== 1 ||
        l.some((v, i) => !(v >= (l[i - 1] ?? 0) && v <= 1))
      ) {
        throw new RangeError('distribution levels must rise from 0 to 1, one per quantile');
      }
      d.#levels = [...l];
    }
    d.#count = json.count;
    d.#min = json.min;
    d.#max = json.max;
    d.#quantiles = [...json.quantiles];
    return d;
  }

  #summary(points: number): number[] {
    if (this.#quantiles !== undefined) return this.#quantiles;
    const sorted = [...this.#reservoir].sort((a, b) => a - b);
    const m = sorted.length;
    if (m === 0) return (this.#quantiles = []);
    const n = Math.min(points, m);
    const values: number[] = [];
    const levels: number[] = [];
    // Sample i of m sits at level i/(m-1): knots at evenly spaced levels below the tail, then the
    // largest samples each at its own level.
    const tail = m > n ? Math.min(TAIL_KNOTS, m - 1) : 0;
    const tailFrom = (m - 1 - tail) / (m - 1);
    for (let k = 0; k < n; k++) {
      const level = n === 1 ? 0 : k / (n - 1);
      if (tail > 0 && level >= tailFrom) break;
      const pos = level * (m - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, m - 1);
      values.push(Math.max(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo), values[values.length - 1] ?? -Infinity));
      levels.push(level);
    }
    for (let i = m - 1 - tail; tail > 0 && i < m; i++) {
      values.push(Math.max(sorted[i]!, values[values.length - 1] ?? -Infinity));
      levels.push(i / (m - 1));
    }
    // The stream's true extremes, when the reservoir dropped them, at the rarity they had: one
    // sample in `count` beyond the reservoir's own range.
    let pinned = tail > 0;
    const c = this.#count;
    if (this.#max > values[values.length - 1]!) {
      for (let k = 0; k < levels.length; k++) levels[k] = levels[k]! * (1 - 1 / c);
      values.push(this.#max);
      levels.push(1);
      pinned = true;
    }
    if (this.#min < values[0]!) {
      for (let k = 0; k < levels.length; k++) levels[k] = 1 / c + levels[k]! * (1 - 1 / c);
      values.unshift(this.#min);
      levels.unshift(0);
      pinned = true;
    }
    this.#levels = pinned ? levels : undefined;
    return (this.#quantiles = values);
  }
}

import { Prng } from '@sqltrace/core';

export interface EmpiricalDistributionJson {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  /** Values at evenly spaced cumulative probabilities 0, 1/(n-1), …, 1. */
  readonly quantiles: readonly number[];
}

/**
 * A 1-D distribution learned from samples in bounded memory: a seeded reservoir keeps up to
 * `capacity` samples, summarized into evenly spaced quantiles; sampling inverts the CDF with
 * linear interpolation between them (so it never invents values outside [min, max]).
 */
export class EmpiricalDistribution {
  readonly #capacity: number;
  readonly #reservoir: number[] = [];
  readonly #prng: Prng;
  #count = 0;
  #min = Infinity;
  #max = -Infinity;
  #quantiles: number[] | undefined;

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
    const pos = Math.min(Math.max(q, 0), 1) * (qs.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, qs.length - 1);
    return qs[lo]! + (qs[hi]! - qs[lo]!) * (pos - lo);
  }

  sample(prng: Prng): number {
    return this.quantile(prng.next());
  }

  toJSON(points = 201): EmpiricalDistributionJson {
    return { count: this.#count, min: this.#count ? this.#min : 0, max: this.#count ? this.#max : 0, quantiles: this.#summary(points) };
  }

  /**
   * A summary that reveals no single sample: the sorted samples are cut into up to `points`
   * groups of at least `minGroup` each, and each knot is the mean of one group (so neither the
   * extremes nor any rare value appear as such). Undefined when there are fewer than `minGroup`
   * samples — nothing can be published.
   */
  toPrivateJSON(minGroup: number, points = 101): EmpiricalDistributionJson | undefined {
    const sorted = [...this.#reservoir].sort((a, b) => a - b);
    const k = Math.max(1, minGroup);
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
    if (!Array.isArray(json.quantiles) || json.quantiles.some((v) => !Number.isFinite(v))) throw new RangeError('distribution quantiles must be finite numbers');
    for (let i = 1; i < json.quantiles.length; i++) if (json.quantiles[i]! < json.quantiles[i - 1]!) throw new RangeError('distribution quantiles must not decrease');
    d.#count = json.count;
    d.#min = json.min;
    d.#max = json.max;
    d.#quantiles = [...json.quantiles];
    return d;
  }

  #summary(points: number): number[] {
    if (this.#quantiles !== undefined) return this.#quantiles;
    const sorted = [...this.#reservoir].sort((a, b) => a - b);
    if (sorted.length === 0) return (this.#quantiles = []);
    const n = Math.min(points, sorted.length);
    const out: number[] = [];
    for (let k = 0; k < n; k++) {
      const pos = n === 1 ? 0 : (k / (n - 1)) * (sorted.length - 1);
      const lo = Math.floor(pos);
      const hi = Math.min(lo + 1, sorted.length - 1);
      out.push(Math.max(sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo), out[k - 1] ?? -Infinity));
    }
    // The true extremes, even when the reservoir dropped them.
    out[0] = this.#min;
    out[out.length - 1] = this.#max;
    return (this.#quantiles = out);
  }
}

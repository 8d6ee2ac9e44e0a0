const BUCKETS_PER_DECADE = 20;
const DECADES = 11; // 1 µs … 100 000 s

/**
 * A fixed-size log-bucketed histogram of durations (µs) for quantiles with bounded memory:
 * about 12% relative error per bucket, 220 counters whatever the number of samples.
 */
export class DurationHistogram {
  readonly #counts = new Float64Array(BUCKETS_PER_DECADE * DECADES + 1);
  count = 0;
  sum = 0;
  max = 0;

  record(us: number): void {
    if (!(us >= 0)) return;
    const bucket = us < 1 ? 0 : Math.min(this.#counts.length - 1, Math.floor(Math.log10(us) * BUCKETS_PER_DECADE) + 1);
    this.#counts[bucket]!++;
    this.count++;
    this.sum += us;
    if (us > this.max) this.max = us;
  }

  get mean(): number {
    return this.count === 0 ? NaN : this.sum / this.count;
  }

  /** The q-quantile (0 < q ≤ 1), as the geometric middle of its bucket, capped at the max. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let b = 0; b < this.#counts.length; b++) {
      seen += this.#counts[b]!;
      if (seen >= rank) {
        if (b === 0) return Math.min(this.max, 0.5);
        const mid = Math.pow(10, (b - 0.5) / BUCKETS_PER_DECADE);
        return Math.min(this.max, mid);
      }
    }
    return this.max;
  }
}

/**
 * Upper bounds (seconds) of the latency histograms: 10 µs to 10 s with six steps per decade (1, 1.5,
 * 2, 3, 5, 7). A loopback statement takes 20–500 µs, so p99.9 of a fast run falls in a bucket at most
 * 5/3 wide (the 1-2-5 or 0.5 ms-first buckets usual elsewhere put all of it in one or two buckets).
 * Classic buckets rather than native histograms: Debian's Prometheus serves those only behind a
 * feature flag and prom-client does not write them.
 */
export const LATENCY_BOUNDS: readonly number[] = (() => {
  const bounds: number[] = [];
  for (let exponent = -5; exponent <= 0; exponent++) for (const m of [1, 1.5, 2, 3, 5, 7]) bounds.push(Number((m * 10 ** exponent).toPrecision(2)));
  bounds.push(10);
  return bounds;
})();

/** A histogram's counts over {@link LATENCY_BOUNDS} (the last slot: above the largest bound), sum and count. */
export class BucketCounts {
  readonly counts = new Float64Array(LATENCY_BOUNDS.length + 1);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    let lo = 0,
      hi = LATENCY_BOUNDS.length;
    // The first bound ≥ seconds (Prometheus' `le`).
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (LATENCY_BOUNDS[mid]! < seconds) lo = mid + 1;
      else hi = mid;
    }
    this.counts[lo]!++;
    this.sum += seconds;
    this.count++;
  }
}

import { Prng } from '@sqltrace/core';

export interface ConfidenceInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
  readonly level: number;
}

/**
 * A seeded percentile-bootstrap confidence interval for a two-sample statistic: both samples
 * are resampled with replacement `resamples` times (default 200) and the statistic recomputed.
 */
export function bootstrapInterval(
  first: ArrayLike<number>,
  second: ArrayLike<number>,
  statistic: (a: Float64Array, b: Float64Array) => number,
  options: { seed?: string | number; resamples?: number; level?: number } = {},
): ConfidenceInterval {
  const level = options.level ?? 0.95;
  const resamples = options.resamples ?? 200;
  const prng = new Prng(options.seed ?? 'bootstrap');
  const a = Float64Array.from(first as ArrayLike<number>),
    b = Float64Array.from(second as ArrayLike<number>);
  const ra = new Float64Array(a.length),
    rb = new Float64Array(b.length);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) ra[i] = a[Math.floor(prng.next() * a.length)]!;
    for (let i = 0; i < b.length; i++) rb[i] = b[Math.floor(prng.next() * b.length)]!;
    values.push(statistic(ra, rb));
  }
  values.sort((x, y) => x - y);
  const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))]!;
  return { estimate: statistic(a, b), low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), level };
}

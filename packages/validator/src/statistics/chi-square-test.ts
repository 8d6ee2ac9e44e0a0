import { chiSquareSurvival } from './incomplete-gamma';

export interface ChiSquareResult {
  readonly statistic: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Cramér's V: √(χ² / (N · (min(rows, columns) − 1))), 0 (same) … 1. */
  readonly cramersV: number;
  /** Columns after merging sparse categories. */
  readonly categories: number;
}

/**
 * Chi-square test of homogeneity for a 2×k table (two samples' counts over the same k
 * categories), without continuity correction (SciPy's `chi2_contingency(…, correction=False)`).
 * Categories absent from both samples are dropped.
 */
export function chiSquareHomogeneity(first: readonly number[], second: readonly number[]): ChiSquareResult {
  if (first.length !== second.length) throw new RangeError('chiSquareHomogeneity: both rows need the same categories');
  const columns: [number, number][] = [];
  let n1 = 0,
    n2 = 0;
  for (let k = 0; k < first.length; k++) {
    const a = first[k]!,
      b = second[k]!;
    if (!(a >= 0 && b >= 0)) throw new RangeError('chiSquareHomogeneity: counts must be non-negative');
    if (a + b === 0) continue;
    columns.push([a, b]);
    n1 += a;
    n2 += b;
  }
  const total = n1 + n2;
  if (n1 === 0 || n2 === 0 || columns.length < 2) return { statistic: 0, degreesOfFreedom: 0, pValue: 1, cramersV: 0, categories: columns.length };
  let statistic = 0;
  for (const [a, b] of columns) {
    const column = a + b;
    const e1 = (column * n1) / total,
      e2 = (column * n2) / total;
    statistic += ((a - e1) * (a - e1)) / e1 + ((b - e2) * (b - e2)) / e2;
  }
  const degreesOfFreedom = columns.length - 1;
  return {
    statistic,
    degreesOfFreedom,
    pValue: chiSquareSurvival(statistic, degreesOfFreedom),
    cramersV: Math.sqrt(statistic / total),
    categories: columns.length,
  };
}

/**
 * Merges sparse categories so the chi-square approximation holds: every category whose expected
 * count in either sample is under `minExpected` (default 5) goes into one pooled category (and if
 * that pool is still sparse, it absorbs the next smallest category until it is not).
 */
export function mergeSparseCategories(first: readonly number[], second: readonly number[], minExpected = 5): { first: number[]; second: number[] } {
  const n1 = first.reduce((s, v) => s + v, 0),
    n2 = second.reduce((s, v) => s + v, 0);
  const total = n1 + n2;
  if (total === 0) return { first: [], second: [] };
  const expectedMin = (column: number) => (column * Math.min(n1, n2)) / total;
  const order = first
    .map((_, k) => k)
    .filter((k) => first[k]! + second[k]! > 0)
    .sort((x, y) => first[x]! + second[x]! - (first[y]! + second[y]!));
  const kept: number[] = [];
  let poolA = 0,
    poolB = 0;
  for (const k of order) {
    if (expectedMin(first[k]! + second[k]!) < minExpected) {
      poolA += first[k]!;
      poolB += second[k]!;
    } else {
      kept.push(k);
    }
  }
  // A pool that is still too small takes the smallest kept categories.
  while (poolA + poolB > 0 && expectedMin(poolA + poolB) < minExpected && kept.length > 0) {
    const k = kept.shift()!;
    poolA += first[k]!;
    poolB += second[k]!;
  }
  const outA = kept.map((k) => first[k]!),
    outB = kept.map((k) => second[k]!);
  if (poolA + poolB > 0) {
    outA.push(poolA);
    outB.push(poolB);
  }
  return { first: outA, second: outB };
}

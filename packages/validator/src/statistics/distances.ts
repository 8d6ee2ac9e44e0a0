import { sortFloat64 } from './sort-float64';

/** Total variation distance between two count (or probability) vectors over the same categories: ½ Σ |p − q|, in [0, 1]. */
export function totalVariation(first: readonly number[], second: readonly number[]): number {
  const [p, q] = normalize(first, second);
  let d = 0;
  for (let k = 0; k < p.length; k++) d += Math.abs(p[k]! - q[k]!);
  return d / 2;
}

/**
 * Jensen–Shannon divergence in bits (base-2 logarithms), in [0, 1]: the mean Kullback–Leibler
 * divergence of each distribution from their average. (SciPy's `jensenshannon(p, q, base=2)` is
 * its square root.)
 */
export function jensenShannon(first: readonly number[], second: readonly number[]): number {
  const [p, q] = normalize(first, second);
  let d = 0;
  for (let k = 0; k < p.length; k++) {
    const m = (p[k]! + q[k]!) / 2;
    if (p[k]! > 0) d += p[k]! * Math.log2(p[k]! / m);
    if (q[k]! > 0) d += q[k]! * Math.log2(q[k]! / m);
  }
  return Math.max(0, d / 2);
}

/** Wasserstein-1 (earth mover's) distance between two 1-D samples: ∫ |F₁ − F₂| (SciPy's `wasserstein_distance`). */
export function wasserstein1(first: ArrayLike<number>, second: ArrayLike<number>): number {
  const a = sortFloat64(first, 'wasserstein1: samples');
  const b = sortFloat64(second, 'wasserstein1: samples');
  if (a.length === 0 || b.length === 0) throw new RangeError('wasserstein1: both samples need at least one value');
  let i = 0,
    j = 0,
    distance = 0;
  let at = Math.min(a[0]!, b[0]!);
  while (i < a.length || j < b.length) {
    const next = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    distance += Math.abs(i / a.length - j / b.length) * (next - at);
    at = next;
    while (i < a.length && a[i]! <= next) i++;
    while (j < b.length && b[j]! <= next) j++;
  }
  return distance;
}

function normalize(first: readonly number[], second: readonly number[]): [number[], number[]] {
  if (first.length !== second.length) throw new RangeError('distances need the same categories on both sides');
  const s1 = first.reduce((s, v) => s + v, 0),
    s2 = second.reduce((s, v) => s + v, 0);
  if (!(s1 > 0) || !(s2 > 0)) throw new RangeError('distances need a positive total on both sides');
  return [first.map((v) => v / s1), second.map((v) => v / s2)];
}

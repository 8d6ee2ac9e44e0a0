// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the module declaration for jstat (which ships no types) must travel into the bundled .d.ts
/// <reference path="./jstat.d.ts" />
import jstat from 'jstat';

const { jStat } = jstat;

const EPS = 1e-16;
const TINY = 1e-300;

/**
 * The regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a), accurate in the far
 * tail (where 1 − P loses every digit): a series for x < a + 1, a continued fraction (modified
 * Lentz) beyond. jstat supplies ln Γ.
 */
export function upperRegularizedGamma(a: number, x: number): number {
  if (!(a > 0) || x < 0 || Number.isNaN(x)) return NaN;
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const logPrefix = -x + a * Math.log(x) - jStat.gammaln(a);
  if (x < a + 1) {
    // P(a, x) by its series; Q = 1 − P is accurate here (P is not close to 1).
    let term = 1 / a,
      sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  let b = x + 1 - a,
    c = 1 / TINY,
    d = 1 / b,
    h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefix) * h;
}

/** Survival function of the chi-square distribution: P(X ≥ x) with `dof` degrees of freedom. */
export function chiSquareSurvival(x: number, dof: number): number {
  return upperRegularizedGamma(dof / 2, x / 2);
}

import { Prng } from '@sqltrace/core';
import {
  benjaminiHochberg,
  bootstrapInterval,
  chiSquareHomogeneity,
  chiSquareSurvival,
  holm,
  jensenShannon,
  kolmogorovSurvival,
  ksTwoSample,
  mergeSparseCategories,
  totalVariation,
  wasserstein1,
} from '@sqltrace/validator';
import reference from './fixtures/scipy-reference.json';

/** Reference values written by tools/stats-reference/make-reference.py with SciPy (see its header). */
type SampleSpec = { seed: number; n: number; kind: 'uniform' | 'ties' | 'shifted'; levels?: number; shift?: number };

const M = 2 ** 31 - 1;
/** The script's MINSTD samples, rebuilt exactly (48271·x < 2⁵³). */
function sample(spec: SampleSpec): number[] {
  const out: number[] = [];
  let x = spec.seed;
  for (let i = 0; i < spec.n; i++) {
    x = (48271 * x) % M;
    out.push(spec.kind === 'uniform' ? x / M : spec.kind === 'ties' ? x % spec.levels! : x / M + spec.shift!);
  }
  return out;
}

function close(actual: number, expected: number, relative = 1e-6): void {
  if (expected === 0) expect(Math.abs(actual)).toBeLessThan(1e-12);
  else expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThan(relative);
}

describe('two-sample Kolmogorov–Smirnov against SciPy', () => {
  it.each(reference.ks.map((c, i) => [i, c] as const))('case %i: statistic and p-value to 1e-6', (_, c) => {
    const a = 'a' in c ? (c.a as number[]) : sample(c.sampleA as SampleSpec);
    const b = 'b' in c ? (c.b as number[]) : sample(c.sampleB as SampleSpec);
    const r = ksTwoSample(a, b, { alternative: c.alternative as 'two-sided', method: c.method as 'exact' });
    close(r.statistic, Math.abs(c.statistic));
    close(r.pValue, c.pValue);
  });

  it('covers small, tied, identical, one-sided and large samples', () => {
    const kinds = new Set(reference.ks.map((c) => ('sampleA' in c ? (c.sampleA as SampleSpec).kind : 'literal') + ':' + c.method));
    expect(kinds).toEqual(new Set(['literal:exact', 'uniform:exact', 'ties:exact', 'uniform:asymp', 'ties:asymp']));
    expect(reference.ks.some((c) => c.statistic === 0 && c.pValue === 1)).toBe(true);
    expect(new Set(reference.ks.map((c) => c.alternative))).toEqual(new Set(['two-sided', 'less', 'greater']));
  });

  it('sorts large samples of any sign (the radix path) exactly as a comparison sort would', () => {
    const prng = new Prng('signs');
    const a = Array.from({ length: 20_000 }, (_, i) => (i % 9 === 0 ? -0 : prng.normal(0, 1) * 10 ** prng.int(-8, 8)));
    const b = Array.from({ length: 15_000 }, (_, i) => (i % 11 === 0 ? 0 : prng.normal(0.05, 1) * 10 ** prng.int(-8, 8)));
    // The statistic by definition: max |F_a(x) − F_b(x)| over every value, CDFs counted by brute force on sorted copies.
    const sa = [...a].map((v) => (v === 0 ? 0 : v)).sort((x, y) => x - y),
      sb = [...b].sort((x, y) => x - y);
    const cdf = (s: number[], x: number) => {
      let lo = 0,
        hi = s.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (s[mid]! <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / s.length;
    };
    let d = 0;
    for (const x of [...sa, ...sb]) d = Math.max(d, Math.abs(cdf(sa, x) - cdf(sb, x)));
    expect(ksTwoSample(a, b).statistic).toBeCloseTo(d, 12);
    expect(wasserstein1([-0, 0, 1], [0, 0, 1])).toBe(0);
  });

  it('chooses exact up to 10,000 values per sample, asymptotic above, and does not modify its input', () => {
    const small = sample({ seed: 3, n: 100, kind: 'uniform' });
    const copy = [...small];
    expect(ksTwoSample(small, sample({ seed: 4, n: 120, kind: 'uniform' })).method).toBe('exact');
    expect(small).toEqual(copy);
    expect(ksTwoSample(sample({ seed: 3, n: 10_001, kind: 'uniform' }), small).method).toBe('asymp');
    expect(() => ksTwoSample([], [1])).toThrow(/at least one value/);
    expect(() => ksTwoSample([NaN], [1])).toThrow(/NaN/);
  });
});

describe('chi-square, distances and corrections against SciPy', () => {
  it.each(reference.chiSquare.map((c, i) => [i, c] as const))('homogeneity case %i', (_, c) => {
    const r = chiSquareHomogeneity(c.first, c.second);
    close(r.statistic, c.statistic);
    close(r.pValue, c.pValue);
    expect(r.degreesOfFreedom).toBe(c.dof);
    close(r.cramersV, c.cramersV);
  });

  it('computes chi-square tails and Kolmogorov’s distribution to 1e-6', () => {
    for (const c of reference.chi2Survival) close(chiSquareSurvival(c.x, c.dof), c.sf);
    for (const c of reference.kolmogorov) close(kolmogorovSurvival(c.x), c.sf);
  });

  it('computes TVD, Jensen–Shannon and Wasserstein-1 distances', () => {
    for (const c of reference.distances) {
      close(totalVariation(c.p, c.q), c.tvd);
      close(jensenShannon(c.p, c.q), c.jensenShannon);
    }
    for (const c of reference.wasserstein) {
      const u = 'u' in c ? (c.u as number[]) : sample(c.sampleA as SampleSpec);
      const v = 'v' in c ? (c.v as number[]) : sample(c.sampleB as SampleSpec);
      close(wasserstein1(u, v), c.wasserstein);
    }
  });

  it('adjusts p-values by Holm and Benjamini–Hochberg', () => {
    const { p, holm: h, bh } = reference.multipleTesting;
    holm(p).forEach((v, i) => close(v, h[i]!));
    benjaminiHochberg(p).forEach((v, i) => close(v, bh[i]!));
  });

  it('merges sparse categories into one pool until no expected count is under 5', () => {
    // The four sparse columns pool to 6 + 4 = 10 values: an expected 4.9 in the smaller row, still
    // under 5, so the pool also takes the smallest full column (80 + 85).
    const merged = mergeSparseCategories([100, 80, 2, 1, 0, 3], [90, 85, 1, 2, 1, 0]);
    expect(merged.first).toEqual([100, 86]);
    expect(merged.second).toEqual([90, 89]);
    const enough = mergeSparseCategories([100, 80, 5, 4, 3], [90, 85, 4, 5, 3]);
    expect(enough).toEqual({ first: [80, 100, 12], second: [85, 90, 12] });
    const tiny = mergeSparseCategories([3, 1], [2, 2]);
    expect(tiny.first.reduce((s, v) => s + v, 0)).toBe(4);
  });
});

describe('bootstrap confidence intervals', () => {
  it('are seeded (same seed, same interval) and cover the true difference of means about 95% of the time', () => {
    const meanDiff = (a: Float64Array, b: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length - b.reduce((s, v) => s + v, 0) / b.length;
    const source = new Prng('coverage');
    let covered = 0;
    const trials = 60;
    for (let t = 0; t < trials; t++) {
      const a = Array.from({ length: 80 }, () => source.normal(1, 1));
      const b = Array.from({ length: 80 }, () => source.normal(0, 1));
      const ci = bootstrapInterval(a, b, meanDiff, { seed: t, resamples: 300 });
      if (ci.low <= 1 && 1 <= ci.high) covered++;
      if (t === 0) expect(bootstrapInterval(a, b, meanDiff, { seed: 0, resamples: 300 })).toEqual(ci);
    }
    expect(covered / trials).toBeGreaterThan(0.85);
  });
});

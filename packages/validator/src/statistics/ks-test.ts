import { kolmogorovSurvival } from './kolmogorov-distribution';
import { sortFloat64 } from './sort-float64';

export type Alternative = 'two-sided' | 'less' | 'greater';

export interface KsOptions {
  /**
   * `two-sided` (default): the CDFs differ; `greater`: the first sample's CDF lies above the
   * second's somewhere (statistic max(F₁ − F₂)); `less`: below (max(F₂ − F₁)). As SciPy's ks_2samp.
   */
  readonly alternative?: Alternative;
  /** `auto` (default): exact when both samples have at most 10,000 values, else asymptotic. */
  readonly method?: 'auto' | 'exact' | 'asymp';
}

export interface KsResult {
  /** The KS statistic D (0…1). */
  readonly statistic: number;
  readonly pValue: number;
  readonly method: 'exact' | 'asymp';
}

const MAX_AUTO_N = 10_000;

/**
 * Two-sample Kolmogorov–Smirnov test. Ties are handled by evaluating both empirical CDFs after
 * every distinct value (all equal values counted at once). Exact p-values by lattice-path counting
 * (Hodges 1958) when the samples are small; otherwise the asymptotic distribution: Kolmogorov's
 * limiting distribution of √(mn/(m+n))·D two-sided, Hodges' approximation one-sided. Samples need
 * not be sorted and are not modified.
 */
export function ksTwoSample(first: ArrayLike<number>, second: ArrayLike<number>, options: KsOptions = {}): KsResult {
  const alternative = options.alternative ?? 'two-sided';
  const a = sorted(first),
    b = sorted(second);
  const n1 = a.length,
    n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTwoSample: both samples need at least one value');
  // One merge walk over the distinct values: D⁺ = max(F₁ − F₂), D⁻ = max(F₂ − F₁).
  let i = 0,
    j = 0,
    plus = 0,
    minus = 0;
  while (i < n1 || j < n2) {
    const v = j >= n2 || (i < n1 && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    while (i < n1 && a[i]! <= v) i++;
    while (j < n2 && b[j]! <= v) j++;
    const diff = i / n1 - j / n2;
    if (diff > plus) plus = diff;
    if (-diff > minus) minus = -diff;
  }
  const d = alternative === 'less' ? minus : alternative === 'greater' ? plus : Math.max(plus, minus);
  let method = options.method ?? 'auto';
  if (method === 'auto') method = Math.max(n1, n2) <= MAX_AUTO_N ? 'exact' : 'asymp';
  if (method === 'exact') {
    const exact = exactPValue(n1, n2, d, alternative);
    if (exact !== undefined) return { statistic: exact.d, pValue: exact.p, method: 'exact' };
  }
  return { statistic: d, pValue: asymptoticPValue(n1, n2, d, alternative), method: 'asymp' };
}

function asymptoticPValue(n1: number, n2: number, d: number, alternative: Alternative): number {
  const m = Math.max(n1, n2),
    n = Math.min(n1, n2);
  const en = (m * n) / (m + n);
  if (alternative === 'two-sided') return clamp(kolmogorovSurvival(Math.sqrt(en) * d));
  const z = Math.sqrt(en) * d;
  // Hodges' approximation (his eqn 5.3), m the larger sample.
  return clamp(Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3));
}

/** The exact p-value, or undefined when it cannot be computed in floating point (then: asymptotic). */
function exactPValue(n1: number, n2: number, d: number, alternative: Alternative): { d: number; p: number } | undefined {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  if (!Number.isSafeInteger(lcm) || n1 / g >= 2_147_483_647 / (n2 / g)) return undefined;
  // D is a multiple of 1/lcm: round away floating-point noise before counting paths.
  const h = Math.round(d * lcm);
  const dd = h / lcm;
  if (h === 0) return { d: dd, p: 1 };
  let p: number;
  if (alternative === 'two-sided') {
    p = n1 === n2 ? outsideSquare(n1, h) : outsideBand(n1, n2, g, h);
  } else if (n1 === n2) {
    p = 1;
    for (let j = 0; j < h; j++) p *= (n1 - j) / (n1 + j + 1);
  } else {
    // C(n1+n2, n1) overflows past ~1,030 values in all: then the counts cannot be held (asymptotic).
    const all = binomial(n1 + n2, n1);
    if (!Number.isFinite(all)) return undefined;
    const paths = pathsBelowDiagonal(n1, n2, g, h);
    if (!Number.isFinite(paths) || paths > all) return undefined;
    p = paths / all;
  }
  if (!(p >= 0 && p <= 1)) return undefined;
  return { d: dd, p };
}

/** Equal sizes, two-sided: the share of lattice paths that leave the band |x − y| < h (reflection). */
function outsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let term = 1;
    for (let j = 0; j < h; j++) term = ((n - k * h - j) * term) / (n + k * h + j + 1);
    p = term * (1 - p);
  }
  return 2 * p;
}

/**
 * Unequal sizes, two-sided: 1 − the share of paths from (0,0) to (m,n) that stay strictly inside
 * |x·n/g − y·m/g| < h. Each point holds its inside-path count divided by C(x+y, x), which keeps
 * the numbers in [0, 1]: A(x,y) = (x·A(x−1,y) + y·A(x,y−1)) / (x+y).
 */
function outsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2),
    n = Math.min(n1, n2);
  const mg = m / g,
    ng = n / g;
  const column = new Float64Array(n + 1);
  // x = 0: inside while y·mg < h.
  for (let y = 0; y <= n; y++) column[y] = y * mg < h ? 1 : 0;
  for (let x = 1; x <= m; x++) {
    const low = Math.max(0, Math.floor((x * ng - h) / mg) + 1); // first y inside
    const high = Math.min(n, Math.ceil((x * ng + h) / mg) - 1); // last y inside
    if (high < low) return 1;
    for (let y = 0; y < low; y++) column[y] = 0;
    let below = 0; // A(x, low − 1): outside the band (or below y = 0)
    for (let y = low; y <= high; y++) {
      const value = y === 0 ? column[0]! : (x * column[y]! + y * below) / (x + y);
      column[y] = value;
      below = value;
    }
    for (let y = high + 1; y <= n; y++) column[y] = 0;
  }
  return clamp(1 - column[n]!);
}

/**
 * One-sided, unequal sizes: the number of lattice paths from (0,0) to (m,n) that reach
 * m·y ≤ n·x − h·g somewhere (Hodges' treatment of Drion / Gnedenko–Korolyuk): B[j] counts the
 * paths first reaching the boundary at its j-th step.
 */
function pathsBelowDiagonal(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2),
    n = Math.min(n1, n2);
  const mg = m / g,
    ng = n / g;
  const steps = n + Math.floor((mg - h) / mg);
  if (steps <= 0) return binomial(m + n, n);
  const xj: number[] = [];
  for (let j = 0; j < steps; j++) xj.push(Math.floor((h + mg * j + ng - 1) / ng));
  const first = new Float64Array(steps);
  first[0] = 1;
  for (let j = 1; j < steps; j++) {
    let bj = binomial(xj[j]! + j, j);
    for (let i = 0; i < j; i++) bj -= binomial(xj[j]! - xj[i]! + j - i, j - i) * first[i]!;
    first[j] = bj;
  }
  let paths = 0;
  for (let j = 0; j < steps; j++) paths += first[j]! * binomial(m - xj[j]! + (n - j), n - j);
  return paths;
}

/** C(n, k) in floating point (Infinity when it overflows), by a product that keeps full precision. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const kk = Math.min(k, n - k);
  let result = 1;
  for (let i = 1; i <= kk; i++) {
    result = (result * (n - kk + i)) / i;
    if (!Number.isFinite(result)) return Infinity;
  }
  return result;
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

function clamp(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

function sorted(values: ArrayLike<number>): Float64Array {
  return sortFloat64(values, 'ksTwoSample: samples');
}

/**
 * Survival function of Kolmogorov's limiting distribution (the distribution of √n·Dₙ as n → ∞,
 * SciPy's `kstwobign`): P(K > x). Two series, each where it converges fast.
 */
export function kolmogorovSurvival(x: number): number {
  if (!(x > 0)) return 1;
  if (x < 1) {
    // CDF = √(2π)/x · Σ exp(−(2k−1)²π²/(8x²)), k ≥ 1
    const w = Math.sqrt(2 * Math.PI) / x;
    const q = (-Math.PI * Math.PI) / (8 * x * x);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const term = Math.exp(q * (2 * k - 1) * (2 * k - 1));
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - w * sum;
  }
  // SF = 2 Σ (−1)^(k−1) exp(−2k²x²), k ≥ 1
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(-2 * k * k * x * x);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-17 * Math.abs(sum)) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

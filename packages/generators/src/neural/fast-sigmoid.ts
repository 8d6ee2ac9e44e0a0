/** The logistic function tabulated every 1/1024 on [−RANGE, RANGE], for linear interpolation. */
const STEPS = 1_024;
const RANGE = 24;
const LAST = 2 * RANGE * STEPS;
const TABLE = Float64Array.from({ length: LAST + 2 }, (_, i) => 1 / (1 + Math.exp(-(i / STEPS - RANGE))));

/**
 * The logistic function 1 / (1 + e^−x) to within 2e-8 (float32 keeps 6e-8 relative): linear
 * interpolation in a table every 1/1024 (the error is at most h²/8 · max|σ''| = 1.2e-8), about
 * two to three times faster than through `Math.exp` on this project's machines. An LSTM's forward step
 * spends most of its time in its gates without it.
 */
export function fastSigmoid(x: number): number {
  const t = (x + RANGE) * STEPS;
  if (t >= 0 && t < LAST) {
    const i = t | 0;
    const a = TABLE[i]!;
    return a + (t - i) * (TABLE[i + 1]! - a);
  }
  return 1 / (1 + Math.exp(-x)); // far out (or NaN)
}

/** tanh x = 2σ(2x) − 1, through {@link fastSigmoid} (to within 3e-8). */
export function fastTanh(x: number): number {
  return 2 * fastSigmoid(2 * x) - 1;
}

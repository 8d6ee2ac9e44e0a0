/** Holm's step-down adjustment of p-values (family-wise error rate), in the input order. */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[a]! - pValues[b]!);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * pValues[index]!));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg adjustment (false discovery rate), in the input order (SciPy's `false_discovery_control`). */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b]! - pValues[a]!);
  const adjusted = new Array<number>(m);
  let running = 1;
  order.forEach((index, k) => {
    const rank = m - k;
    running = Math.min(running, (pValues[index]! * m) / rank);
    adjusted[index] = Math.min(1, running);
  });
  return adjusted;
}

/** y[yAt + j] += a · x[xAt + j] for j < n, four at a time (V8 does not vectorise; this halves the time). */
export function addScaled(y: Float64Array, yAt: number, a: number, x: Float64Array, xAt: number, n: number): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    y[yAt + j]! += a * x[xAt + j]!;
    y[yAt + j + 1]! += a * x[xAt + j + 1]!;
    y[yAt + j + 2]! += a * x[xAt + j + 2]!;
    y[yAt + j + 3]! += a * x[xAt + j + 3]!;
  }
  for (; j < n; j++) y[yAt + j]! += a * x[xAt + j]!;
}

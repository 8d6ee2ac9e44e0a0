/**
 * y[j] += Σ_i x[i] · w[j·m + i] for j < n, i < m: a matrix–vector product with the matrix stored
 * one output per row (transposed from TensorFlow's [inputs × outputs]). A sum kept in registers
 * per output, four partial sums at a time: in V8 about twice as fast as adding scaled rows into y.
 */
export function addProduct(y: Float64Array, x: Float64Array, w: Float64Array, n: number, m: number): void {
  for (let j = 0; j < n; j++) {
    const row = j * m;
    let a = 0, b = 0, c = 0, d = 0;
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      a += x[i]! * w[row + i]!;
      b += x[i + 1]! * w[row + i + 1]!;
      c += x[i + 2]! * w[row + i + 2]!;
      d += x[i + 3]! * w[row + i + 3]!;
    }
    for (; i < m; i++) a += x[i]! * w[row + i]!;
    y[j]! += a + b + c + d;
  }
}

/** A [rows × cols] row-major matrix transposed to [cols × rows]. */
export function transposed(w: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = w[r * cols + c]!;
  return t;
}

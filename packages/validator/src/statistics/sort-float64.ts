/**
 * Sorts float64 values ascending into a new array with an LSD radix sort on their bit patterns
 * (16-bit digits, passes whose digit never varies skipped): several times faster than
 * `Float64Array.prototype.sort` on large samples. −0 becomes 0; NaN is refused.
 */
export function sortFloat64(values: ArrayLike<number>, what = 'values'): Float64Array {
  const n = values.length;
  const out = Float64Array.from(values as ArrayLike<number>);
  if (n < 2_048) {
    for (let i = 0; i < n; i++) if (out[i] !== out[i]) throw new RangeError(`${what} must not contain NaN`);
    return out.sort();
  }
  const words = new Uint32Array(out.buffer);
  let lo = new Uint32Array(n),
    hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const v = out[i]!;
    if (v !== v) throw new RangeError(`${what} must not contain NaN`);
    if (v === 0) out[i] = 0; // −0 and 0 are one value
    const h = words[2 * i + 1]!,
      l = words[2 * i]!;
    // Order-preserving keys: flip every bit of negatives, the sign bit of the rest.
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let lo2 = new Uint32Array(n),
    hi2 = new Uint32Array(n);
  const counts = new Uint32Array(65_536);
  for (let pass = 0; pass < 4; pass++) {
    const source = pass < 2 ? lo : hi;
    const shift = pass % 2 === 0 ? 0 : 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(source[i]! >>> shift) & 0xffff]!++;
    if (counts[(source[0]! >>> shift) & 0xffff] === n) continue; // every key has this digit
    let sum = 0;
    for (let d = 0; d < 65_536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(source[i]! >>> shift) & 0xffff]!++;
      lo2[at] = lo[i]!;
      hi2[at] = hi[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
  }
  for (let i = 0; i < n; i++) {
    const h = hi[i]!,
      l = lo[i]!;
    if (h & 0x80000000) {
      words[2 * i + 1] = h & 0x7fffffff;
      words[2 * i] = l;
    } else {
      words[2 * i + 1] = ~h >>> 0;
      words[2 * i] = ~l >>> 0;
    }
  }
  return out;
}

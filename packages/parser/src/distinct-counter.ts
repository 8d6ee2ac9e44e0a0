/**
 * Counts distinct strings in bounded memory: exactly up to `exactLimit` values, then by a
 * HyperLogLog estimate (2^14 registers, about 1% standard error). `approximate` says which.
 */
export class DistinctCounter {
  readonly #exactLimit: number;
  #exact: Set<string> | undefined = new Set();
  #registers: Uint8Array | undefined;

  constructor(exactLimit = 100_000) {
    this.#exactLimit = exactLimit;
  }

  add(value: string): void {
    if (this.#exact !== undefined) {
      this.#exact.add(value);
      if (this.#exact.size > this.#exactLimit) {
        this.#registers = new Uint8Array(1 << 14);
        for (const v of this.#exact) this.#addHll(v);
        this.#exact = undefined;
      }
      return;
    }
    this.#addHll(value);
  }

  get approximate(): boolean {
    return this.#exact === undefined;
  }

  get size(): number {
    if (this.#exact !== undefined) return this.#exact.size;
    const m = this.#registers!.length;
    let sum = 0;
    let zeros = 0;
    for (let j = 0; j < m; j++) {
      sum += 2 ** -this.#registers![j]!;
      if (this.#registers![j] === 0) zeros++;
    }
    const estimate = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
    // Small-range correction (linear counting).
    return Math.round(estimate <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : estimate);
  }

  #addHll(value: string): void {
    const h = hash32(value);
    const index = h >>> 18;
    const rest = (h << 14) | 0x2000; // guard bit bounds the run length
    const rank = Math.clz32(rest) + 1;
    if (rank > this.#registers![index]!) this.#registers![index] = rank;
  }
}

/** FNV-1a followed by a murmur3 finalizer: well mixed 32 bits. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

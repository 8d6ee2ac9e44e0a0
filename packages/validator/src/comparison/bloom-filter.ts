/** A Bloom filter over strings (2^bits bits, 3 hashes): "seen before?" for a stream in fixed memory. */
export class BloomFilter {
  readonly #bits: Uint32Array;
  readonly #mask: number;

  constructor(bits = 24) {
    this.#bits = new Uint32Array((1 << bits) >>> 5);
    this.#mask = (1 << bits) - 1;
  }

  /** Adds the key; returns whether it was (probably) there already. */
  testAndAdd(key: string): boolean {
    let h1 = 0x811c9dc5,
      h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    let present = true;
    for (let k = 0; k < 3; k++) {
      const bit = (h1 + Math.imul(k, h2)) & this.#mask;
      const word = bit >>> 5,
        flag = 1 << (bit & 31);
      if ((this.#bits[word]! & flag) === 0) {
        present = false;
        this.#bits[word]! |= flag;
      }
    }
    return present;
  }
}

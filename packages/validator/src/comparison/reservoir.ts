import { Prng } from '@sqltrace/core';

/** A uniform sample of up to `capacity` numbers from a stream (Algorithm R, seeded). */
export class Reservoir {
  readonly #values: number[] = [];
  readonly #capacity: number;
  readonly #prng: Prng;
  count = 0;

  constructor(capacity: number, seed: string) {
    this.#capacity = capacity;
    this.#prng = new Prng(seed);
  }

  add(value: number): void {
    this.count++;
    if (this.#values.length < this.#capacity) this.#values.push(value);
    else {
      const j = Math.floor(this.#prng.next() * this.count);
      if (j < this.#capacity) this.#values[j] = value;
    }
  }

  get values(): readonly number[] {
    return this.#values;
  }
}

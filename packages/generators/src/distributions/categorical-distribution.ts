import type { ParamValue, Prng } from '@sqltrace/core';

export interface CategoricalDistributionJson {
  /** Values seen at least `minCount` times, with their (lower-bound) counts. */
  readonly values: readonly (readonly [ParamValue, number])[];
  /** How many observations had a value that is not listed (rare, or too many distinct values). */
  readonly other: number;
}

/**
 * Frequencies of discrete values in bounded memory, with the privacy rule built in: a value is
 * published (and can be reproduced) only if it occurred at least `minCount` times; everything else
 * is an `other` share that a caller fills from a fitted model, never from the literal.
 *
 * Counting is Misra–Gries with `maxDistinct` counters: exact while there are no more distinct
 * values than that, and otherwise an undercount by at most n / (maxDistinct + 1). Counts never
 * exceed the truth, so a value published as seen k times really was seen at least k times.
 */
export class CategoricalDistribution {
  readonly #counts = new Map<string, { value: ParamValue; count: number }>();
  readonly #maxDistinct: number;
  #total = 0;

  constructor(options: { maxDistinct?: number } = {}) {
    this.#maxDistinct = options.maxDistinct ?? 10_000;
  }

  get total(): number {
    return this.#total;
  }

  add(value: ParamValue): void {
    this.#total++;
    const key = keyOf(value);
    const entry = this.#counts.get(key);
    if (entry !== undefined) {
      entry.count++;
    } else if (this.#counts.size < this.#maxDistinct) {
      this.#counts.set(key, { value, count: 1 });
    } else {
      // Full: the new value and every counter lose one (amortized O(1): each decrement undoes an increment).
      for (const [k, e] of this.#counts) if (--e.count === 0) this.#counts.delete(k);
    }
  }

  /** The publishable form: only values counted at least `minCount` times. */
  toJSON(minCount: number): CategoricalDistributionJson {
    const values: [ParamValue, number][] = [];
    let listed = 0;
    for (const { value, count } of this.#counts.values()) {
      if (count >= minCount) {
        values.push([value, count]);
        listed += count;
      }
    }
    values.sort((a, b) => b[1] - a[1] || (keyOf(a[0]) < keyOf(b[0]) ? -1 : 1));
    return { values, other: this.#total - listed };
  }
}

/**
 * Draws from a published table: a listed value with probability proportional to its count, or
 * `undefined` (the caller's cue to use its fallback model) with the share of `other`.
 */
export function drawCategorical(table: CategoricalDistributionJson, prng: Prng): ParamValue | undefined {
  return new CategoricalSampler(table).draw(prng);
}

function keyOf(value: ParamValue): string {
  return typeof value === 'string' ? `s${value}` : `${typeof value}:${String(value)}`;
}

/** {@link drawCategorical} for repeated draws from one table: cumulative counts and a binary search. */
export class CategoricalSampler {
  readonly #values: ParamValue[];
  readonly #cumulative: number[];
  readonly #total: number;

  constructor(table: CategoricalDistributionJson) {
    this.#values = table.values.map(([v]) => v);
    this.#cumulative = [];
    let total = 0;
    for (const [, count] of table.values) this.#cumulative.push((total += count));
    this.#total = total + table.other;
  }

  /** True when every draw would be `undefined` (nothing published). */
  get empty(): boolean {
    return this.#values.length === 0;
  }

  /** A listed value, or undefined with the share of `other`. */
  draw(prng: Prng): ParamValue | undefined {
    if (this.#values.length === 0) return undefined;
    const r = prng.next() * this.#total;
    const c = this.#cumulative;
    if (r >= c[c.length - 1]!) return undefined;
    let lo = 0,
      hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (c[mid]! > r) hi = mid;
      else lo = mid + 1;
    }
    return this.#values[lo];
  }
}

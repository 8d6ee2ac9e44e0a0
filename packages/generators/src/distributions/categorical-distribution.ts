import type { ParamValue, Prng } from '@sqltrace/core';

export interface CategoricalDistributionJson {
  /** Values seen at least `minCount` times, with their counts. */
  readonly values: readonly (readonly [ParamValue, number])[];
  /** How many observations had a value that is not listed (rare, or beyond the table's size). */
  readonly other: number;
}

/**
 * Frequencies of discrete values with the privacy rule built in: a value is kept (and can be
 * reproduced) only if it occurred at least `minCount` times. Everything else counts as `other`,
 * whose share a caller fills from a fitted model — never from the literal.
 */
export class CategoricalDistribution {
  readonly #counts = new Map<string, { value: ParamValue; count: number }>();
  readonly #maxDistinct: number;
  #dropped = 0;

  constructor(options: { maxDistinct?: number } = {}) {
    this.#maxDistinct = options.maxDistinct ?? 10_000;
  }

  add(value: ParamValue): void {
    const key = keyOf(value);
    const entry = this.#counts.get(key);
    if (entry !== undefined) entry.count++;
    else if (this.#counts.size < this.#maxDistinct) this.#counts.set(key, { value, count: 1 });
    else this.#dropped++; // bounded memory: new values past the table size count as other
  }

  /** The publishable form: only values seen at least `minCount` times. */
  toJSON(minCount: number): CategoricalDistributionJson {
    const values: [ParamValue, number][] = [];
    let other = this.#dropped;
    for (const { value, count } of this.#counts.values()) {
      if (count >= minCount) values.push([value, count]);
      else other += count;
    }
    values.sort((a, b) => b[1] - a[1] || (keyOf(a[0]) < keyOf(b[0]) ? -1 : 1));
    return { values, other };
  }
}

/**
 * Draws from a published table: a listed value with probability proportional to its count, or
 * `undefined` (the caller's cue to use its fallback model) with the share of `other`.
 */
export function drawCategorical(table: CategoricalDistributionJson, prng: Prng): ParamValue | undefined {
  let total = table.other;
  for (const [, count] of table.values) total += count;
  if (total === 0) return undefined;
  let r = prng.next() * total;
  for (const [value, count] of table.values) {
    r -= count;
    if (r < 0) return value;
  }
  return undefined;
}

function keyOf(value: ParamValue): string {
  return typeof value === 'string' ? `s${value}` : `${typeof value}:${String(value)}`;
}

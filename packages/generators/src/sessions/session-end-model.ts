import type { Prng } from '@sqltrace/core';

/**
 * When sessions end: the hazard P(the session ends after this statement | its template, how many
 * statements it has run). Learned per template and length bucket, it keeps each template's own
 * chance of ending a session *and* the shape of session lengths (which a chain alone turns into
 * geometric tails). Shared by every strategy: the sequence model only picks what comes next.
 */
export interface SessionEndJson {
  /** State index → flat [bucket, ends, continuations, bucket, ends, continuations, …]. */
  readonly byState: Readonly<Record<string, readonly number[]>>;
}

/** Length buckets: 1…7 exactly, then quarter octaves (8–9, 10–11, 12–13, 14–15, 16–19, …). */
export function lengthBucket(length: number): number {
  if (length < 8) return length;
  return Math.min(80, 8 + Math.floor(Math.log2(length / 8) * 4));
}

/** Smoothing weight α: a cell with this many observations counts as much as its prior. */
const MIN_OBSERVATIONS = 5;

export class SessionEndBuilder {
  readonly #byState = new Map<number, Map<number, [number, number]>>();

  /** After the `length`-th statement (template `state`) the session ended or went on. */
  add(state: number, length: number, ended: boolean): void {
    let row = this.#byState.get(state);
    if (row === undefined) this.#byState.set(state, (row = new Map()));
    const bucket = lengthBucket(length);
    let cell = row.get(bucket);
    if (cell === undefined) row.set(bucket, (cell = [0, 0]));
    cell[ended ? 0 : 1]++;
  }

  toJSON(): SessionEndJson {
    const byState: Record<string, number[]> = {};
    for (const [state, row] of [...this.#byState].sort((a, b) => a[0] - b[0])) {
      byState[state] = [...row].sort((a, b) => a[0] - b[0]).flatMap(([bucket, [ends, goes]]) => [bucket, ends, goes]);
    }
    return { byState };
  }
}

export class SessionEndSampler {
  readonly #cells = new Map<number, Map<number, [number, number]>>();
  readonly #stateTotals = new Map<number, [number, number]>();
  readonly #bucketTotals = new Map<number, [number, number]>();
  readonly #overall: [number, number] = [0, 0];
  readonly #phase = new Map<number, number>();

  constructor(json: SessionEndJson) {
    for (const [key, flat] of Object.entries(json.byState)) {
      if (flat.length % 3 !== 0) throw new RangeError(`session ends of state ${key} have a damaged row`);
      const state = Number(key);
      const row = new Map<number, [number, number]>();
      const total: [number, number] = [0, 0];
      for (let i = 0; i < flat.length; i += 3) {
        const bucket = flat[i]!,
          ends = flat[i + 1]!,
          goes = flat[i + 2]!;
        if (!(ends >= 0 && goes >= 0)) throw new RangeError(`session ends of state ${key} hold a negative count`);
        row.set(bucket, [ends, goes]);
        total[0] += ends;
        total[1] += goes;
        const all = this.#bucketTotals.get(bucket) ?? [0, 0];
        this.#bucketTotals.set(bucket, [all[0] + ends, all[1] + goes]);
      }
      this.#cells.set(state, row);
      this.#stateTotals.set(state, total);
      this.#overall[0] += total[0];
      this.#overall[1] += total[1];
    }
  }

  /**
   * Whether a session ends after its `length`-th statement, of template `state`. Sparse cells are
   * smoothed toward their template's overall rate, and a rare template's rate toward the rate of
   * all templates at that length: p = (ends + α·prior) / (n + α), α = 5.
   */
  ends(state: number, length: number, prng: Prng): boolean {
    const bucket = lengthBucket(length);
    const all = this.#bucketTotals.get(bucket) ?? this.#overall;
    const pBucket = all[0] + all[1] > 0 ? all[0] / (all[0] + all[1]) : 1;
    const st = this.#stateTotals.get(state) ?? [0, 0];
    const pState = (st[0] + MIN_OBSERVATIONS * pBucket) / (st[0] + st[1] + MIN_OBSERVATIONS);
    const cell = this.#cells.get(state)?.get(bucket) ?? [0, 0];
    const p = (cell[0] + MIN_OBSERVATIONS * pState) / (cell[0] + cell[1] + MIN_OBSERVATIONS);
    // Systematic sampling per cell: the decisions of one (template, length) cell end sessions at
    // rate p to within one session over the whole run, from a random phase, instead of a coin per
    // decision whose noise would swamp the length distribution of a short run.
    const key = state * 128 + bucket;
    let phase = this.#phase.get(key);
    if (phase === undefined) phase = prng.next();
    phase += p;
    const ends = phase >= 1;
    this.#phase.set(key, ends ? phase - 1 : phase);
    return ends;
  }
}

import type { Prng } from '@sqltrace/core';

/** Session lengths (statements per session) by the session's first template. */
export interface SessionLengthJson {
  /** First state index → flat [length, count, length, count, …]. */
  readonly byStart: Readonly<Record<string, readonly number[]>>;
}

export class SessionLengthBuilder {
  readonly #byStart = new Map<number, Map<number, number>>();

  add(start: number, length: number): void {
    let row = this.#byStart.get(start);
    if (row === undefined) this.#byStart.set(start, (row = new Map()));
    row.set(length, (row.get(length) ?? 0) + 1);
  }

  toJSON(): SessionLengthJson {
    const byStart: Record<string, number[]> = {};
    for (const [start, row] of [...this.#byStart].sort((a, b) => a[0] - b[0])) byStart[start] = [...row].sort((a, b) => a[0] - b[0]).flat();
    return { byStart };
  }
}

/**
 * Target lengths for new sessions. Lengths are dealt from a shuffled deck of the trained lengths
 * (refilled when it runs out), so even a short run reproduces the length distribution closely
 * instead of waiting for the law of large numbers; decks over 100,000 sessions draw i.i.d.
 */
export class SessionLengthSampler {
  readonly #rows = new Map<number, { lengths: number[]; counts: number[]; total: number }>();
  readonly #decks = new Map<number, number[]>();
  readonly #all: { lengths: number[]; counts: number[]; total: number };

  constructor(json: SessionLengthJson) {
    const all = new Map<number, number>();
    for (const [key, flat] of Object.entries(json.byStart)) {
      if (flat.length % 2 !== 0) throw new RangeError(`session lengths of state ${key} have an odd length`);
      const lengths: number[] = [];
      const counts: number[] = [];
      let total = 0;
      for (let i = 0; i < flat.length; i += 2) {
        const length = flat[i]!, count = flat[i + 1]!;
        if (!Number.isInteger(length) || length < 1 || !Number.isInteger(count) || count < 1) throw new RangeError(`session lengths of state ${key} hold an invalid entry`);
        lengths.push(length);
        counts.push(count);
        total += count;
        all.set(length, (all.get(length) ?? 0) + count);
      }
      this.#rows.set(Number(key), { lengths, counts, total });
    }
    const sorted = [...all].sort((a, b) => a[0] - b[0]);
    this.#all = { lengths: sorted.map(([l]) => l), counts: sorted.map(([, c]) => c), total: sorted.reduce((s, [, c]) => s + c, 0) };
  }

  /** A target length for a session that starts with `start`. */
  sample(start: number, prng: Prng): number {
    const row = this.#rows.get(start) ?? this.#all;
    if (row.total === 0) return 1;
    if (row.total > 100_000) return row.lengths[prng.weightedIndex(row.counts)]!;
    let deck = this.#decks.get(start);
    if (deck === undefined || deck.length === 0) {
      deck = [];
      for (let i = 0; i < row.lengths.length; i++) for (let c = 0; c < row.counts[i]!; c++) deck.push(row.lengths[i]!);
      prng.shuffle(deck);
      this.#decks.set(start, deck);
    }
    return deck.pop()!;
  }
}

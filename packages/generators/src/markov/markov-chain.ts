import { type Prng } from '@sqltrace/core';

/** Marks the start of a session in a history and the end of a session as a next state. */
export const START = -1;
export const END = -2;

/** A serialized chain: for each history (states joined by ','), the next states and their counts. */
export interface MarkovChainJson {
  readonly order: number;
  readonly states: number;
  /** history key → flat [state, count, state, count, …] */
  readonly transitions: Readonly<Record<string, readonly number[]>>;
}

interface Row {
  readonly next: number[];
  readonly cumulative: number[];
  total: number;
}

/**
 * An order-k Markov chain over integer states (template indexes) within sessions, with back-off:
 * a history never seen in training falls back to its last k-1 states, down to order 0 (the
 * overall next-state mix). Sessions begin with START padding and finish by drawing END, so session
 * length and start/end states are learned with the transitions.
 */
export class MarkovChain {
  readonly order: number;
  #states: number;
  readonly #counts = new Map<string, Map<number, number>>();
  #rows: Map<string, Row> | undefined;

  constructor(order: number, states: number) {
    if (!Number.isInteger(order) || order < 1 || order > 5) throw new RangeError(`Markov order must be 1…5, got ${order}`);
    this.order = order;
    this.#states = states;
  }

  /** How many states (template indexes) the chain is over. */
  get states(): number {
    return this.#states;
  }

  /** Declares the number of states once it is known (a trainer learns them as it reads). */
  declareStates(states: number): void {
    if (states < this.#states) throw new RangeError(`a chain over ${this.#states} states cannot shrink to ${states}`);
    this.#states = states;
  }

  /** Learns one session's sequence of states (each in [0, states)). */
  addSequence(sequence: readonly number[]): void {
    const history: number[] = [];
    for (const state of sequence) {
      this.observe(history, state);
      history.push(state);
      if (history.length > this.order) history.shift();
    }
    this.observe(history, END);
  }

  /**
   * Learns one transition: `next` (a state or END) after `history` (the session's most recent
   * states, oldest first; fewer than `order` of them at the start of a session).
   */
  observe(history: readonly number[], next: number): void {
    this.#rows = undefined;
    const padded = this.#pad(history);
    // Count the transition under every history length, for back-off.
    for (let k = 0; k <= this.order; k++) {
      const key = historyKey(padded, padded.length, k);
      let row = this.#counts.get(key);
      if (row === undefined) this.#counts.set(key, (row = new Map()));
      row.set(next, (row.get(next) ?? 0) + 1);
    }
  }

  /**
   * Draws the next state among those `allowed` accepts, from the longest history whose row has
   * any allowed mass (back-off), or undefined when no row has any.
   */
  drawAllowed(history: readonly number[], prng: Prng, allowed: (state: number) => boolean): number | undefined {
    const rows = this.#compiled();
    const padded = this.#pad(history);
    for (let k = this.order; k >= 0; k--) {
      const row = rows.get(historyKey(padded, padded.length, k));
      if (row === undefined || row.total === 0) continue;
      let mass = 0;
      for (let j = 0; j < row.next.length; j++) if (allowed(row.next[j]!)) mass += row.cumulative[j]! - (j > 0 ? row.cumulative[j - 1]! : 0);
      if (mass === 0) continue;
      let r = prng.next() * mass;
      for (let j = 0; j < row.next.length; j++) {
        const state = row.next[j]!;
        if (!allowed(state)) continue;
        r -= row.cumulative[j]! - (j > 0 ? row.cumulative[j - 1]! : 0);
        if (r < 0) return state;
      }
      for (let j = row.next.length - 1; j >= 0; j--) if (allowed(row.next[j]!)) return row.next[j]!;
    }
    return undefined;
  }

  #pad(history: readonly number[]): readonly number[] {
    if (history.length === this.order) return history;
    if (history.length > this.order) return history.slice(history.length - this.order);
    return [...new Array<number>(this.order - history.length).fill(START), ...history];
  }

  /** The next state (or END) after `history` (the session so far, most recent last). */
  next(history: readonly number[], prng: Prng): number {
    const rows = this.#compiled();
    const padded = this.#pad(history);
    for (let k = this.order; k >= 0; k--) {
      const row = rows.get(historyKey(padded, padded.length, k));
      if (row !== undefined && row.total > 0) return draw(row, prng);
    }
    return END;
  }

  /** The probability of each next state after `history`, with the same back-off as {@link next}. */
  distribution(history: readonly number[]): Map<number, number> {
    const rows = this.#compiled();
    const padded = this.#pad(history);
    for (let k = this.order; k >= 0; k--) {
      const row = rows.get(historyKey(padded, padded.length, k));
      if (row !== undefined && row.total > 0)
        return new Map(row.next.map((s, j) => [s, (row.cumulative[j]! - (j > 0 ? row.cumulative[j - 1]! : 0)) / row.total]));
    }
    return new Map([[END, 1]]);
  }

  toJSON(): MarkovChainJson {
    const transitions: Record<string, number[]> = {};
    for (const key of [...this.#counts.keys()].sort()) {
      const row = this.#counts.get(key)!;
      transitions[key] = [...row.entries()].sort((a, b) => a[0] - b[0]).flat();
    }
    return { order: this.order, states: this.#states, transitions };
  }

  static fromJSON(json: MarkovChainJson): MarkovChain {
    const chain = new MarkovChain(json.order, json.states);
    for (const [key, flat] of Object.entries(json.transitions)) {
      if (flat.length % 2 !== 0) throw new RangeError(`transition row "${key}" has an odd length`);
      const row = new Map<number, number>();
      for (let j = 0; j < flat.length; j += 2) {
        const state = flat[j]!;
        const count = flat[j + 1]!;
        if (!Number.isInteger(state) || state < END || state >= json.states || !(count > 0))
          throw new RangeError(`transition row "${key}" has an invalid entry`);
        row.set(state, count);
      }
      chain.#counts.set(key, row);
    }
    return chain;
  }

  #compiled(): Map<string, Row> {
    if (this.#rows !== undefined) return this.#rows;
    const rows = new Map<string, Row>();
    for (const [key, counts] of this.#counts) {
      const entries = [...counts.entries()].sort((a, b) => a[0] - b[0]);
      const cumulative: number[] = [];
      let total = 0;
      for (const [, count] of entries) cumulative.push((total += count));
      rows.set(key, { next: entries.map(([s]) => s), cumulative, total });
    }
    return (this.#rows = rows);
  }
}

/** `k` states before position `end` of `sequence`, as a map key ('' for order 0). */
function historyKey(sequence: readonly number[], end: number, k: number): string {
  if (k === 0) return '';
  let key = String(sequence[end - k]);
  for (let i = end - k + 1; i < end; i++) key += ',' + sequence[i];
  return `${k}:${key}`;
}

function draw(row: Row, prng: Prng): number {
  const r = prng.next() * row.total;
  // Binary search over the cumulative counts.
  let lo = 0;
  let hi = row.cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (row.cumulative[mid]! > r) hi = mid;
    else lo = mid + 1;
  }
  return row.next[lo]!;
}

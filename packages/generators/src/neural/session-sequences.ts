import { Prng } from '@sqltrace/core';
import { END } from '../markov/markov-chain';
import type { SequenceLearner, SequenceStep } from '../training/workload-profile-builder';
import { gapBucket } from './gap-bucket';

/** Grows a typed array by doubling. */
function grow<T extends Int32Array | Uint8Array>(array: T, length: number): T {
  if (length < array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(1_024, array.length * 2));
  bigger.set(array);
  return bigger;
}

/**
 * The template sequences of a trace's sessions, for the neural models: collected while the shared
 * profile is built (one template index, one idle-time bucket and one session number per
 * statement, 9 bytes), then grouped by session.
 */
export class SessionSequenceCollector implements SequenceLearner {
  readonly historyLength = 0;
  #states = new Int32Array(1_024);
  #gaps = new Uint8Array(1_024);
  #sessions = new Int32Array(1_024);
  #length = 0;
  #sessionCount = 0;

  observe(_history: readonly number[], next: number, step: SequenceStep): void {
    if (next === END) return;
    const i = this.#length++;
    this.#states = grow(this.#states, this.#length);
    this.#gaps = grow(this.#gaps, this.#length);
    this.#sessions = grow(this.#sessions, this.#length);
    this.#states[i] = next;
    this.#gaps[i] = gapBucket(step.gapUs);
    this.#sessions[i] = step.session;
    if (step.session >= this.#sessionCount) this.#sessionCount = step.session + 1;
  }

  /** The sequences grouped by session (a counting sort: statements keep their order within a session). */
  finish(): SessionSequences {
    const n = this.#length;
    const offsets = new Int32Array(this.#sessionCount + 1);
    for (let i = 0; i < n; i++) offsets[this.#sessions[i]! + 1]!++;
    for (let s = 0; s < this.#sessionCount; s++) offsets[s + 1]! += offsets[s]!;
    const fill = offsets.slice(0, this.#sessionCount);
    const states = new Int32Array(n);
    const gaps = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const at = fill[this.#sessions[i]!]!++;
      states[at] = this.#states[i]!;
      gaps[at] = this.#gaps[i]!;
    }
    return new SessionSequences(states, gaps, offsets);
  }
}

/** Distinct windows are merged up to this many; memory stays bounded on traces without repetition. */
export const MAX_DISTINCT = 2_000_000;

/** Distinct windows as (session, position) of their first occurrence, with their counts. */
export interface Windows {
  readonly session: Int32Array;
  readonly position: Int32Array;
  readonly weight: Float32Array;
  /** Windows before merging. */
  readonly total: number;
}

/** Windows to learn from: each is a position of a session whose next template (or END) is the target. */
export interface WindowBatch {
  /** [size × window] template indexes, left-padded with the PAD token. */
  readonly tokens: Int32Array;
  /** [size × window] idle-time buckets (0 where padded). */
  readonly gaps: Int32Array;
  /** [size] the next template. */
  readonly targets: Int32Array;
  /** [size] how many times each window occurred. */
  readonly weights: Float32Array;
  readonly size: number;
}

/** Sessions' template sequences, stored flat: session s is positions offsets[s] … offsets[s+1]−1. */
export class SessionSequences {
  constructor(
    readonly states: Int32Array,
    readonly gaps: Uint8Array,
    readonly offsets: Int32Array,
  ) {}

  /** The same sequences with every idle bucket but a session's start made 1: for a network without idle input. */
  withoutIdle(): SessionSequences {
    return new SessionSequences(
      this.states,
      this.gaps.map((g) => (g === 0 ? 0 : 1)),
      this.offsets,
    );
  }

  get sessions(): number {
    return this.offsets.length - 1;
  }

  /** For each template, the templates that followed it somewhere in a session (sorted). */
  successors(templates: number): number[][] {
    const seen = Array.from({ length: templates }, () => new Set<number>());
    for (let s = 0; s < this.sessions; s++) {
      for (let i = this.offsets[s]! + 1; i < this.offsets[s + 1]!; i++) seen[this.states[i - 1]!]!.add(this.states[i]!);
    }
    return seen.map((set) => [...set].sort((a, b) => a - b));
  }

  /** How many sessions began with each template. */
  starts(templates: number): number[] {
    const counts = new Array<number>(templates).fill(0);
    for (let s = 0; s < this.sessions; s++) if (this.offsets[s + 1]! > this.offsets[s]!) counts[this.states[this.offsets[s]!]!]!++;
    return counts;
  }

  /**
   * Splits whole sessions into a training and a held-out part (about `fraction` of the sessions,
   * at least one), seeded. Returns the session numbers of each.
   */
  split(fraction: number, seed: string | number): { train: number[]; holdout: number[] } {
    const order = new Prng(seed).fork('holdout').shuffle(Array.from({ length: this.sessions }, (_, s) => s));
    const held = Math.max(1, Math.round(this.sessions * fraction));
    return { train: order.slice(held).sort((a, b) => a - b), holdout: order.slice(0, held).sort((a, b) => a - b) };
  }

  /**
   * The distinct windows of the given sessions, each once with a weight: position p of a session
   * predicts the statement at p (p = 0: the first, from an empty history) from the `window`
   * statements before it. Workloads repeat themselves, so an epoch over the distinct windows sees
   * every pattern for a fraction of the work. (Beyond {@link MAX_DISTINCT} distinct windows,
   * further ones are kept without merging, weight 1.)
   *
   * Weights: a window's count, scaled (when `balance`; held-out windows are not) by 1/√(count of its history). Within one history the
   * targets keep their proportions (the learned next-template distribution is unchanged), but a
   * history seen 10,000 times weighs 100 times one seen once, not 10,000 times: rare histories —
   * a session's first statements, an occasional job — are learned too, instead of drowning in the
   * few loops that make up most of a log.
   *
   * A session's end is not a target: the shared session-end model decides where sessions end,
   * so the network learns what comes next given that the session goes on (as the Markov chain's
   * draws renormalize without END).
   */
  windows(sessions: readonly number[], window: number, balance = true): Windows {
    let total = 0;
    for (const s of sessions) total += this.offsets[s + 1]! - this.offsets[s]!;
    const session = new Int32Array(total);
    const position = new Int32Array(total);
    const weight = new Float32Array(total);
    const context = new Int32Array(total).fill(-1);
    const seen = new Map<string, number>();
    const histories = new Map<string, number>();
    const historyCounts: number[] = [];
    let k = 0;
    for (const s of sessions) {
      const start = this.offsets[s]!;
      const length = this.offsets[s + 1]! - start;
      for (let p = 0; p < length; p++) {
        let history = '';
        for (let i = Math.max(0, p - window); i < p; i++) history += `${this.states[start + i]}.${this.gaps[start + i]},`;
        let h = histories.get(history);
        if (h === undefined && histories.size < MAX_DISTINCT) {
          h = historyCounts.length;
          histories.set(history, h);
          historyCounts.push(0);
        }
        if (h !== undefined) historyCounts[h]!++;
        const key = `${history}|${this.states[start + p]}`;
        const found = seen.get(key);
        if (found !== undefined) {
          weight[found]!++;
          continue;
        }
        if (seen.size < MAX_DISTINCT) seen.set(key, k);
        session[k] = s;
        position[k] = p;
        weight[k] = 1;
        context[k] = h ?? -1;
        k++;
      }
    }
    if (balance) for (let i = 0; i < k; i++) if (context[i]! >= 0) weight[i]! /= Math.sqrt(historyCounts[context[i]!]!);
    return { session: session.subarray(0, k), position: position.subarray(0, k), weight: weight.subarray(0, k), total };
  }

  /** Fills a batch from windows `order[from … from+size)` of `windows`. */
  batch(windows: Windows, order: Int32Array, from: number, size: number, window: number, pad: number): WindowBatch {
    const tokens = new Int32Array(size * window);
    const gaps = new Int32Array(size * window);
    const targets = new Int32Array(size);
    const weights = new Float32Array(size);
    for (let b = 0; b < size; b++) {
      const w = order[from + b]!;
      weights[b] = windows.weight[w]!;
      const session = windows.session[w]!,
        p = windows.position[w]!;
      targets[b] = this.states[this.offsets[session]! + p]!;
      this.encodeWindow(session, p, window, pad, tokens, gaps, b * window);
    }
    return { tokens, gaps, targets, weights, size };
  }

  /**
   * Writes the `window` statements of `session` before `position` at `at` of `tokens` and `gaps`,
   * left-padded with `pad` (gap bucket 0 there): the window a network predicts `position` from.
   */
  encodeWindow(session: number, position: number, window: number, pad: number, tokens: Int32Array, gaps: Int32Array, at: number): void {
    const start = this.offsets[session]!;
    const first = Math.max(0, position - window);
    const offset = window - (position - first);
    tokens.fill(pad, at, at + offset);
    gaps.fill(0, at, at + offset);
    for (let i = first, j = at + offset; i < position; i++, j++) {
      tokens[j] = this.states[start + i]!;
      gaps[j] = this.gaps[start + i]!;
    }
  }
}

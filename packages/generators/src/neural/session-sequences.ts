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

/** Windows to learn from: each is a position of a session whose next template (or END) is the target. */
export interface WindowBatch {
  /** [size × window] template indexes, left-padded with the PAD token. */
  readonly tokens: Int32Array;
  /** [size × window] idle-time buckets (0 where padded). */
  readonly gaps: Int32Array;
  /** [size] the next template. */
  readonly targets: Int32Array;
  readonly size: number;
}

/** Sessions' template sequences, stored flat: session s is positions offsets[s] … offsets[s+1]−1. */
export class SessionSequences {
  constructor(
    readonly states: Int32Array,
    readonly gaps: Uint8Array,
    readonly offsets: Int32Array,
  ) {}

  get sessions(): number {
    return this.offsets.length - 1;
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
   * Every window of the given sessions as (session, position) pairs: position p predicts the
   * statement at p (p = 0: the first, from an empty history). A session's end is not a target:
   * the shared session-end model decides where sessions end, so the network learns what comes
   * next given that the session goes on (as the Markov chain's draws renormalize without END).
   */
  windows(sessions: readonly number[]): { session: Int32Array; position: Int32Array } {
    let total = 0;
    for (const s of sessions) total += this.offsets[s + 1]! - this.offsets[s]!;
    const session = new Int32Array(total);
    const position = new Int32Array(total);
    let k = 0;
    for (const s of sessions) {
      const length = this.offsets[s + 1]! - this.offsets[s]!;
      for (let p = 0; p < length; p++, k++) {
        session[k] = s;
        position[k] = p;
      }
    }
    return { session, position };
  }

  /** Fills a batch from windows `order[from … from+size)` of `windows`. */
  batch(windows: { session: Int32Array; position: Int32Array }, order: Int32Array, from: number, size: number, window: number, pad: number): WindowBatch {
    const tokens = new Int32Array(size * window).fill(pad);
    const gaps = new Int32Array(size * window);
    const targets = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      const w = order[from + b]!;
      const start = this.offsets[windows.session[w]!]!;
      const p = windows.position[w]!;
      targets[b] = this.states[start + p]!;
      const first = Math.max(0, p - window);
      for (let i = first, j = b * window + window - (p - first); i < p; i++, j++) {
        tokens[j] = this.states[start + i]!;
        gaps[j] = this.gaps[start + i]!;
      }
    }
    return { tokens, gaps, targets, size };
  }
}

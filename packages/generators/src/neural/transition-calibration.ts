import { Prng } from '@sqltrace/core';
import type { ProbabilityNetwork } from './lstm-forward';
import type { SessionNetwork } from './session-network';
import type { SessionSequences } from './session-sequences';

/** Probabilities kept for the fit at most (positions × successors): bounds its memory (~32 MB). */
const MAX_VALUES = 4_000_000;
const ITERATIONS = 25;
/** A factor stays within e^±6: a transition the network all but rules out is not forced. */
export const FACTOR_LIMIT = Math.exp(6);

/** A calibration factor kept within ±{@link FACTOR_LIMIT}, to six significant digits (as the model file holds it). */
export function boundedFactor(x: number): number {
  return Number(Math.min(FACTOR_LIMIT, Math.max(1 / FACTOR_LIMIT, x)).toPrecision(6));
}

/**
 * Per-transition factors that make a session network's predictions add up to the trace's own
 * transition counts. Fed the trace's sessions (teacher forcing), a network trained by stochastic
 * gradients predicts, summed over the positions after template a, slightly more or less of each
 * next template b than followed a — and sampling compounds it: sysbench picks one of its tables
 * at random for every statement, and a network that favours one by a few percent shifts the
 * template mix by as much. Sampling draws b after a with p(b | session) · f[a][b]; the factors
 * are fitted by iterative scaling so that Σ p·f / Σ_b p·f over the positions after a equals the
 * count of a → b, for every a and each b seen after it (`successors`, the only ones sampling
 * draws while any is allowed). What the network learnt beyond the previous template — where in
 * the transaction a session is — stays as it predicts it.
 *
 * `predictions` are the network's, position by position, as it reads the trace's sessions.
 * Returns the factors aligned with `successors`.
 */
export function calibrateTransitions(predictions: Iterable<Prediction>, successors: readonly (readonly number[])[]): number[][] {
  const templates = successors.length;
  const column = successors.map((list) => new Map(list.map((b, k) => [b, k])));
  const rows: number[] = []; // previous template of each position
  const values: number[] = []; // p over its successors, concatenated
  const counts = successors.map((list) => new Float64Array(list.length));
  for (const { previous: a, next, p } of predictions) {
    const list = successors[a]!;
    if (values.length + list.length > MAX_VALUES) break;
    rows.push(a);
    for (const b of list) values.push(p[b]!);
    counts[a]![column[a]!.get(next)!]!++;
  }
  const factors = successors.map((list) => new Float64Array(list.length).fill(1));
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const expected = successors.map((list) => new Float64Array(list.length));
    for (let i = 0, at = 0; i < rows.length; i++) {
      const a = rows[i]!,
        f = factors[a]!,
        e = expected[a]!,
        n = f.length;
      let z = 0;
      for (let k = 0; k < n; k++) z += values[at + k]! * f[k]!;
      if (z > 0) for (let k = 0; k < n; k++) e[k]! += (values[at + k]! * f[k]!) / z;
      at += n;
    }
    let change = 0;
    for (let a = 0; a < templates; a++) {
      const f = factors[a]!,
        e = expected[a]!,
        c = counts[a]!;
      for (let k = 0; k < f.length; k++) {
        if (!(e[k]! > 0) || c[k] === 0) continue;
        const next = Math.min(FACTOR_LIMIT, Math.max(1 / FACTOR_LIMIT, f[k]! * (c[k]! / e[k]!)));
        change = Math.max(change, Math.abs(Math.log(next / f[k]!)));
        f[k] = next;
      }
    }
    if (change < 1e-4) break;
  }
  return factors.map((f) => Array.from(f, boundedFactor));
}

/** What a network predicted at one position of a session, and what came. */
export interface Prediction {
  readonly previous: number;
  readonly next: number;
  readonly p: ArrayLike<number>;
}

/** A session network's predictions over the trace's sessions (its state kept as in generation), in a seeded order of sessions. */
export function* sessionPredictions(network: SessionNetwork, sequences: SessionSequences, seed: string | number): Generator<Prediction> {
  const order = new Prng(seed).fork('calibration').shuffle(Array.from({ length: sequences.sessions }, (_, s) => s));
  const p = new Float32Array(network.spec.templates);
  for (const s of order) {
    const from = sequences.offsets[s]!,
      to = sequences.offsets[s + 1]!;
    const state = network.session();
    for (let i = from; i + 1 < to; i++) {
      state.read(sequences.states[i]!, sequences.gaps[i]!, p);
      yield { previous: sequences.states[i]!, next: sequences.states[i + 1]!, p };
    }
  }
}

/**
 * A window network's predictions over the trace's sessions (batched), in a seeded order of
 * sessions, at most `limit` of them (a window network runs at a few thousand windows a second).
 */
export function* windowPredictions(
  network: ProbabilityNetwork,
  sequences: SessionSequences,
  seed: string | number,
  limit = 100_000,
  batch = 512,
): Generator<Prediction> {
  const order = new Prng(seed).fork('calibration').shuffle(Array.from({ length: sequences.sessions }, (_, s) => s));
  const { window, templates } = network.spec;
  const pad = templates + 1;
  const tokens = new Int32Array(batch * window);
  const gaps = new Int32Array(batch * window);
  const pending: { previous: number; next: number }[] = [];
  const flush = function* (): Generator<Prediction> {
    const p = network.probabilities(tokens.subarray(0, pending.length * window), gaps.subarray(0, pending.length * window), pending.length);
    for (let b = 0; b < pending.length; b++) yield { ...pending[b]!, p: p.subarray(b * templates, (b + 1) * templates) };
    pending.length = 0;
  };
  let taken = 0;
  outer: for (const s of order) {
    const start = sequences.offsets[s]!,
      length = sequences.offsets[s + 1]! - start;
    for (let p = 1; p < length; p++) {
      if (taken++ >= limit) break outer;
      // The window before p, as training and the predictor read it.
      sequences.encodeWindow(s, p, window, pad, tokens, gaps, pending.length * window);
      pending.push({ previous: sequences.states[start + p - 1]!, next: sequences.states[start + p]! });
      if (pending.length === batch) yield* flush();
    }
  }
  if (pending.length > 0) yield* flush();
}

import { Prng } from '@sqltrace/core';
import type { LstmForward } from './lstm-forward';
import type { SessionSequences } from './session-sequences';

/** Probabilities kept for the fit at most (positions × successors): bounds its memory (~32 MB). */
const MAX_VALUES = 4_000_000;
const ITERATIONS = 25;
/** A factor stays within e^±6: a transition the network all but rules out is not forced. */
const LIMIT = Math.exp(6);

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
 * Returns the factors aligned with `successors`.
 */
export function calibrateTransitions(network: LstmForward, sequences: SessionSequences, successors: readonly (readonly number[])[], seed: string | number): number[][] {
  const templates = network.spec.templates;
  const column = successors.map((list) => new Map(list.map((b, k) => [b, k])));
  // The positions to fit on: sessions in a seeded order until the memory bound.
  const order = new Prng(seed).fork('calibration').shuffle(Array.from({ length: sequences.sessions }, (_, s) => s));
  const rows: number[] = []; // previous template of each position
  const values: number[] = []; // p over its successors, concatenated
  const counts = successors.map((list) => new Float64Array(list.length));
  const out = new Float32Array(templates);
  outer: for (const s of order) {
    const from = sequences.offsets[s]!, to = sequences.offsets[s + 1]!;
    const state = network.newState();
    for (let i = from; i + 1 < to; i++) {
      const a = sequences.states[i]!;
      network.step(state, a, sequences.gaps[i]!, out);
      const list = successors[a]!;
      if (values.length + list.length > MAX_VALUES) break outer;
      rows.push(a);
      for (const b of list) values.push(out[b]!);
      counts[a]![column[a]!.get(sequences.states[i + 1]!)!]!++;
    }
  }
  const factors = successors.map((list) => new Float64Array(list.length).fill(1));
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const expected = successors.map((list) => new Float64Array(list.length));
    for (let i = 0, at = 0; i < rows.length; i++) {
      const a = rows[i]!, f = factors[a]!, e = expected[a]!, n = f.length;
      let z = 0;
      for (let k = 0; k < n; k++) z += values[at + k]! * f[k]!;
      if (z > 0) for (let k = 0; k < n; k++) e[k]! += (values[at + k]! * f[k]!) / z;
      at += n;
    }
    let change = 0;
    for (let a = 0; a < templates; a++) {
      const f = factors[a]!, e = expected[a]!, c = counts[a]!;
      for (let k = 0; k < f.length; k++) {
        if (!(e[k]! > 0) || c[k] === 0) continue;
        const next = Math.min(LIMIT, Math.max(1 / LIMIT, f[k]! * (c[k]! / e[k]!)));
        change = Math.max(change, Math.abs(Math.log(next / f[k]!)));
        f[k] = next;
      }
    }
    if (change < 1e-4) break;
  }
  return factors.map((f) => Array.from(f, (x) => Number(x.toPrecision(6))));
}

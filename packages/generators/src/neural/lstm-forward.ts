import { addScaled } from './add-scaled';
import { fastSigmoid, fastTanh } from './fast-sigmoid';
import { rowLength, sessionContext, type NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';
import type { SessionNetwork, SessionReader } from './session-network';
import { SessionState } from './session-state';

/** What a predictor needs of a network: next-template probabilities for windows of history. */
export interface ProbabilityNetwork {
  readonly spec: NetworkSpec;
  /** Next-template probabilities for `size` windows, [size × templates] row-major. */
  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array;
  dispose(): void;
}

/**
 * The trained LSTM's forward pass in plain typed arrays: the same computation as
 * {@link LstmNetwork} (one LSTM layer over the window from a zero state — or, a step at a time,
 * through a whole session with {@link LstmForward.step} — gates input, forget,
 * cell, output; a ReLU layer; softmax), without TensorFlow.js. For a network this small, TF.js
 * spends its time dispatching operations, one per gate per step; here a step is the recurrent
 * product and the gates, and the input projection of each (template, idle bucket) pair — the
 * only inputs there are — is computed once and kept.
 */
export class LstmForward implements SessionNetwork {
  readonly spec: NetworkSpec;
  readonly #units: number;
  readonly #embedding: number;
  readonly #tokenEmbedding: Float64Array;
  readonly #gapEmbedding: Float64Array;
  readonly #kernel: Float64Array;
  readonly #recurrent: Float64Array;
  readonly #bias: Float64Array;
  readonly #hiddenKernel: Float64Array;
  readonly #hiddenBias: Float64Array;
  readonly #outputKernel: Float64Array;
  readonly #outputBias: Float64Array;
  /** Input projections (x·K + b, 4·units each) by token × GAP bucket, filled as first met. */
  readonly #projections = new Map<number, Float64Array>();
  readonly #gapBuckets: number;
  // Scratch, reused across windows.
  readonly #state: Float64Array;
  readonly #z: Float64Array;
  readonly #hidden: Float64Array;
  readonly #probabilities: Float64Array;

  constructor(spec: NetworkSpec, weights: NetworkWeights) {
    if (spec.kind !== 'lstm') throw new RangeError(`LstmForward runs LSTM networks, not ${spec.kind}`);
    const get = (name: string): Float64Array => {
      const w = weights.get(name);
      if (w === undefined) throw new RangeError(`the network has no weight "${name}"`);
      return Float64Array.from(w.values);
    };
    this.spec = spec;
    this.#units = spec.units;
    this.#embedding = spec.embedding;
    this.#tokenEmbedding = get('token.embedding');
    this.#gapEmbedding = get('gap.embedding');
    this.#kernel = get('lstm.kernel');
    this.#recurrent = get('lstm.recurrent');
    this.#bias = get('lstm.bias');
    this.#hiddenKernel = get('hidden.kernel');
    this.#hiddenBias = get('hidden.bias');
    this.#outputKernel = get('output.kernel');
    this.#outputBias = get('output.bias');
    this.#gapBuckets = this.#gapEmbedding.length / spec.embedding;
    const u = spec.units;
    this.#state = new Float64Array(2 * u);
    this.#z = new Float64Array(4 * u);
    this.#hidden = new Float64Array(u);
    this.#probabilities = new Float64Array(spec.templates);
  }

  /** Statements in a row of {@link probabilities}: the window, or in session context what training read at once (warm-up and stretch). */
  get rowLength(): number {
    return rowLength(this.spec);
  }

  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array {
    const window = this.rowLength;
    const templates = this.spec.templates;
    const out = new Float32Array(size * templates);
    for (let b = 0; b < size; b++) this.#window(tokens, gaps, b * window, out, b * templates);
    return out;
  }

  dispose(): void {
    this.#projections.clear();
  }

  #projection(token: number, gap: number): Float64Array {
    const key = token * this.#gapBuckets + gap;
    let p = this.#projections.get(key);
    if (p !== undefined) return p;
    const e = this.#embedding,
      g4 = 4 * this.#units;
    p = Float64Array.from(this.#bias);
    const k = this.#kernel;
    for (let i = 0; i < e; i++) {
      const x = this.#tokenEmbedding[token * e + i]! + this.#gapEmbedding[gap * e + i]!;
      if (x === 0) continue;
      addScaled(p, 0, x, k, i * g4, g4);
    }
    this.#projections.set(key, p);
    return p;
  }

  /** A session read through the recurrent state, re-anchored as training read them. */
  session(): SessionReader {
    return new SessionState(this);
  }

  /** A zero recurrent state (h then c), for a session's first step. */
  newState(): Float64Array {
    return new Float64Array(2 * this.#units);
  }

  /**
   * One step of a session: reads a statement (template and idle bucket) into `state` (h then c,
   * updated in place) and, when `out` is given, writes the next-template probabilities there.
   */
  step(state: Float64Array, token: number, gap: number, out?: Float32Array, outAt = 0): void {
    const u = this.#units,
      g4 = 4 * u;
    const z = this.#z,
      r = this.#recurrent;
    z.set(this.#projection(token, gap));
    for (let i = 0; i < u; i++) {
      const hi = state[i]!;
      if (hi !== 0) addScaled(z, 0, hi, r, i * g4, g4);
    }
    for (let j = 0; j < u; j++) {
      const input = fastSigmoid(z[j]!) * fastTanh(z[2 * u + j]!);
      const cell = fastSigmoid(z[u + j]!) * state[u + j]! + input;
      state[u + j] = cell;
      state[j] = fastSigmoid(z[3 * u + j]!) * fastTanh(cell);
    }
    if (out !== undefined) {
      const probabilities = this.#probabilities;
      this.#output(state, probabilities);
      for (let j = 0; j < probabilities.length; j++) out[outAt + j] = probabilities[j]!;
    }
  }

  #window(tokens: Int32Array, gaps: Int32Array, at: number, out: Float32Array, outAt: number): void {
    const state = this.#state;
    state.fill(0);
    const window = this.rowLength;
    // A session network starts from the zero state at a session's first statement: the padding
    // before it is not read (a window network was trained reading it).
    const pad = this.spec.templates + 1;
    let t = 0;
    if (sessionContext(this.spec)) while (t < window - 1 && tokens[at + t] === pad) t++;
    for (; t < window; t++) this.step(state, tokens[at + t]!, gaps[at + t]!, t === window - 1 ? out : undefined, outAt);
  }

  /** The ReLU layer, then logits and softmax, from h (the first `units` values of `state`). */
  #output(h: Float64Array, out: Float64Array): void {
    const u = this.#units;
    const hidden = this.#hidden,
      hk = this.#hiddenKernel;
    hidden.set(this.#hiddenBias);
    for (let i = 0; i < u; i++) {
      const hi = h[i]!;
      if (hi !== 0) addScaled(hidden, 0, hi, hk, i * u, u);
    }
    for (let j = 0; j < u; j++) if (hidden[j]! < 0) hidden[j] = 0;
    const templates = this.spec.templates,
      ok = this.#outputKernel;
    for (let j = 0; j < templates; j++) out[j] = this.#outputBias[j]!;
    for (let i = 0; i < u; i++) {
      const hi = hidden[i]!;
      if (hi !== 0) addScaled(out, 0, hi, ok, i * templates, templates);
    }
    let max = -Infinity;
    for (let j = 0; j < templates; j++) if (out[j]! > max) max = out[j]!;
    let sum = 0;
    for (let j = 0; j < templates; j++) sum += out[j] = Math.exp(out[j]! - max);
    for (let j = 0; j < templates; j++) out[j]! /= sum;
  }
}

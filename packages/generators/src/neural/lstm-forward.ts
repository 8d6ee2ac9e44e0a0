import type { NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';

/** What a predictor needs of a network: next-template probabilities for windows of history. */
export interface ProbabilityNetwork {
  readonly spec: NetworkSpec;
  /** Next-template probabilities for `size` windows, [size × templates] row-major. */
  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array;
  dispose(): void;
}

/**
 * The trained LSTM's forward pass in plain typed arrays: the same computation as
 * {@link LstmNetwork} (one LSTM layer over the window from a zero state, gates input, forget,
 * cell, output; a ReLU layer; softmax), without TensorFlow.js. For a network this small, TF.js
 * spends its time dispatching operations, one per gate per step; here a step is the recurrent
 * product and the gates, and the input projection of each (template, idle bucket) pair — the
 * only inputs there are — is computed once and kept.
 */
export class LstmForward implements ProbabilityNetwork {
  readonly spec: NetworkSpec;
  readonly #units: number;
  readonly #embedding: number;
  readonly #tokenEmbedding: Float32Array;
  readonly #gapEmbedding: Float32Array;
  readonly #kernel: Float32Array;
  readonly #recurrent: Float32Array;
  readonly #bias: Float32Array;
  readonly #hiddenKernel: Float32Array;
  readonly #hiddenBias: Float32Array;
  readonly #outputKernel: Float32Array;
  readonly #outputBias: Float32Array;
  /** Input projections (x·K + b, 4·units each) by token × GAP bucket, filled as first met. */
  readonly #projections = new Map<number, Float32Array>();
  readonly #gapBuckets: number;
  // Scratch, reused across windows.
  readonly #h: Float32Array;
  readonly #c: Float32Array;
  readonly #z: Float32Array;
  readonly #hidden: Float32Array;

  constructor(spec: NetworkSpec, weights: NetworkWeights) {
    if (spec.kind !== 'lstm') throw new RangeError(`LstmForward runs LSTM networks, not ${spec.kind}`);
    const get = (name: string): Float32Array => {
      const w = weights.get(name);
      if (w === undefined) throw new RangeError(`the network has no weight "${name}"`);
      return w.values;
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
    this.#h = new Float32Array(u);
    this.#c = new Float32Array(u);
    this.#z = new Float32Array(4 * u);
    this.#hidden = new Float32Array(u);
  }

  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array {
    const window = this.spec.window;
    const templates = this.spec.templates;
    const out = new Float32Array(size * templates);
    for (let b = 0; b < size; b++) this.#window(tokens, gaps, b * window, out, b * templates);
    return out;
  }

  dispose(): void {
    this.#projections.clear();
  }

  #projection(token: number, gap: number): Float32Array {
    const key = token * this.#gapBuckets + gap;
    let p = this.#projections.get(key);
    if (p !== undefined) return p;
    const e = this.#embedding, g4 = 4 * this.#units;
    p = Float32Array.from(this.#bias);
    const k = this.#kernel;
    for (let i = 0; i < e; i++) {
      const x = this.#tokenEmbedding[token * e + i]! + this.#gapEmbedding[gap * e + i]!;
      if (x === 0) continue;
      const row = i * g4;
      for (let j = 0; j < g4; j++) p[j]! += x * k[row + j]!;
    }
    this.#projections.set(key, p);
    return p;
  }

  #window(tokens: Int32Array, gaps: Int32Array, at: number, out: Float32Array, outAt: number): void {
    const u = this.#units, g4 = 4 * u, window = this.spec.window;
    const h = this.#h, c = this.#c, z = this.#z, r = this.#recurrent;
    h.fill(0);
    c.fill(0);
    for (let t = 0; t < window; t++) {
      z.set(this.#projection(tokens[at + t]!, gaps[at + t]!));
      if (t > 0) {
        for (let i = 0; i < u; i++) {
          const hi = h[i]!;
          if (hi === 0) continue;
          const row = i * g4;
          for (let j = 0; j < g4; j++) z[j]! += hi * r[row + j]!;
        }
      }
      for (let j = 0; j < u; j++) {
        const input = sigmoid(z[j]!) * Math.tanh(z[2 * u + j]!);
        const cell = sigmoid(z[u + j]!) * c[j]! + input;
        c[j] = cell;
        h[j] = sigmoid(z[3 * u + j]!) * Math.tanh(cell);
      }
    }
    // ReLU layer, then logits and softmax.
    const hidden = this.#hidden, hk = this.#hiddenKernel;
    hidden.set(this.#hiddenBias);
    for (let i = 0; i < u; i++) {
      const hi = h[i]!;
      if (hi === 0) continue;
      const row = i * u;
      for (let j = 0; j < u; j++) hidden[j]! += hi * hk[row + j]!;
    }
    for (let j = 0; j < u; j++) if (hidden[j]! < 0) hidden[j] = 0;
    const templates = this.spec.templates, ok = this.#outputKernel;
    for (let j = 0; j < templates; j++) out[outAt + j] = this.#outputBias[j]!;
    for (let i = 0; i < u; i++) {
      const hi = hidden[i]!;
      if (hi === 0) continue;
      const row = i * templates;
      for (let j = 0; j < templates; j++) out[outAt + j]! += hi * ok[row + j]!;
    }
    let max = -Infinity;
    for (let j = 0; j < templates; j++) if (out[outAt + j]! > max) max = out[outAt + j]!;
    let sum = 0;
    for (let j = 0; j < templates; j++) sum += out[outAt + j] = Math.exp(out[outAt + j]! - max);
    for (let j = 0; j < templates; j++) out[outAt + j]! /= sum;
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

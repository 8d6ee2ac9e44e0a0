import { addScaled } from './add-scaled';
import { alibiSlopes } from './alibi';
import { rowLength, sessionContext, type NetworkSpec } from './network-spec';
import type { NetworkWeights } from './network-weights';
import type { SessionNetwork, SessionReader } from './session-network';

/** A block's weights, each matrix [inputs × outputs] as TensorFlow.js keeps it. */
interface Block {
  readonly attentionGamma: Float64Array;
  readonly attentionBeta: Float64Array;
  /** Query, key and value projections side by side, [embedding × 3·embedding]. */
  readonly qkv: Float64Array;
  readonly attentionOutput: Float64Array;
  /** Learned bias per head and distance back, [heads × memory]. */
  readonly distance: Float64Array;
  readonly ffnGamma: Float64Array;
  readonly ffnBeta: Float64Array;
  readonly inner: Float64Array;
  readonly innerBias: Float64Array;
  readonly outer: Float64Array;
  readonly outerBias: Float64Array;
}

/**
 * The trained session transformer's forward pass in plain typed arrays, a statement at a time:
 * the same computation as {@link TransformerNetwork.stepLogits} (causal attention with ALiBi
 * distances, pre-norm blocks, softmax), each statement's keys and values kept per layer for the
 * last `window + window / 2` statements (what a training stretch reads at most). A statement costs
 * its own projections and one attention row, not the window run again — and no TensorFlow.js
 * dispatch, which for a network this small is most of the time.
 */
export class TransformerForward implements SessionNetwork {
  readonly spec: NetworkSpec;
  /** Statements whose keys and values a session keeps. */
  readonly memory: number;
  readonly #width: number;
  readonly #heads: number;
  readonly #headWidth: number;
  readonly #scale: number;
  readonly #slopes: Float64Array;
  readonly #tokenEmbedding: Float64Array;
  readonly #gapEmbedding: Float64Array;
  readonly #blocks: Block[] = [];
  readonly #finalGamma: Float64Array;
  readonly #finalBeta: Float64Array;
  readonly #outputKernel: Float64Array;
  readonly #outputBias: Float64Array;
  /** The first block's query, key and value by token × idle bucket (the only inputs there are), filled as first met. */
  readonly #firstProjections = new Map<number, Float64Array>();
  readonly #gapBuckets: number;
  // Scratch.
  readonly #x: Float64Array;
  readonly #normed: Float64Array;
  readonly #qkv: Float64Array;
  readonly #context: Float64Array;
  readonly #inner: Float64Array;
  readonly #scores: Float64Array;
  readonly #logits: Float64Array;

  constructor(spec: NetworkSpec, weights: NetworkWeights) {
    if (spec.kind !== 'transformer' || !sessionContext(spec)) throw new RangeError('TransformerForward runs session-context transformers');
    const get = (name: string): Float64Array => {
      const w = weights.get(name);
      if (w === undefined) throw new RangeError(`the network has no weight "${name}"`);
      return Float64Array.from(w.values);
    };
    const e = spec.embedding;
    this.spec = spec;
    this.memory = rowLength(spec);
    this.#width = e;
    this.#heads = spec.heads;
    this.#headWidth = e / spec.heads;
    this.#scale = 1 / Math.sqrt(this.#headWidth);
    this.#slopes = alibiSlopes(spec.heads);
    this.#tokenEmbedding = get('token.embedding');
    this.#gapEmbedding = get('gap.embedding');
    for (let l = 0; l < spec.layers; l++) {
      const p = `block${l}.`;
      const [q, k, v] = [get(p + 'attention.query'), get(p + 'attention.key'), get(p + 'attention.value')];
      const qkv = new Float64Array(e * 3 * e);
      for (let i = 0; i < e; i++) {
        qkv.set(q.subarray(i * e, (i + 1) * e), i * 3 * e);
        qkv.set(k.subarray(i * e, (i + 1) * e), i * 3 * e + e);
        qkv.set(v.subarray(i * e, (i + 1) * e), i * 3 * e + 2 * e);
      }
      this.#blocks.push({
        attentionGamma: get(p + 'attention.norm.gamma'),
        attentionBeta: get(p + 'attention.norm.beta'),
        qkv,
        attentionOutput: get(p + 'attention.output'),
        distance: get(p + 'attention.distance'),
        ffnGamma: get(p + 'ffn.norm.gamma'),
        ffnBeta: get(p + 'ffn.norm.beta'),
        inner: get(p + 'ffn.inner'),
        innerBias: get(p + 'ffn.inner.bias'),
        outer: get(p + 'ffn.outer'),
        outerBias: get(p + 'ffn.outer.bias'),
      });
    }
    this.#finalGamma = get('final.norm.gamma');
    this.#finalBeta = get('final.norm.beta');
    this.#outputKernel = get('output.kernel');
    this.#outputBias = get('output.bias');
    this.#gapBuckets = this.#gapEmbedding.length / e;
    this.#x = new Float64Array(e);
    this.#normed = new Float64Array(e);
    this.#qkv = new Float64Array(3 * e);
    this.#context = new Float64Array(e);
    this.#inner = new Float64Array(spec.units);
    this.#scores = new Float64Array(this.memory);
    this.#logits = new Float64Array(spec.templates);
  }

  session(): TransformerSession {
    return new TransformerSession(this);
  }

  /** Next-template probabilities after each row, read from its first statement (padding before it skipped). */
  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array {
    const row = this.memory;
    const templates = this.spec.templates;
    const pad = templates + 1;
    const out = new Float32Array(size * templates);
    const probabilities = new Float32Array(templates);
    for (let b = 0; b < size; b++) {
      const session = this.session();
      let t = 0;
      while (t < row - 1 && tokens[b * row + t] === pad) t++;
      for (; t < row; t++) session.read(tokens[b * row + t]!, gaps[b * row + t]!, t === row - 1 ? probabilities : undefined);
      out.set(probabilities, b * templates);
    }
    return out;
  }

  dispose(): void {
    this.#firstProjections.clear();
  }

  /**
   * Reads statement number `position` of a session into its caches (keys and values per layer,
   * `memory` slots each, slot = position mod memory) and, when `out` is given, writes the
   * next-template probabilities there.
   */
  step(keys: Float64Array[], values: Float64Array[], position: number, token: number, gap: number, out?: Float32Array): void {
    const e = this.#width,
      heads = this.#heads,
      hw = this.#headWidth,
      memory = this.memory;
    const x = this.#x,
      normed = this.#normed,
      qkv = this.#qkv,
      context = this.#context,
      scores = this.#scores;
    for (let i = 0; i < e; i++) x[i] = this.#tokenEmbedding[token * e + i]! + this.#gapEmbedding[gap * e + i]!;
    const slot = position % memory;
    const seen = Math.min(position + 1, memory);
    for (let l = 0; l < this.#blocks.length; l++) {
      const block = this.#blocks[l]!;
      if (l === 0) qkv.set(this.#firstProjection(token, gap));
      else this.#project(x, block, qkv);
      const k = keys[l]!,
        v = values[l]!;
      k.set(qkv.subarray(e, 2 * e), slot * e);
      v.set(qkv.subarray(2 * e, 3 * e), slot * e);
      context.fill(0);
      for (let h = 0; h < heads; h++) {
        const offset = h * hw,
          slope = this.#slopes[h]!,
          learned = h * memory;
        let max = -Infinity;
        // m statements back: position − m, in slot (position − m) mod memory.
        for (let m = 0; m < seen; m++) {
          const at = ((position - m) % memory) * e + offset;
          let dot = 0;
          for (let j = 0; j < hw; j++) dot += qkv[offset + j]! * k[at + j]!;
          const score = dot * this.#scale - slope * m + block.distance[learned + m]!;
          scores[m] = score;
          if (score > max) max = score;
        }
        let sum = 0;
        for (let m = 0; m < seen; m++) sum += scores[m] = Math.exp(scores[m]! - max);
        for (let m = 0; m < seen; m++) addScaled(context, offset, scores[m]! / sum, v, ((position - m) % memory) * e + offset, hw);
      }
      for (let i = 0; i < e; i++) {
        const c = context[i]!;
        if (c !== 0) addScaled(x, 0, c, block.attentionOutput, i * e, e);
      }
      // The feed-forward half, with its residual.
      layerNorm(x, block.ffnGamma, block.ffnBeta, normed);
      const inner = this.#inner,
        f = inner.length;
      inner.set(block.innerBias);
      for (let i = 0; i < e; i++) addScaled(inner, 0, normed[i]!, block.inner, i * f, f);
      for (let i = 0; i < e; i++) x[i]! += block.outerBias[i]!;
      // ReLU: only the positive units add to the output.
      for (let i = 0; i < f; i++) {
        const a = inner[i]!;
        if (a > 0) addScaled(x, 0, a, block.outer, i * e, e);
      }
    }
    if (out === undefined) return;
    layerNorm(x, this.#finalGamma, this.#finalBeta, normed);
    const templates = this.spec.templates,
      logits = this.#logits;
    logits.set(this.#outputBias);
    for (let i = 0; i < e; i++) addScaled(logits, 0, normed[i]!, this.#outputKernel, i * templates, templates);
    let max = -Infinity;
    for (let j = 0; j < templates; j++) if (logits[j]! > max) max = logits[j]!;
    let sum = 0;
    for (let j = 0; j < templates; j++) sum += logits[j] = Math.exp(logits[j]! - max);
    for (let j = 0; j < templates; j++) out[j] = logits[j]! / sum;
  }

  /** The block's query, key and value of `x`, side by side. */
  #project(x: Float64Array, block: Block, qkv: Float64Array): void {
    const e = this.#width,
      normed = this.#normed;
    layerNorm(x, block.attentionGamma, block.attentionBeta, normed);
    qkv.fill(0);
    for (let i = 0; i < e; i++) addScaled(qkv, 0, normed[i]!, block.qkv, i * 3 * e, 3 * e);
  }

  #firstProjection(token: number, gap: number): Float64Array {
    const key = token * this.#gapBuckets + gap;
    let qkv = this.#firstProjections.get(key);
    if (qkv === undefined) {
      qkv = new Float64Array(3 * this.#width);
      this.#project(this.#x, this.#blocks[0]!, qkv);
      this.#firstProjections.set(key, qkv);
    }
    return qkv;
  }
}

/** A session's keys and values in a {@link TransformerForward}: the last `memory` statements per layer. */
export class TransformerSession implements SessionReader {
  readonly #network: TransformerForward;
  readonly #keys: Float64Array[];
  readonly #values: Float64Array[];
  #position = 0;

  constructor(network: TransformerForward) {
    this.#network = network;
    const size = network.memory * network.spec.embedding;
    this.#keys = Array.from({ length: network.spec.layers }, () => new Float64Array(size));
    this.#values = Array.from({ length: network.spec.layers }, () => new Float64Array(size));
  }

  read(token: number, bucket: number, out?: Float32Array): void {
    this.#network.step(this.#keys, this.#values, this.#position++, token, bucket, out);
  }
}

/** out = (x − mean) / √(variance + 1e-5) · gamma + beta. */
function layerNorm(x: Float64Array, gamma: Float64Array, beta: Float64Array, out: Float64Array): void {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (x[i]! - mean) ** 2;
  const scale = 1 / Math.sqrt(variance / n + 1e-5);
  for (let i = 0; i < n; i++) out[i] = (x[i]! - mean) * scale * gamma[i]! + beta[i]!;
}

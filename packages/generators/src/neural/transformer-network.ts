import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import { alibiSlopes } from './alibi';
import { rowLength, sessionContext } from './network-spec';
import { SequenceNetwork } from './sequence-network';

/** What a masked attention score is set to (not −∞: a query with nothing to attend to stays finite). */
const MASKED = -1e9;

/**
 * A pre-norm transformer encoder (multi-head self-attention, ReLU feed-forward).
 *
 * Window context: learned positions over the window, every position attending to every other;
 * only the last position's output predicts, so the last block computes attention for that one
 * query. Session context: causal attention with ALiBi distances instead of positions, and a
 * prediction at every position — a statement's keys and values depend on it and what came
 * before only, so generation keeps them (a key/value cache) and runs one position per statement
 * ({@link TransformerForward}).
 */
export class TransformerNetwork extends SequenceNetwork {
  readonly #biases = new Map<number, { fixed: Tensor; distances: Tensor2D }>();

  logits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    if (sessionContext(this.spec)) {
      const [batch, length] = tokens.shape;
      const last = this.tf.tensor1d(
        Array.from({ length: batch }, (_, b) => b * length + length - 1),
        'int32',
      );
      return this.tf.gather(this.stepLogits(tokens, gaps), last) as Tensor2D;
    }
    return this.#windowLogits(tokens, gaps);
  }

  /** Logits at every position of each row, [batch·length × templates] (session context). */
  override stepLogits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const tf = this.tf;
    const [batch, length] = tokens.shape;
    const width = this.spec.embedding;
    const heads = this.spec.heads;
    const headWidth = width / heads;
    const scale = 1 / Math.sqrt(headWidth);
    // Causal ALiBi biases [heads × length × length], and padding (before a session's first
    // statement, when scoring a left-padded history) never attended to.
    const pad = tf.mul(tf.cast(tf.equal(tokens, this.spec.templates + 1), 'float32'), MASKED).reshape([batch, 1, 1, length]);
    const { fixed, distances } = this.#causalBias(length);
    const masked = tf.add(fixed, pad);
    let x: Tensor2D = this.embed(tokens, gaps);
    for (let l = 0; l < this.spec.layers; l++) {
      const p = `block${l}.`;
      const normed = this.#norm(x, p + 'attention.norm') as Tensor2D;
      const split = (t: Tensor2D) => t.reshape([batch, length, heads, headWidth]).transpose([0, 2, 1, 3]);
      const q = split(tf.matMul(normed, this.weight(p + 'attention.query')));
      const keys = split(tf.matMul(normed, this.weight(p + 'attention.key')));
      const values = split(tf.matMul(normed, this.weight(p + 'attention.value')));
      // The block's learned bias for each distance, laid out [heads × length × length] by a one-hot product.
      const learned = tf.matMul(this.weight(p + 'attention.distance'), distances).reshape([heads, length, length]);
      const attention = tf.softmax(tf.add(tf.add(tf.mul(tf.matMul(q, keys, false, true), scale), learned), masked));
      const context = tf
        .matMul(attention, values)
        .transpose([0, 2, 1, 3])
        .reshape([batch * length, width]) as Tensor2D;
      x = this.#feedForward(tf.add(x, tf.matMul(context, this.weight(p + 'attention.output'))), p);
    }
    return this.#output(x);
  }

  #windowLogits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const tf = this.tf;
    const [batch, window] = tokens.shape;
    const width = this.spec.embedding;
    const heads = this.spec.heads;
    const headWidth = width / heads;
    const scale = 1 / Math.sqrt(headWidth);
    let x: Tensor = tf.add(this.embed(tokens, gaps).reshape([batch, window, width]), this.weight('position.embedding'));
    for (let l = 0; l < this.spec.layers; l++) {
      const p = `block${l}.`;
      const last = l === this.spec.layers - 1;
      const queries = last ? 1 : window;
      const normed = this.#norm(x, p + 'attention.norm');
      const flat = normed.reshape([batch * window, width]) as Tensor2D;
      const split = (t: Tensor2D, rows: number) => t.reshape([batch, rows, heads, headWidth]).transpose([0, 2, 1, 3]);
      const keys = split(tf.matMul(flat, this.weight(p + 'attention.key')), window);
      const values = split(tf.matMul(flat, this.weight(p + 'attention.value')), window);
      const queryInput = last ? (normed.slice([0, window - 1, 0], [batch, 1, width]).reshape([batch, width]) as Tensor2D) : flat;
      const q = split(tf.matMul(queryInput, this.weight(p + 'attention.query')), queries);
      const attention = tf.softmax(tf.mul(tf.matMul(q, keys, false, true), scale));
      const context = tf
        .matMul(attention, values)
        .transpose([0, 2, 1, 3])
        .reshape([batch * queries, width]) as Tensor2D;
      const residual = (last ? x.slice([0, window - 1, 0], [batch, 1, width]) : x).reshape([batch * queries, width]) as Tensor2D;
      const y = this.#feedForward(tf.add(residual, tf.matMul(context, this.weight(p + 'attention.output'))), p);
      x = last ? y : (y.reshape([batch, window, width]) as Tensor3D);
    }
    return this.#output(x as Tensor2D);
  }

  /** The block's feed-forward half, with its residual. */
  #feedForward(y: Tensor2D, p: string): Tensor2D {
    const tf = this.tf;
    const inner = tf.relu(
      tf.add(tf.matMul(this.#norm(y, p + 'ffn.norm') as Tensor2D, this.weight(p + 'ffn.inner')), this.weight(p + 'ffn.inner.bias')),
    ) as Tensor2D;
    return tf.add(y, tf.add(tf.matMul(inner, this.weight(p + 'ffn.outer')), this.weight(p + 'ffn.outer.bias')));
  }

  #output(x: Tensor2D): Tensor2D {
    const tf = this.tf;
    return tf.add(tf.matMul(this.#norm(x, 'final.norm') as Tensor2D, this.weight('output.kernel')), this.weight('output.bias'));
  }

  /**
   * For rows of `length`: −slope·(i − j) where key j is at or before query i, masked after
   * ([heads × length × length]); and which distance each (i, j) is, one-hot ([memory × length²],
   * distances from the memory on counted as the last) — kept per row length.
   */
  #causalBias(length: number): { fixed: Tensor; distances: Tensor2D } {
    let bias = this.#biases.get(length);
    if (bias === undefined) {
      const heads = this.spec.heads;
      const memory = rowLength(this.spec);
      const slopes = alibiSlopes(heads);
      const values = new Float32Array(heads * length * length);
      const distances = new Float32Array(memory * length * length);
      for (let i = 0; i < length; i++) {
        for (let j = 0; j < length; j++) {
          for (let h = 0; h < heads; h++) values[(h * length + i) * length + j] = j <= i ? -slopes[h]! * (i - j) : MASKED;
          if (j <= i) distances[Math.min(i - j, memory - 1) * length * length + i * length + j] = 1;
        }
      }
      bias = {
        fixed: this.tf.keep(this.tf.tensor3d(values, [heads, length, length])),
        distances: this.tf.keep(this.tf.tensor2d(distances, [memory, length * length])),
      };
      this.#biases.set(length, bias);
    }
    return bias;
  }

  #norm(x: Tensor, name: string): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), this.weight(name + '.gamma')), this.weight(name + '.beta'));
  }

  override dispose(): void {
    for (const b of this.#biases.values()) {
      b.fixed.dispose();
      b.distances.dispose();
    }
    this.#biases.clear();
    super.dispose();
  }
}

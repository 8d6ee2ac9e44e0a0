import type { Tensor, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import { SequenceNetwork } from './sequence-network';

/**
 * A pre-norm transformer encoder over the window (learned positions, multi-head self-attention,
 * ReLU feed-forward). Only the last position's output predicts, so the last block computes
 * attention for that one query.
 */
export class TransformerNetwork extends SequenceNetwork {
  logits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
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
      const context = tf.matMul(attention, values).transpose([0, 2, 1, 3]).reshape([batch * queries, width]) as Tensor2D;
      const residual = (last ? x.slice([0, window - 1, 0], [batch, 1, width]) : x).reshape([batch * queries, width]);
      let y: Tensor2D = tf.add(residual, tf.matMul(context, this.weight(p + 'attention.output')));
      const inner = tf.relu(tf.add(tf.matMul(this.#norm(y, p + 'ffn.norm') as Tensor2D, this.weight(p + 'ffn.inner')), this.weight(p + 'ffn.inner.bias'))) as Tensor2D;
      y = tf.add(y, tf.add(tf.matMul(inner, this.weight(p + 'ffn.outer')), this.weight(p + 'ffn.outer.bias')));
      x = last ? y : (y.reshape([batch, window, width]) as Tensor3D);
    }
    return tf.add(tf.matMul(this.#norm(x, 'final.norm') as Tensor2D, this.weight('output.kernel')), this.weight('output.bias'));
  }

  #norm(x: Tensor, name: string): Tensor {
    const tf = this.tf;
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), this.weight(name + '.gamma')), this.weight(name + '.beta'));
  }
}

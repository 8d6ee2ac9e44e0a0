import type { Tensor2D } from '@tensorflow/tfjs';
import { SequenceNetwork } from './sequence-network';

/** One LSTM layer over the window (gates in the order input, forget, cell, output), a ReLU layer, then softmax. */
export class LstmNetwork extends SequenceNetwork {
  logits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const states = this.#unroll(tokens, gaps, false);
    return this.#output(states[states.length - 1]!);
  }

  /**
   * Logits after every step of each row, [batch·length × templates] (row-major: row b's steps
   * together), each row run from a zero state: what the network predicts at each position when it
   * carries its state through a session.
   */
  override stepLogits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const tf = this.tf;
    const [batch, length] = tokens.shape;
    const states = this.#unroll(tokens, gaps, true);
    const all = tf.stack(states, 1).reshape([batch * length, this.spec.units]) as Tensor2D;
    return this.#output(all);
  }

  /** The hidden state after each step (all of them, or only the last). */
  #unroll(tokens: Tensor2D, gaps: Tensor2D, every: boolean): Tensor2D[] {
    const tf = this.tf;
    const [batch, length] = tokens.shape;
    const units = this.spec.units;
    // The input projection of every step at once; only the recurrence is sequential.
    const inputs = tf.add(tf.matMul(this.embed(tokens, gaps), this.weight('lstm.kernel')), this.weight('lstm.bias'));
    const steps = tf.unstack(inputs.reshape([batch, length, 4 * units]), 1) as Tensor2D[];
    const recurrent = this.weight('lstm.recurrent');
    const out: Tensor2D[] = [];
    let h: Tensor2D | undefined;
    let c: Tensor2D | undefined;
    for (const step of steps) {
      const z = h === undefined ? step : tf.add(step, tf.matMul(h, recurrent));
      const [i, f, g, o] = tf.split(z, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
      const input: Tensor2D = tf.mul(tf.sigmoid(i), tf.tanh(g));
      const cell: Tensor2D = c === undefined ? input : (tf.add(tf.mul(tf.sigmoid(f), c), input) as Tensor2D);
      c = cell;
      h = tf.mul(tf.sigmoid(o), tf.tanh(cell)) as Tensor2D;
      if (every) out.push(h);
    }
    if (!every) out.push(h!);
    return out;
  }

  #output(h: Tensor2D): Tensor2D {
    const tf = this.tf;
    const hidden = tf.relu(tf.add(tf.matMul(h, this.weight('hidden.kernel')), this.weight('hidden.bias'))) as Tensor2D;
    return tf.add(tf.matMul(hidden, this.weight('output.kernel')), this.weight('output.bias'));
  }
}

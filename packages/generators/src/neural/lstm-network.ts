import type { Tensor2D } from '@tensorflow/tfjs';
import { SequenceNetwork } from './sequence-network';

/** One LSTM layer over the window (gates in the order input, forget, cell, output), a ReLU layer, then softmax. */
export class LstmNetwork extends SequenceNetwork {
  logits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const tf = this.tf;
    const [batch, window] = tokens.shape;
    const units = this.spec.units;
    // The input projection of every step at once; only the recurrence is sequential.
    const inputs = tf.add(tf.matMul(this.embed(tokens, gaps), this.weight('lstm.kernel')), this.weight('lstm.bias'));
    const steps = tf.unstack(inputs.reshape([batch, window, 4 * units]), 1) as Tensor2D[];
    const recurrent = this.weight('lstm.recurrent');
    let h: Tensor2D | undefined;
    let c: Tensor2D | undefined;
    for (const step of steps) {
      const z = h === undefined ? step : tf.add(step, tf.matMul(h, recurrent));
      const [i, f, g, o] = tf.split(z, 4, 1) as [Tensor2D, Tensor2D, Tensor2D, Tensor2D];
      const input: Tensor2D = tf.mul(tf.sigmoid(i), tf.tanh(g));
      const cell: Tensor2D = c === undefined ? input : (tf.add(tf.mul(tf.sigmoid(f), c), input) as Tensor2D);
      c = cell;
      h = tf.mul(tf.sigmoid(o), tf.tanh(cell)) as Tensor2D;
    }
    const hidden = tf.relu(tf.add(tf.matMul(h!, this.weight('hidden.kernel')), this.weight('hidden.bias'))) as Tensor2D;
    return tf.add(tf.matMul(hidden, this.weight('output.kernel')), this.weight('output.bias'));
  }
}

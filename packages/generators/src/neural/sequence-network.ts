import type { GradSaveFunc, Tensor, Tensor1D, Tensor2D, Variable } from '@tensorflow/tfjs';
import type { NetworkSpec } from './network-spec';
import type { NetworkWeights, WeightTensor } from './network-weights';
import type { TensorFlow } from './tensorflow-backend';

/**
 * A next-template network over a window of previous statements (template + idle-time bucket).
 * Embedding lookups are a gather whose gradient is a one-hot product: TensorFlow.js's own gather
 * gradient needs UnsortedSegmentSum, which the WebAssembly backend lacks.
 */
export abstract class SequenceNetwork {
  readonly #variables = new Map<string, Variable>();
  readonly #gather: (table: Tensor, indices: Tensor) => Tensor2D;

  constructor(
    protected readonly tf: TensorFlow,
    readonly spec: NetworkSpec,
    weights: NetworkWeights,
  ) {
    // In a tidy: the variables stay, the tensors made to fill them go.
    tf.tidy(() => {
      for (const [name, { shape, values }] of weights) this.#variables.set(name, tf.variable(tf.tensor(values, [...shape], 'float32'), true));
    });
    this.#gather = tf.customGrad((...args: (Tensor | GradSaveFunc)[]) => {
      const [table, indices, save] = args as [Tensor2D, Tensor1D, GradSaveFunc];
      const t = table;
      save([indices]);
      return {
        value: tf.gather(t, indices as Tensor1D) as Tensor2D,
        gradFunc: (dy, saved) => {
          const rows = saved[0] as Tensor1D;
          return [tf.matMul(tf.oneHot(rows, t.shape[0]).toFloat(), dy as Tensor2D, true, false), tf.zerosLike(rows)];
        },
      };
    }) as (table: Tensor, indices: Tensor) => Tensor2D;
  }

  /** Logits over the templates ([batch × templates]) for windows of tokens and gap buckets ([batch × window], int32). */
  abstract logits(tokens: Tensor2D, gaps: Tensor2D): Tensor2D;

  /** Session context: logits at every position of each row, [batch·length × templates], each row read from its start. */
  stepLogits?(tokens: Tensor2D, gaps: Tensor2D): Tensor2D;

  protected weight(name: string): Variable {
    const v = this.#variables.get(name);
    if (v === undefined) throw new RangeError(`the network has no weight "${name}"`);
    return v;
  }

  /** Token plus idle-time embeddings, [batch·window × embedding]. */
  protected embed(tokens: Tensor2D, gaps: Tensor2D): Tensor2D {
    const tf = this.tf;
    return tf.add(this.#gather(this.weight('token.embedding'), tokens.flatten()), this.#gather(this.weight('gap.embedding'), gaps.flatten()));
  }

  /** Next-template probabilities for `size` windows, [size × templates] row-major. */
  probabilities(tokens: Int32Array, gaps: Int32Array, size: number): Float32Array {
    const tf = this.tf;
    const w = this.spec.window;
    return tf.tidy(() => tf.softmax(this.logits(tf.tensor2d(tokens, [size, w], 'int32'), tf.tensor2d(gaps, [size, w], 'int32'))).dataSync() as Float32Array);
  }

  variables(): Variable[] {
    return [...this.#variables.values()];
  }

  /** A copy of the current weights. */
  snapshot(): NetworkWeights {
    const copy = new Map<string, WeightTensor>();
    for (const [name, v] of this.#variables) copy.set(name, { shape: v.shape, values: Float32Array.from(v.dataSync() as Float32Array) });
    return copy;
  }

  restore(weights: NetworkWeights): void {
    // In a tidy: a variable keeps the assigned values, the tensor made to carry them goes.
    this.tf.tidy(() => {
      for (const [name, { shape, values }] of weights) this.weight(name).assign(this.tf.tensor(values, [...shape], 'float32'));
    });
  }

  dispose(): void {
    for (const v of this.#variables.values()) v.dispose();
    this.#variables.clear();
  }
}

import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { sessionContext, warmUp, type NetworkSpec } from './network-spec';
import type { SequenceNetwork } from './sequence-network';
import { segmentBatch, sessionSegments, type Segments } from './session-segments';
import type { SessionSequences, Windows } from './session-sequences';
import type { TensorFlow } from './tensorflow-backend';

/** A batch of examples, ready to train on or score. */
export interface TrainingBatch {
  /** Examples in it. */
  readonly size: number;
  /** Predictions it scores (one per window; up to a stretch's length per session stretch). */
  readonly predictions: number;
  /** The mean cross-entropy to minimise. */
  loss(): Scalar;
  /** Summed cross-entropy, correct top-1 predictions and the weight they were counted with. */
  score(): { loss: number; hits: number; weight: number };
}

/** What a network learns from: windows (window context) or session stretches (session context). */
export interface TrainingExamples {
  /** Examples to draw batches from (distinct windows, or stretches). */
  readonly count: number;
  /** Predictions they hold as the trace had them (windows before merging; statements with a successor). */
  readonly predictions: number;
  /** Examples in an epoch of at most `limit` windows (a stretch of a session counts as one). */
  perEpoch(limit: number): number;
  batch(order: Int32Array, from: number, size: number): TrainingBatch;
}

/** The examples of `sessions` for the network's context; held-out ones (`balance` false) keep their plain counts. */
export function trainingExamples(
  tf: TensorFlow,
  network: SequenceNetwork,
  sequences: SessionSequences,
  sessions: readonly number[],
  balance: boolean,
): TrainingExamples {
  const { window, templates } = network.spec;
  const pad = templates + 1;
  if (sessionContext(network.spec)) {
    const stepLogits = network.stepLogits?.bind(network);
    if (stepLogits === undefined) throw new RangeError(`a ${network.spec.kind} network does not read whole sessions`);
    return segmentExamples(tf, network.spec, stepLogits, sequences, sessionSegments(sequences, sessions, window, warmUp(network.spec)), pad);
  }
  return windowExamples(tf, network, sequences, sequences.windows(sessions, window, balance), pad);
}

function windowExamples(tf: TensorFlow, network: SequenceNetwork, sequences: SessionSequences, windows: Windows, pad: number): TrainingExamples {
  const { window, templates } = network.spec;
  return {
    count: windows.session.length,
    predictions: windows.total,
    perEpoch: (limit) => Math.min(limit, windows.total),
    batch(order, from, size) {
      const b = sequences.batch(windows, order, from, size, window, pad);
      const logits = () => network.logits(tf.tensor2d(b.tokens, [b.size, window], 'int32'), tf.tensor2d(b.gaps, [b.size, window], 'int32'));
      let weight = 0;
      for (const w of b.weights) weight += w;
      return {
        size: b.size,
        predictions: b.size,
        loss: () => tf.div(tf.sum(tf.mul(crossEntropy(tf, logits(), b.targets, templates), tf.tensor1d(b.weights))), weight),
        score: () => scoreOf(tf, logits(), b.targets, b.weights, templates, weight),
      };
    },
  };
}

function segmentExamples(
  tf: TensorFlow,
  spec: NetworkSpec,
  stepLogits: (tokens: Tensor2D, gaps: Tensor2D) => Tensor2D,
  sequences: SessionSequences,
  segments: Segments,
  pad: number,
): TrainingExamples {
  const { templates } = spec;
  const count = segments.session.length;
  return {
    count,
    predictions: segments.targets,
    perEpoch: (limit) => Math.min(count, limit),
    batch(order, from, size) {
      const b = segmentBatch(sequences, segments, order, from, size, pad);
      const logits = () => stepLogits(tf.tensor2d(b.tokens, [b.size, b.length], 'int32'), tf.tensor2d(b.gaps, [b.size, b.length], 'int32'));
      return {
        size: b.size,
        predictions: b.scored,
        loss: () => tf.div(tf.sum(tf.mul(crossEntropy(tf, logits(), b.targets, templates), tf.tensor1d(b.mask))), Math.max(b.scored, 1)),
        score: () => scoreOf(tf, logits(), b.targets, b.mask, templates, b.scored),
      };
    },
  };
}

/** −ln p(target) per row. */
function crossEntropy(tf: TensorFlow, logits: Tensor2D, targets: Int32Array, templates: number) {
  return tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(targets, 'int32'), templates), tf.logSoftmax(logits)), 1));
}

function scoreOf(
  tf: TensorFlow,
  logits: Tensor2D,
  targets: Int32Array,
  weights: Float32Array,
  templates: number,
  weight: number,
): { loss: number; hits: number; weight: number } {
  return tf.tidy(() => {
    const w = tf.tensor1d(weights);
    const t = tf.tensor1d(targets, 'int32');
    const correct = tf.cast(tf.equal(tf.argMax(logits, 1), t), 'float32');
    return {
      loss: tf.sum(tf.mul(crossEntropy(tf, logits, targets, templates), w)).dataSync()[0]!,
      hits: tf.sum(tf.mul(correct, w)).dataSync()[0]!,
      weight,
    };
  });
}

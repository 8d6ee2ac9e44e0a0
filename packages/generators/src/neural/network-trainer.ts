import { Prng, StbError } from '@sqltrace/core';
import type { SequenceNetwork } from './sequence-network';
import type { Scalar } from '@tensorflow/tfjs';
import type { SessionSequences, WindowBatch } from './session-sequences';
import type { TensorFlow } from './tensorflow-backend';

export interface NetworkTrainingSettings {
  /** Passes over the training windows at most (default 10). */
  readonly epochs?: number;
  /** Windows per gradient step (default 128; the WebAssembly backend runs fastest per window at 256–512). */
  readonly batchSize?: number;
  /** Adam's learning rate (default 0.003; the strategies set their own). */
  readonly learningRate?: number;
  /** At most this many windows per epoch, drawn afresh each epoch from the distinct ones (default 20,000). */
  readonly windowsPerEpoch?: number;
  /** Stop after this many epochs without a better held-out loss (default 2). */
  readonly patience?: number;
  /** Share of sessions held out for early stopping (default 0.1, at least one session). */
  readonly holdout?: number;
  readonly seed?: string | number;
  readonly signal?: AbortSignal;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Windows done in this epoch, and in it all. */
  readonly done: number;
  readonly total: number;
  readonly loss: number;
  readonly sequencesPerSecond: number;
  /** Seconds left if every remaining epoch runs. */
  readonly etaSeconds: number;
}

export interface EpochReport {
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly sequencesPerSecond: number;
  readonly seconds: number;
  /** The held-out loss is the best so far (these weights are kept). */
  readonly improved: boolean;
}

export interface NetworkTrainingSummary {
  readonly epochs: number;
  readonly bestEpoch: number;
  readonly stoppedEarly: boolean;
  readonly trainSessions: number;
  readonly holdoutSessions: number;
  /** Training windows (one per statement of the training sessions), and how many of them differ. */
  readonly trainWindows: number;
  readonly distinctTrainWindows: number;
  readonly holdoutWindows: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  /** Training windows per second over all epochs. */
  readonly sequencesPerSecond: number;
  readonly seconds: number;
}

export interface TrainingCallbacks {
  readonly onBatch?: (progress: BatchProgress) => void;
  readonly onEpoch?: (report: EpochReport) => void;
}

const VALIDATION_WINDOWS = 5_000;
const EVALUATION_BATCH = 512;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new StbError('E_USAGE', `--${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/**
 * Trains a network to predict each session's next template from the window before it, with Adam on mini-batches, keeping the weights of the epoch with the best loss on held-out
 * sessions and stopping when that loss stops improving.
 */
export async function trainNetwork(tf: TensorFlow, network: SequenceNetwork, sequences: SessionSequences, settings: NetworkTrainingSettings = {}, callbacks: TrainingCallbacks = {}): Promise<NetworkTrainingSummary> {
  const epochs = positiveInteger('epochs', settings.epochs ?? 10);
  const batchSize = positiveInteger('batch-size', settings.batchSize ?? 256);
  const perEpoch = positiveInteger('windows-per-epoch', settings.windowsPerEpoch ?? 20_000);
  const patience = positiveInteger('patience', settings.patience ?? 2);
  const learningRate = settings.learningRate ?? 0.003;
  if (!(learningRate > 0 && learningRate < 1)) throw new StbError('E_USAGE', `--learning-rate must be between 0 and 1, got ${learningRate}`);
  const seed = settings.seed ?? 1;
  const { window, templates } = network.spec;
  const pad = templates + 1;

  const { train, holdout } = sequences.split(settings.holdout ?? 0.1, seed);
  const trainWindows = sequences.windows(train, window);
  // Held-out windows keep their plain counts: the held-out loss and accuracy are the trace's own.
  const heldWindows = sequences.windows(holdout, window, false);
  const prng = new Prng(seed).fork('batches');
  const heldOrder = shuffled(heldWindows.session.length, prng.fork('holdout'));
  const heldCount = Math.min(VALIDATION_WINDOWS, heldOrder.length);
  const heldBatches: WindowBatch[] = [];
  for (let from = 0; from < heldCount; from += EVALUATION_BATCH) heldBatches.push(sequences.batch(heldWindows, heldOrder, from, Math.min(EVALUATION_BATCH, heldCount - from), window, pad));

  const optimizer = tf.train.adam(learningRate);
  const variables = network.variables();
  const started = performance.now();
  let trained = 0;
  let best = { loss: Number.POSITIVE_INFINITY, accuracy: 0, epoch: 0, weights: network.snapshot() };
  let epoch = 0;
  let stoppedEarly = false;
  try {
    while (epoch < epochs) {
      epoch++;
      const epochStarted = performance.now();
      // An epoch is as many windows as the trace had (at most --windows-per-epoch): passes over
      // the shuffled distinct windows until that many.
      const total = Math.min(perEpoch, trainWindows.total);
      const order = epochOrder(trainWindows.session.length, total, prng);
      let lossSum = 0;
      for (let from = 0; from < total; from += batchSize) {
        if (settings.signal?.aborted) throw new StbError('E_USAGE', 'training aborted');
        const batch = sequences.batch(trainWindows, order, from, Math.min(batchSize, total - from), window, pad);
        const loss = tf.tidy(() => {
          const value = optimizer.minimize(() => weightedLoss(tf, network, batch, templates), true, variables);
          return value!.dataSync()[0]!;
        });
        if (!Number.isFinite(loss)) throw new StbError('E_MODEL', `training diverged (loss ${loss}) in epoch ${epoch}`, { hint: 'Lower --learning-rate' });
        lossSum += loss * batch.size;
        trained += batch.size;
        const done = from + batch.size;
        const elapsed = (performance.now() - started) / 1000;
        const rate = trained / Math.max(elapsed, 1e-9);
        callbacks.onBatch?.({ epoch, epochs, done, total, loss: lossSum / done, sequencesPerSecond: rate, etaSeconds: (total - done + (epochs - epoch) * total) / rate });
        // Let timers, signals and progress output run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { loss: validationLoss, accuracy } = evaluate(tf, network, heldBatches);
      const improved = validationLoss < best.loss - 1e-4;
      if (improved) best = { loss: validationLoss, accuracy, epoch, weights: network.snapshot() };
      const seconds = (performance.now() - epochStarted) / 1000;
      callbacks.onEpoch?.({ epoch, epochs, loss: lossSum / Math.max(total, 1), validationLoss, validationAccuracy: accuracy, sequencesPerSecond: total / seconds, seconds, improved });
      if (epoch - best.epoch >= patience && epoch < epochs) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  if (best.epoch !== epoch) network.restore(best.weights);
  const seconds = (performance.now() - started) / 1000;
  return {
    epochs: epoch, bestEpoch: best.epoch, stoppedEarly,
    trainSessions: train.length, holdoutSessions: holdout.length,
    trainWindows: trainWindows.total, distinctTrainWindows: trainWindows.session.length, holdoutWindows: heldWindows.total,
    validationLoss: best.loss, validationAccuracy: best.accuracy,
    sequencesPerSecond: trained / seconds, seconds,
  };
}

/** Cross-entropy averaged over the windows as they occurred (each distinct window weighted by its count). */
function weightedLoss(tf: TensorFlow, network: SequenceNetwork, batch: WindowBatch, templates: number): Scalar {
  const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(tf.tensor1d(batch.targets, 'int32'), templates), tf.logSoftmax(logitsOf(tf, network, batch))), 1));
  let total = 0;
  for (const w of batch.weights) total += w;
  return tf.div(tf.sum(tf.mul(nll, tf.tensor1d(batch.weights))), total);
}

function logitsOf(tf: TensorFlow, network: SequenceNetwork, batch: WindowBatch) {
  const w = network.spec.window;
  return network.logits(tf.tensor2d(batch.tokens, [batch.size, w], 'int32'), tf.tensor2d(batch.gaps, [batch.size, w], 'int32'));
}

/** Mean cross-entropy and top-1 accuracy over held-out batches. */
function evaluate(tf: TensorFlow, network: SequenceNetwork, batches: readonly WindowBatch[]): { loss: number; accuracy: number } {
  let loss = 0;
  let hits = 0;
  let n = 0;
  for (const batch of batches) {
    const [l, h] = tf.tidy(() => {
      const logits = logitsOf(tf, network, batch);
      const targets = tf.tensor1d(batch.targets, 'int32');
      const weights = tf.tensor1d(batch.weights);
      const nll = tf.neg(tf.sum(tf.mul(tf.oneHot(targets, network.spec.templates), tf.logSoftmax(logits)), 1));
      const correct = tf.cast(tf.equal(tf.argMax(logits, 1), targets), 'float32');
      return [tf.sum(tf.mul(nll, weights)).dataSync()[0]!, tf.sum(tf.mul(correct, weights)).dataSync()[0]!];
    });
    loss += l;
    hits += h;
    for (const w of batch.weights) n += w;
  }
  return n === 0 ? { loss: Number.NaN, accuracy: Number.NaN } : { loss: loss / n, accuracy: hits / n };
}

function epochOrder(distinct: number, total: number, prng: Prng): Int32Array {
  const order = new Int32Array(total);
  for (let from = 0; from < total; from += distinct) order.set(shuffled(distinct, prng).subarray(0, total - from), from);
  return order;
}

function shuffled(n: number, prng: Prng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

import { Prng, StbError } from '@sqltrace/core';
import type { SequenceNetwork } from './sequence-network';
import { sessionNetwork } from './session-network';
import { sessionContext } from './network-spec';
import { calibrateTransitions, sessionPredictions, windowPredictions } from './transition-calibration';
import { FIDELITY_SAMPLE, refineCalibration, sampledFidelity, type SampledFidelity } from './sampled-fidelity';
import type { NetworkWeights } from './network-weights';
import type { SessionSequences } from './session-sequences';
import { trainingExamples, type TrainingExamples } from './training-examples';
import type { TensorFlow } from './tensorflow-backend';

export interface NetworkTrainingSettings {
  /** Passes over the training windows at most (default 10). */
  readonly epochs?: number;
  /** Windows per gradient step (default 128; the WebAssembly backend runs fastest per window at 256–512). */
  readonly batchSize?: number;
  /** Adam's learning rate (default 0.003; the strategies set their own). */
  readonly learningRate?: number;
  /** At most this many windows (a session network: stretches) per epoch, drawn afresh each epoch (default 20,000). */
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
  /** The held-out loss or the sampled fidelity is the best so far. */
  readonly improved: boolean;
  /** Session networks: how close sessions sampled from this epoch's network come to the trace. */
  readonly fidelity?: SampledFidelity;
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
  /** Session networks: the kept epoch's sampled fidelity, after its final calibration. */
  readonly fidelity?: SampledFidelity;
  /** Predictions trained on per second over all epochs (a window is one; a session stretch up to its length). */
  readonly sequencesPerSecond: number;
  readonly seconds: number;
}

/** What training leaves beside the network's weights. */
export interface TrainedNetwork {
  readonly summary: NetworkTrainingSummary;
  /** Session networks: the kept epoch's transition calibration (see calibrateTransitions). */
  readonly calibration?: number[][];
}

export interface TrainingCallbacks {
  readonly onBatch?: (progress: BatchProgress) => void;
  readonly onEpoch?: (report: EpochReport) => void;
}

const VALIDATION_PREDICTIONS = 5_000;
const EVALUATION_BATCH = 512;

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new StbError('E_USAGE', `--${name} must be a whole number ≥ 1, got ${value}`);
  return value;
}

/** The kept epoch's final calibration: rounds of refinement, statements sampled in each, and in the fidelity measured after. */
const FINAL_REFINE_ROUNDS = 3;
const FINAL_REFINE_SAMPLE = 200_000;
const FINAL_FIDELITY_SAMPLE = 100_000;

/**
 * Trains a network to predict each session's next template — from the window before it, or
 * (session context) from the whole session so far — with Adam on mini-batches, and keeps the
 * weights of the epoch with the best loss on held-out sessions — for a session network, of the
 * epochs within {@link LOSS_TOLERANCE} of that loss, the one whose sampled sessions come closest
 * to the trace's template mix and transitions (what generation needs: a network can predict the
 * next statement as well and still drift more when it feeds on its own output). Training stops
 * when neither has improved for `patience` epochs.
 */
export async function trainNetwork(
  tf: TensorFlow,
  network: SequenceNetwork,
  sequences: SessionSequences,
  settings: NetworkTrainingSettings = {},
  callbacks: TrainingCallbacks = {},
): Promise<TrainedNetwork> {
  const epochs = positiveInteger('epochs', settings.epochs ?? 10);
  const batchSize = positiveInteger('batch-size', settings.batchSize ?? 256);
  const session = sessionContext(network.spec);
  const perEpoch = positiveInteger('windows-per-epoch', settings.windowsPerEpoch ?? 20_000);
  const patience = positiveInteger('patience', settings.patience ?? 2);
  const learningRate = settings.learningRate ?? 0.003;
  if (!(learningRate > 0 && learningRate < 1)) throw new StbError('E_USAGE', `--learning-rate must be between 0 and 1, got ${learningRate}`);
  const seed = settings.seed ?? 1;

  const { train, holdout } = sequences.split(settings.holdout ?? 0.1, seed);
  const training = trainingExamples(tf, network, sequences, train, true);
  // Held-out examples keep their plain counts: the held-out loss and accuracy are the trace's own.
  const held = trainingExamples(tf, network, sequences, holdout, false);
  const prng = new Prng(seed).fork('batches');
  const heldOrder = shuffled(held.count, prng.fork('holdout'));
  const heldCount = Math.min(held.perEpoch(VALIDATION_PREDICTIONS), heldOrder.length);

  const optimizer = tf.train.adam(learningRate);
  const variables = network.variables();
  const started = performance.now();
  let trained = 0;
  let examples = 0;
  const kept: Epoch[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestFidelity = Number.POSITIVE_INFINITY;
  let lastImproved = 0;
  const successors = session ? sequences.successors(network.spec.templates) : [];
  let epoch = 0;
  let stoppedEarly = false;
  try {
    while (epoch < epochs) {
      epoch++;
      const epochStarted = performance.now();
      // An epoch is as many windows (stretches) as the trace had, at most --windows-per-epoch:
      // passes over the shuffled examples until that many.
      const total = training.perEpoch(perEpoch);
      const order = epochOrder(training.count, total, prng);
      let lossSum = 0;
      let predictions = 0;
      for (let from = 0; from < total; from += batchSize) {
        if (settings.signal?.aborted) throw new StbError('E_USAGE', 'training aborted');
        const batch = training.batch(order, from, Math.min(batchSize, total - from));
        const loss = tf.tidy(() => {
          const value = optimizer.minimize(() => batch.loss(), true, variables);
          return value!.dataSync()[0]!;
        });
        if (!Number.isFinite(loss)) throw new StbError('E_MODEL', `training diverged (loss ${loss}) in epoch ${epoch}`, { hint: 'Lower --learning-rate' });
        lossSum += loss * batch.predictions;
        predictions += batch.predictions;
        trained += batch.predictions;
        const done = from + batch.size;
        examples += batch.size;
        const elapsed = Math.max((performance.now() - started) / 1000, 1e-9);
        callbacks.onBatch?.({
          epoch,
          epochs,
          done,
          total,
          loss: lossSum / Math.max(predictions, 1),
          sequencesPerSecond: trained / elapsed,
          etaSeconds: (total - done + (epochs - epoch) * total) / (examples / elapsed),
        });
        // Let timers, signals and progress output run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const { loss: validationLoss, accuracy } = evaluate(tf, held, heldOrder, heldCount);
      const weights = network.snapshot();
      const calibration = session
        ? refineCalibration(
            network.spec,
            weights,
            sequences,
            `${seed}:${epoch}`,
            calibrateTransitions(sessionPredictions(sessionNetwork(network.spec, weights), sequences, seed), successors),
          )
        : undefined;
      const fidelity = session ? sampledFidelity(network.spec, weights, sequences, `${seed}:${epoch}`, calibration) : undefined;
      const distance = fidelity !== undefined ? fidelity.templateMix + fidelity.transitions : Number.NaN;
      const improved = validationLoss < bestLoss - 1e-4 || distance < bestFidelity - 0.002;
      bestLoss = Math.min(bestLoss, validationLoss);
      if (distance < bestFidelity) bestFidelity = distance;
      if (improved) lastImproved = epoch;
      kept.push({ epoch, loss: validationLoss, accuracy, distance, fidelity, calibration, weights });
      const seconds = (performance.now() - epochStarted) / 1000;
      callbacks.onEpoch?.({
        epoch,
        epochs,
        loss: lossSum / Math.max(predictions, 1),
        validationLoss,
        validationAccuracy: accuracy,
        sequencesPerSecond: predictions / seconds,
        seconds,
        improved,
        ...(fidelity !== undefined ? { fidelity } : {}),
      });
      if (epoch - lastImproved >= patience && epoch < epochs) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    optimizer.dispose();
  }
  const best = bestEpoch(kept);
  if (best.epoch !== epoch) network.restore(best.weights);
  let calibration: number[][] | undefined;
  let fidelity = best.fidelity;
  const statements = sequences.offsets[sequences.sessions]!;
  if (best.calibration !== undefined && 5 * statements > FIDELITY_SAMPLE) {
    // The kept epoch's calibration was refined on 40,000 sampled statements a round, enough to
    // choose an epoch: its factors still carry that sample's noise (~±6% on a transition seen
    // 250 times), and with them the mix (TVD 0.011 at 400,000 statements on a sysbench log,
    // 0.007–0.009 after this). Refined again on larger samples, and measured on a fresh one.
    // (At most 5 statements sampled per one of the trace's: a small trace keeps the epoch's.)
    const sample = Math.max(FIDELITY_SAMPLE, Math.min(FINAL_REFINE_SAMPLE, 5 * statements));
    calibration = refineCalibration(network.spec, best.weights, sequences, `${seed}:final`, best.calibration, { rounds: FINAL_REFINE_ROUNDS, sample });
    fidelity = sampledFidelity(
      network.spec,
      best.weights,
      sequences,
      `${seed}:final`,
      calibration,
      Math.max(FIDELITY_SAMPLE, Math.min(FINAL_FIDELITY_SAMPLE, 5 * statements)),
    );
  } else if (best.calibration !== undefined) {
    calibration = best.calibration;
  } else if (!session) {
    // A window network is calibrated once, on the kept weights: its predictions over the trace
    // run through TensorFlow.js in batches.
    calibration = calibrateTransitions(windowPredictions(network, sequences, seed), sequences.successors(network.spec.templates));
  }
  const seconds = (performance.now() - started) / 1000;
  const summary: NetworkTrainingSummary = {
    epochs: epoch,
    bestEpoch: best.epoch,
    stoppedEarly,
    trainSessions: train.length,
    holdoutSessions: holdout.length,
    trainWindows: training.predictions,
    distinctTrainWindows: training.count,
    holdoutWindows: held.predictions,
    validationLoss: best.loss,
    validationAccuracy: best.accuracy,
    ...(fidelity !== undefined ? { fidelity } : {}),
    sequencesPerSecond: trained / seconds,
    seconds,
  };
  return calibration !== undefined ? { summary, calibration } : { summary };
}

interface Epoch {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  /** Sampled template-mix plus transition distance (NaN for a window network). */
  readonly distance: number;
  readonly fidelity: SampledFidelity | undefined;
  readonly calibration: number[][] | undefined;
  readonly weights: NetworkWeights;
}

/** A session network's epochs whose held-out loss comes this close to the best one's (nats) predict as well. */
export const LOSS_TOLERANCE = 0.02;

/**
 * The kept epoch: for a session network, the one whose samples come closest to the trace among
 * those that predict about as well as the best (a network can predict as well and still drift
 * more when it feeds on its own output); for a window network, the best held-out loss.
 */
function bestEpoch(epochs: readonly Epoch[]): Epoch {
  const lowest = Math.min(...epochs.map((e) => (Number.isNaN(e.loss) ? Number.POSITIVE_INFINITY : e.loss)));
  const sampled = epochs.filter((e) => !Number.isNaN(e.distance));
  if (sampled.length === 0) return epochs.reduce((a, b) => (b.loss < a.loss ? b : a));
  const good = sampled.filter((e) => !(e.loss > lowest + LOSS_TOLERANCE));
  return (good.length > 0 ? good : sampled).reduce((a, b) => (b.distance < a.distance ? b : a));
}

/** Mean cross-entropy and top-1 accuracy over the first `count` held-out examples. */
function evaluate(tf: TensorFlow, examples: TrainingExamples, order: Int32Array, count: number): { loss: number; accuracy: number } {
  let loss = 0,
    hits = 0,
    n = 0;
  for (let from = 0; from < count; from += EVALUATION_BATCH) {
    // In a tidy: the network's tensors for the batch are let go (they used to pile up every epoch).
    const score = tf.tidy(() => examples.batch(order, from, Math.min(EVALUATION_BATCH, count - from)).score());
    loss += score.loss;
    hits += score.hits;
    n += score.weight;
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

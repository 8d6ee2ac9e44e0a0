import { StbError, type GenerateOptions, type TraceEvent, type TraceGenerator, type TraceSource, type TrainOptions } from '@sqltrace/core';
import type { NextTemplateScorer } from '../evaluation/next-template-scorer';
import { WorkloadSynthesizer } from '../synthesis/workload-synthesizer';
import { learnProfile, type ProfileSettings } from '../training/learn-profile';
import { createNetwork } from './create-network';
import { sessionContext, specProblem, type NetworkContext, type NetworkSpec, type NeuralKind } from './network-spec';
import { trainNetwork, type NetworkTrainingSettings, type TrainingCallbacks } from './network-trainer';
import { initialWeights } from './network-weights';
import { NeuralModel } from './neural-model';
import { NeuralPredictor } from './neural-predictor';
import { FINEST_IDLE_RESOLUTION_US } from './gap-bucket';
import { SessionSequenceCollector } from './session-sequences';
import { loadTensorFlow, type BackendChoice, type BackendName } from './tensorflow-backend';
import { LstmForward, type ProbabilityNetwork } from './lstm-forward';
import { sessionNetwork } from './session-network';

/** Settings of `train` for `lstm` and `transformer` (through `TrainOptions.settings`). */
export interface NeuralTrainSettings extends ProfileSettings, Omit<NetworkTrainingSettings, 'signal'>, TrainingCallbacks {
  /**
   * `session` (the default): the network reads each whole session a statement at a time — the
   * LSTM through its recurrent state, the transformer through causal attention over the keys and
   * values of the last `window + window / 2` statements (ALiBi distances, no positions) — so it
   * sees as far back as a transaction goes and generation runs one step per statement; `window`:
   * it sees the last `window` statements, run again for every prediction.
   */
  readonly context?: NetworkContext;
  /** Previous statements the network sees (default 16); in session context, the statements of a training stretch (default 32). */
  readonly window?: number;
  /** Embedding width; the transformer's model width (default 32; 64 for a window transformer). */
  readonly embedding?: number;
  /** LSTM units (default 32; 64 in window context); the transformer's feed-forward width (default 64; 128 in window context). */
  readonly units?: number;
  /** Transformer attention heads (default 4) and blocks (default 1). */
  readonly heads?: number;
  readonly layers?: number;
  /** TensorFlow.js backend (default auto: tfjs-node, then wasm, then cpu). */
  readonly backend?: BackendChoice;
  /** Called once the backend runs, with its name. */
  readonly onBackend?: (backend: BackendName) => void;
}

/** Settings of `generate` (through `GenerateOptions.settings`). */
export interface NeuralGenerateSettings {
  /** Sampling temperature (default 1: as learned; lower favours the likeliest template). */
  readonly temperature?: number;
  /** Templates predicted below this probability are not drawn (default 0.000001). */
  readonly minProbability?: number;
  /**
   * TensorFlow.js backend (default auto), or for an LSTM `typed-array`: its forward step in plain
   * typed arrays, equal to TensorFlow.js's to 1e-5 — faster where TF.js's per-op dispatch
   * dominates (few templates, windows that repeat: pgbench TPC-B 13,946 vs 8,240 events/s on wasm),
   * slower where the arithmetic does (sysbench's 39 templates: 3,282 vs 4,197).
   */
  readonly backend?: BackendChoice | 'typed-array';
  readonly onBackend?: (backend: BackendName | 'typed-array') => void;
}

/** Sessions a trace needs: whole sessions are held out to decide when to stop training. */
export const MIN_TRAINING_SESSIONS = 4;

/**
 * The `lstm` and `transformer` strategies: a TensorFlow.js network predicts each session's next
 * template from the statements before it (template and bucketed idle time: the whole session
 * through the LSTM's recurrent state, or a window of them), on top of
 * the same shared profile as the Markov strategy — parameters, timing and session lengths — so a
 * generated trace differs from a Markov one only in its template sequences.
 */
export class NeuralGenerator implements TraceGenerator<NeuralModel> {
  constructor(readonly name: NeuralKind) {}

  async train(trace: TraceSource, options: TrainOptions = {}): Promise<NeuralModel> {
    const settings = (options.settings ?? {}) as NeuralTrainSettings;
    const transformer = this.name === 'transformer';
    const context = settings.context ?? 'session';
    const spec: NetworkSpec = {
      kind: this.name,
      templates: 1,
      context,
      window: settings.window ?? (context === 'session' ? 32 : 16),
      // A session network steps once per statement in generation, ~1 ns per multiply-add here:
      // 32 LSTM units, or a 32-wide transformer with a 64-wide feed-forward (~15 µs a step),
      // keep it near 30,000 events/s; a 64/128 transformer took ~40 µs.
      embedding: settings.embedding ?? (transformer && context === 'window' ? 64 : 32),
      units: settings.units ?? (transformer ? (context === 'session' ? 64 : 128) : context === 'session' ? 32 : 64),
      heads: transformer ? (settings.heads ?? 4) : 1,
      layers: transformer ? (settings.layers ?? 1) : 1,
    };
    const problem = specProblem(spec);
    if (problem !== undefined) throw new StbError('E_USAGE', `invalid ${this.name} settings: ${problem}`);
    // Start the backend first: a bad --backend fails before the trace is read.
    const { tf, backend } = await loadTensorFlow(settings.backend ?? 'auto');
    settings.onBackend?.(backend);

    const collector = new SessionSequenceCollector();
    const { profile, warnings } = await learnProfile(trace, options, collector);
    // A clock coarser than the finest idle bucket measured 0 or a whole tick, not the think
    // times generation will give: such a network is told only where sessions start.
    const idleInput = (profile.trace.resolutionUs ?? 1) <= FINEST_IDLE_RESOLUTION_US;
    const collected = collector.finish();
    const sequences = idleInput ? collected : collected.withoutIdle();
    if (sequences.sessions < MIN_TRAINING_SESSIONS) {
      throw new StbError(
        'E_INPUT',
        `${trace.name}: ${sequences.sessions} session${sequences.sessions === 1 ? '' : 's'} — too few to train the ${this.name} model, which holds out whole sessions to decide when to stop and needs at least ${MIN_TRAINING_SESSIONS}`,
        {
          hint: 'Use a longer trace, or `--model markov`',
        },
      );
    }
    const sized: NetworkSpec = { ...spec, templates: profile.templates.length, ...(idleInput ? {} : { idleInput: false }) };
    const seed = settings.seed ?? 1;
    const network = createNetwork(tf, sized, initialWeights(sized, seed));
    try {
      const batchSize = settings.batchSize ?? (context === 'session' ? 32 : 128);
      const learningRate = settings.learningRate ?? (transformer ? 0.005 : 0.01);
      const { summary, calibration } = await trainNetwork(
        tf,
        network,
        sequences,
        { ...settings, batchSize, learningRate, seed, signal: options.signal },
        settings,
      );
      return new NeuralModel(
        this.name,
        profile,
        sized,
        network.snapshot(),
        sequences.starts(sized.templates),
        sequences.successors(sized.templates),
        { ...summary, backend, batchSize, learningRate },
        warnings,
        calibration,
      );
    } finally {
      network.dispose();
    }
  }

  loadModel(json: unknown, source: string): NeuralModel {
    return NeuralModel.fromJSON(json, this.name, source);
  }

  async *generate(model: NeuralModel, options: GenerateOptions): AsyncGenerator<TraceEvent> {
    const predictor = await this.scorer(model, options.settings as NeuralGenerateSettings | undefined);
    try {
      const synthesizer = new WorkloadSynthesizer(model.profile, predictor, options);
      for (const batch of synthesizer.batches()) {
        yield* batch;
        if (options.signal?.aborted) throw new StbError('E_USAGE', 'generation aborted');
      }
    } finally {
      predictor.dispose();
    }
  }

  /** The model's network ready to predict and sample (dispose it when done). */
  async scorer(model: NeuralModel, settings: NeuralGenerateSettings = {}): Promise<NeuralPredictor & NextTemplateScorer> {
    const temperature = settings.temperature ?? 1;
    if (!(temperature > 0 && Number.isFinite(temperature))) throw new StbError('E_USAGE', `--temperature must be a positive number, got ${temperature}`);
    const minProbability = settings.minProbability ?? 1e-6;
    if (!(minProbability >= 0 && minProbability < 1)) throw new StbError('E_USAGE', `the minimum probability must be in [0, 1), got ${minProbability}`);
    let network: ProbabilityNetwork;
    if (sessionContext(model.spec)) {
      // A step per statement: plain typed arrays, no TensorFlow.js to dispatch to.
      network = sessionNetwork(model.spec, model.weights);
      settings.onBackend?.('typed-array');
    } else if (settings.backend === 'typed-array') {
      if (model.spec.kind !== 'lstm')
        throw new StbError('E_USAGE', `the typed-array backend runs LSTM models, not ${model.spec.kind} ones`, { hint: 'Use --backend auto' });
      network = new LstmForward(model.spec, model.weights);
      settings.onBackend?.('typed-array');
    } else {
      const { tf, backend } = await loadTensorFlow(settings.backend ?? 'auto');
      settings.onBackend?.(backend);
      network = createNetwork(tf, model.spec, model.weights);
    }
    return new NeuralPredictor(
      network,
      model.profile.templates.map((t) => t.id),
      {
        temperature,
        minProbability,
        starts: model.starts,
        successors: model.successors,
        ...(model.calibration !== undefined ? { calibration: model.calibration } : {}),
      },
    );
  }
}

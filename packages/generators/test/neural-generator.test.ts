import { isStbError, type TraceEvent } from '@sqltrace/core';
import { bestAchievableAccuracy, secondOrderTrace } from '@sqltrace/fixtures/src/second-order-trace';
import {
  MarkovGenerator,
  NEURAL_MODEL_VERSION,
  NeuralGenerator,
  NeuralModel,
  collectSessions,
  compareModels,
  defaultRegistry,
  evaluateNextTemplate,
  type NeuralModelJson,
  type NeuralTrainSettings,
} from '../src';
import { collect, memoryTrace } from './helpers';
import { loadTensorFlow } from '../src/neural/tensorflow-backend';

// Small, fast settings: these tests check behaviour, not accuracy (stb compare-models' test does).
const FAST: NeuralTrainSettings = { window: 4, epochs: 2, windowsPerEpoch: 1_500, batchSize: 128, embedding: 16, units: 32 };
/** A session LSTM learns from stretches: as many predictions take fewer, smaller batches. */
const FAST_SESSION: NeuralTrainSettings = { ...FAST, batchSize: 8 };
const trainEvents = secondOrderTrace({ sessions: 60, seed: 'unit' });

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    if (isStbError(error)) return { code: error.code, message: error.message, hint: error.hint };
    throw error;
  }
  throw new Error('expected an error');
}

describe.each(['lstm', 'transformer'] as const)('the %s strategy', (kind) => {
  let model: NeuralModel;
  const epochs: number[] = [];
  let backend = '';

  beforeAll(async () => {
    model = await new NeuralGenerator(kind).train(memoryTrace(trainEvents), {
      settings: { ...FAST_SESSION, onEpoch: (r) => epochs.push(r.validationLoss), onBackend: (b) => (backend = b) } satisfies NeuralTrainSettings,
    });
  }, 120_000);

  it('trains on the best backend installed (tfjs-node, else wasm) with a held-out split, and says so', () => {
    expect(['tensorflow', 'wasm']).toContain(backend);
    expect(model.training).toMatchObject({ backend, epochs: 2, trainSessions: 54, holdoutSessions: 6 });
    expect(epochs).toHaveLength(2);
    // A session network (both kinds by default) keeps the epoch whose sampled sessions came closest to the trace.
    expect(model.spec.context).toBe('session');
    expect(epochs).toContain(model.training.validationLoss);
    expect(model.training.fidelity!.sampled).toBeGreaterThan(1_000);
    expect(model.training.fidelity!.templateMix).toBeLessThan(0.1);
    expect(model.training.sequencesPerSecond).toBeGreaterThan(0);
    // Calibrated to the trace's transitions: a factor per template seen after each template.
    expect(model.calibration!.map((f) => f.length)).toEqual(model.successors.map((list) => list.length));
    // It learned something: better than guessing among 12 tables (ln 12 = 2.48).
    expect(model.training.validationLoss).toBeLessThan(2.4);
  });

  it('leaves no tensors behind once trained (a service trains model after model in one process)', async () => {
    const { tf } = await loadTensorFlow('auto');
    const before = tf.memory().numTensors;
    await new NeuralGenerator(kind).train(memoryTrace(trainEvents), { settings: { ...FAST_SESSION, epochs: 1 } });
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('is found in the default registry and shares the Markov profile', async () => {
    expect(defaultRegistry().create(kind)).toBeInstanceOf(NeuralGenerator);
    const markov = await new MarkovGenerator().train(memoryTrace(trainEvents));
    expect(model.profile.templates.map((t) => t.id)).toEqual(markov.profile.templates.map((t) => t.id));
    expect(model.profile.trace).toEqual(markov.profile.trace);
  });

  it('generates the same trace from the same seed and model, also after a round trip through JSON', async () => {
    const generator = new NeuralGenerator(kind);
    const a = await collect(generator.generate(model, { seed: 3, events: 400 }));
    const reloaded = generator.loadModel(JSON.parse(JSON.stringify(model.toJSON())), 'model.json');
    const b = await collect(generator.generate(reloaded, { seed: 3, events: 400 }));
    const c = await collect(generator.generate(model, { seed: 4, events: 400 }));
    expect(a.length).toBeGreaterThanOrEqual(400);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
    const known = new Set(model.profile.templates.map((t) => t.id));
    expect(a.every((e) => known.has(e.templateId!))).toBe(true);
  });

  it('samples more greedily at a low temperature and refuses a temperature of 0', async () => {
    const generator = new NeuralGenerator(kind);
    const held = await collectSessions(
      (async function* () {
        yield* secondOrderTrace({ sessions: 40, seed: 'held' });
      })(),
      'postgres',
    );
    const scorer = await generator.scorer(model);
    const greedyShare = async (temperature: number) => {
      const events = await collect(generator.generate(model, { seed: 5, events: 3_000, settings: { temperature } }));
      return determinism(events);
    };
    expect(await greedyShare(0.2)).toBeGreaterThan(await greedyShare(1.5));
    expect(evaluateNextTemplate(scorer, held).predictions).toBeGreaterThan(1_000);
    scorer.dispose();
    const zero = await failure(collect(generator.generate(model, { seed: 1, settings: { temperature: 0 } })));
    expect(zero).toMatchObject({ code: 'E_USAGE', message: '--temperature must be a positive number, got 0' });
  });

  it('refuses a model with a missing weight, of another strategy, or from a newer version', () => {
    const json = model.toJSON();
    const first = json.network.weights[1]!.name;
    const missing = { ...json, network: { ...json.network, weights: json.network.weights.filter((w) => w.name !== first) } };
    expect(() => NeuralModel.fromJSON(missing, kind, 'm.json')).toThrow(`m.json: the ${kind} model is damaged (the network is missing weight "${first}")`);
    const truncated = {
      ...json,
      network: { ...json.network, weights: json.network.weights.map((w, i) => (i === 0 ? { ...w, data: w.data.slice(0, 8) } : w)) },
    };
    expect(() => NeuralModel.fromJSON(truncated, kind, 'm.json')).toThrow(
      /m.json: the (lstm|transformer) model is damaged \(weight "token.embedding" has 6 bytes of data, expected \d+ \(\d+ float32 values\)\)/,
    );
    const other = kind === 'lstm' ? 'transformer' : 'lstm';
    expect(() => new NeuralGenerator(other).loadModel(json, 'm.json')).toThrow(
      `m.json: not ${other === 'lstm' ? 'an LSTM' : 'a transformer'} model (it is ${kind})`,
    );
    const newer: NeuralModelJson = { ...json, version: 99 };
    expect(() => NeuralModel.fromJSON(newer, kind, 'm.json')).toThrow(
      `m.json: ${kind} model version 99 is newer than this tool reads (${NEURAL_MODEL_VERSION})`,
    );
  });
});

describe('neural strategies: bad input', () => {
  it('refuses a trace with too few sessions for a held-out split', async () => {
    const tiny = secondOrderTrace({ sessions: 3, seed: 'tiny' });
    const error = await failure(new NeuralGenerator('lstm').train(memoryTrace(tiny, 'postgres', 'tiny.jsonl'), { settings: FAST }));
    expect(error).toEqual({
      code: 'E_INPUT',
      message: 'tiny.jsonl: 3 sessions — too few to train the lstm model, which holds out whole sessions to decide when to stop and needs at least 4',
      hint: 'Use a longer trace, or `--model markov`',
    });
  });

  it('names the backends: an unknown one, and tfjs-node when it is not installed', async () => {
    expect(await failure(loadTensorFlow('gpu' as never))).toMatchObject({
      code: 'E_USAGE',
      message: 'unknown TensorFlow.js backend "gpu"',
      hint: 'Choose one of: auto, tensorflow, wasm, cpu',
    });
    let native = true;
    try {
      require.resolve('@tensorflow/tfjs-node');
    } catch {
      native = false;
    }
    // Where tfjs-node is installed it runs; where it is not, the message says how to get it.
    if (native) {
      expect((await loadTensorFlow('tensorflow')).backend).toBe('tensorflow');
    } else {
      expect(await failure(loadTensorFlow('tensorflow'))).toMatchObject({
        message: 'the TensorFlow.js backend "tensorflow" is not available (tensorflow: @tensorflow/tfjs-node is not installed)',
        hint: 'Install it with `npm install @tensorflow/tfjs-node`, or use --backend wasm',
      });
    }
    const { backend } = await loadTensorFlow('cpu');
    expect(backend).toBe('cpu');
  });

  it('refuses invalid network settings before reading the trace', async () => {
    const error = await failure(new NeuralGenerator('transformer').train(memoryTrace(trainEvents), { settings: { embedding: 30, heads: 4 } }));
    expect(error.message).toBe('invalid transformer settings: the embedding width (30) must be a multiple of the number of heads (4)');
  });
});

describe('next-template evaluation', () => {
  it('scores a second-order trace: order 2 reaches the best achievable accuracy, order 1 falls 20+ points short', async () => {
    const test = secondOrderTrace({ sessions: 80, seed: 'eval-test' });
    const held = await collectSessions(
      (async function* () {
        yield* test;
      })(),
      'postgres',
    );
    const best = bestAchievableAccuracy(test);
    const markov = new MarkovGenerator();
    const train = memoryTrace(secondOrderTrace({ sessions: 400, seed: 'eval-train' }));
    const first = evaluateNextTemplate(await markov.scorer(await markov.train(train, { settings: { order: 1 } })), held);
    const second = evaluateNextTemplate(await markov.scorer(await markov.train(train, { settings: { order: 2 } })), held);
    expect(best).toBeGreaterThan(0.85);
    expect(first.accuracy).toBeLessThan(best - 0.2);
    expect(second.accuracy).toBeGreaterThan(best - 0.02);
    expect(second.logLoss).toBeLessThan(first.logLoss);
    expect(first.predictions).toBe(test.length - held.length);
  });

  it('compares models on held-out sessions with an injected fidelity score, and refuses a trace too small to split', async () => {
    const seen: number[] = [];
    const comparison = await compareModels(memoryTrace(secondOrderTrace({ sessions: 50, seed: 'cmp' })), {
      registry: defaultRegistry(),
      models: ['markov'],
      seed: 2,
      fidelity: async (heldOut, synthetic) => {
        seen.push(heldOut.length, synthetic.length);
        return 0.5;
      },
    });
    expect(comparison.test.sessions).toBe(10);
    expect(comparison.train.sessions).toBe(40);
    expect(comparison.models).toEqual([expect.objectContaining({ name: 'markov', fidelity: 0.5 })]);
    expect(seen[1]).toBeGreaterThanOrEqual(seen[0]!);
    const tiny = await failure(
      compareModels(memoryTrace(secondOrderTrace({ sessions: 5, seed: 't' }), 'postgres', 't.jsonl'), {
        registry: defaultRegistry(),
        models: ['markov'],
        fidelity: async () => 1,
      }),
    );
    expect(tiny.message).toBe('t.jsonl: 5 sessions — too few to compare models, which are trained on some sessions and tested on others (at least 6 needed)');
  });
});

/** Share of transitions that go to the most frequent next template of their previous template. */
function determinism(events: readonly TraceEvent[]): number {
  const last = new Map<string, string>();
  const pairs = new Map<string, Map<string, number>>();
  let n = 0;
  for (const e of events) {
    const previous = last.get(e.session);
    last.set(e.session, e.templateId!);
    if (previous === undefined) continue;
    const row = pairs.get(previous) ?? new Map<string, number>();
    row.set(e.templateId!, (row.get(e.templateId!) ?? 0) + 1);
    pairs.set(previous, row);
    n++;
  }
  let top = 0;
  for (const row of pairs.values()) top += Math.max(...row.values());
  return top / n;
}

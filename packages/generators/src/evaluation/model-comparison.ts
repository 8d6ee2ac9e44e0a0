import { Prng, StbError, type Dialect, type TraceEvent, type TraceGenerator, type TraceHeader, type TraceSource, type WorkloadModel } from '@sqltrace/core';
import { Normalizer } from '@sqltrace/parser';
import type { WorkloadProfileJson } from '../model/workload-profile';
import type { GeneratorRegistry } from '../registry/generator-registry';
import { evaluateNextTemplate } from './evaluate-next-template';
import { collectSessions } from './held-out-sessions';
import type { NextTemplateScorer } from './next-template-scorer';

/** A strategy that can say what it predicts next (every built-in one). */
export interface ScoringGenerator extends TraceGenerator {
  scorer(model: WorkloadModel, settings?: Readonly<Record<string, unknown>>): Promise<NextTemplateScorer>;
}

export function isScoringGenerator(generator: TraceGenerator): generator is ScoringGenerator {
  return typeof (generator as Partial<ScoringGenerator>).scorer === 'function';
}

/** Scores a synthetic trace against the held-out one in [0, 1] (the validator's fidelity score). */
export type FidelityScore = (heldOut: readonly TraceEvent[], synthetic: readonly TraceEvent[]) => Promise<number>;

export type ComparisonStage = 'train' | 'evaluate' | 'generate' | 'validate';

export interface ModelComparisonOptions {
  readonly registry: GeneratorRegistry;
  readonly models: readonly string[];
  readonly fidelity: FidelityScore;
  /** Share of sessions held out as the test split (default 0.2). */
  readonly testFraction?: number;
  readonly seed?: string | number;
  /** Training settings for every model, and per model name on top. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly modelSettings?: Readonly<Record<string, object>>;
  /** Generation settings (temperature, backend). */
  readonly generateSettings?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  readonly onStage?: (model: string, stage: ComparisonStage) => void;
}

export interface ModelComparisonRow {
  readonly name: string;
  /** Next-template top-1 accuracy on the test sessions. */
  readonly accuracy: number;
  readonly logLoss: number;
  /** The validator's score of a generated trace against the test sessions. */
  readonly fidelity: number;
  readonly trainSeconds: number;
  /** Generation speed (events/s). */
  readonly eventsPerSecond: number;
  /** Size of the model file's JSON. */
  readonly bytes: number;
  readonly predictions: number;
  readonly warnings: readonly string[];
}

export interface ModelComparison {
  readonly trace: string;
  readonly seed: string | number;
  readonly train: { readonly sessions: number; readonly events: number };
  readonly test: { readonly sessions: number; readonly events: number };
  readonly models: readonly ModelComparisonRow[];
}

/** At least this many sessions: some to train on (neural models hold out a few more), some to test. */
export const MIN_COMPARISON_SESSIONS = 6;

/**
 * The model benchmark: splits a trace's sessions into train and test, trains each strategy on the
 * train split, and measures on the test split what each predicts next (top-1 accuracy,
 * log-loss) and how faithful a trace it generates is, beside training time, generation speed and
 * model size. The trace is held in memory.
 */
export async function compareModels(trace: TraceSource, options: ModelComparisonOptions): Promise<ModelComparison> {
  const seed = options.seed ?? 1;
  const fraction = options.testFraction ?? 0.2;
  if (!(fraction > 0 && fraction < 1)) throw new StbError('E_USAGE', `--test-fraction must be between 0 and 1, got ${fraction}`);
  if (options.models.length === 0) throw new StbError('E_USAGE', 'no models to compare', { hint: 'Pass --models markov,lstm,transformer' });
  const generators = options.models.map((name) => options.registry.create(name));

  const header = await trace.header?.({ signal: options.signal });
  const dialect = (options.settings?.dialect ?? header?.dialect ?? 'postgres') as Dialect;
  const normalizer = new Normalizer({ dialect });
  const events: TraceEvent[] = [];
  const sessionIds = new Set<string>();
  for await (const event of trace.events({ signal: options.signal })) {
    // The validator compares templates by id: give every event the id training would.
    events.push(event.templateId !== undefined ? event : { ...event, templateId: normalizer.normalize(event.sql, event.params).template.id });
    sessionIds.add(event.session);
  }
  if (sessionIds.size < MIN_COMPARISON_SESSIONS) {
    throw new StbError('E_INPUT', `${trace.name}: ${sessionIds.size} session${sessionIds.size === 1 ? '' : 's'} — too few to compare models, which are trained on some sessions and tested on others (at least ${MIN_COMPARISON_SESSIONS} needed)`, {
      hint: 'Use a longer trace',
    });
  }
  const shuffled = new Prng(seed).fork('test-split').shuffle([...sessionIds]);
  const testSessions = new Set(shuffled.slice(0, Math.max(1, Math.round(shuffled.length * fraction))));
  const trainEvents = events.filter((e) => !testSessions.has(e.session));
  const testEvents = events.filter((e) => testSessions.has(e.session));
  const heldOut = await collectSessions(arrayEvents(testEvents), dialect);
  const trainSource = arraySource(`${trace.name} (train split)`, trainEvents, header);
  const concurrencyShare = testSessions.size / (sessionIds.size - testSessions.size);

  const rows: ModelComparisonRow[] = [];
  for (const generator of generators) {
    const name = generator.name;
    options.onStage?.(name, 'train');
    const started = performance.now();
    const model = await generator.train(trainSource, { signal: options.signal, settings: { ...options.settings, ...options.modelSettings?.[name] } });
    const trainSeconds = (performance.now() - started) / 1000;
    const bytes = Buffer.byteLength(JSON.stringify(model.toJSON()));

    options.onStage?.(name, 'evaluate');
    let score = { accuracy: Number.NaN, logLoss: Number.NaN, predictions: 0 };
    if (isScoringGenerator(generator)) {
      const scorer = await generator.scorer(model, options.generateSettings);
      try {
        score = evaluateNextTemplate(scorer, heldOut);
      } finally {
        scorer.dispose?.();
      }
    }

    options.onStage?.(name, 'generate');
    const profile = (model as WorkloadModel & { profile?: WorkloadProfileJson }).profile;
    const synthetic: TraceEvent[] = [];
    const generateStarted = performance.now();
    for await (const event of generator.generate(model, {
      seed, events: testEvents.length, signal: options.signal, settings: options.generateSettings,
      // As many sessions at a time as the test split had, not the train split.
      ...(profile !== undefined && profile.trace.meanConcurrency > 0 ? { sessions: profile.trace.meanConcurrency * concurrencyShare } : {}),
    })) {
      synthetic.push(event);
    }
    const eventsPerSecond = synthetic.length / Math.max((performance.now() - generateStarted) / 1000, 1e-9);

    options.onStage?.(name, 'validate');
    const fidelity = await options.fidelity(testEvents, synthetic);
    rows.push({ name, accuracy: score.accuracy, logLoss: score.logLoss, fidelity, trainSeconds, eventsPerSecond, bytes, predictions: score.predictions, warnings: [...(model.warnings ?? [])] });
  }
  return {
    trace: trace.name, seed,
    train: { sessions: sessionIds.size - testSessions.size, events: trainEvents.length },
    test: { sessions: testSessions.size, events: testEvents.length },
    models: rows,
  };
}

async function* arrayEvents(events: readonly TraceEvent[]): AsyncGenerator<TraceEvent> {
  yield* events;
}

function arraySource(name: string, events: readonly TraceEvent[], header: TraceHeader | undefined): TraceSource {
  return { name, header: async () => header, events: () => arrayEvents(events) };
}

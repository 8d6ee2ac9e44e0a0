import { Prng, StbError, type Dialect, type TraceEvent, type TraceGenerator, type TraceHeader, type TraceSource, type WorkloadModel } from '@sqltrace/core';
import { Normalizer } from '@sqltrace/parser';
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
  /** Test on this trace instead of a split: every session of `trace` is trained on. */
  readonly testTrace?: TraceSource;
  readonly seed?: string | number;
  /** Training settings for every model, and per model name on top. */
  readonly settings?: Readonly<Record<string, unknown>>;
  readonly modelSettings?: Readonly<Record<string, object>>;
  /**
   * Traces generated per model for the fidelity score (seeds seed, seed+1, …; default 3): one
   * generated trace's score varies by a few hundredths from seed to seed.
   */
  readonly fidelityRuns?: number;
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
  /** The validator's score of a generated trace against the test sessions (mean over the runs). */
  readonly fidelity: number;
  /** Each generated trace's score. */
  readonly fidelityRuns: readonly number[];
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
  const runs = options.fidelityRuns ?? 3;
  if (!Number.isInteger(runs) || runs < 1) throw new StbError('E_USAGE', `--fidelity-runs must be a whole number ≥ 1, got ${runs}`);

  const header = await trace.header?.({ signal: options.signal });
  const dialect = ((options.settings as { dialect?: string } | undefined)?.dialect ?? header?.dialect ?? 'postgres') as Dialect;
  const normalizer = new Normalizer({ dialect });
  const read = async (source: TraceSource) => {
    const events: TraceEvent[] = [];
    const sessions = new Set<string>();
    for await (const event of source.events({ signal: options.signal })) {
      // The validator compares templates by id: give every event the id training would.
      events.push(event.templateId !== undefined ? event : { ...event, templateId: normalizer.normalize(event.sql, event.params).template.id });
      sessions.add(event.session);
    }
    return { events, sessions };
  };
  const all = await read(trace);
  let trainEvents: TraceEvent[];
  let testEvents: TraceEvent[];
  let trainSessions: number;
  let testSessions: number;
  if (options.testTrace !== undefined) {
    const test = await read(options.testTrace);
    if (test.sessions.size === 0) throw new StbError('E_INPUT', `${options.testTrace.name}: the test trace has no events`);
    if (all.sessions.size < MIN_COMPARISON_SESSIONS - 1) throw tooFew(trace.name, all.sessions.size, MIN_COMPARISON_SESSIONS - 1, 'to train models on');
    [trainEvents, testEvents, trainSessions, testSessions] = [all.events, test.events, all.sessions.size, test.sessions.size];
  } else {
    if (all.sessions.size < MIN_COMPARISON_SESSIONS)
      throw tooFew(trace.name, all.sessions.size, MIN_COMPARISON_SESSIONS, 'to compare models, which are trained on some sessions and tested on others');
    const shuffled = new Prng(seed).fork('test-split').shuffle([...all.sessions]);
    const held = new Set(shuffled.slice(0, Math.max(1, Math.round(shuffled.length * fraction))));
    trainEvents = all.events.filter((e) => !held.has(e.session));
    testEvents = all.events.filter((e) => held.has(e.session));
    trainSessions = all.sessions.size - held.size;
    testSessions = held.size;
  }
  const heldOut = await collectSessions(arrayEvents(testEvents), dialect);
  const trainSource = arraySource(options.testTrace !== undefined ? trace.name : `${trace.name} (train split)`, trainEvents, header);
  const concurrency = meanConcurrency(testEvents);

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

    const fidelityRuns: number[] = [];
    let eventsPerSecond = 0;
    for (let run = 0; run < runs; run++) {
      options.onStage?.(name, 'generate');
      const synthetic: TraceEvent[] = [];
      const generateStarted = performance.now();
      for await (const event of generator.generate(model, {
        seed: runs === 1 ? seed : `${seed}.${run}`,
        events: testEvents.length,
        signal: options.signal,
        settings: options.generateSettings,
        // As many sessions at a time as the test sessions had, not the training ones.
        ...(concurrency > 0 ? { sessions: concurrency } : {}),
      })) {
        synthetic.push(event);
      }
      if (run === 0) eventsPerSecond = synthetic.length / Math.max((performance.now() - generateStarted) / 1000, 1e-9);
      options.onStage?.(name, 'validate');
      fidelityRuns.push(await options.fidelity(testEvents, synthetic));
    }
    const fidelity = fidelityRuns.reduce((a, b) => a + b, 0) / runs;
    rows.push({
      name,
      accuracy: score.accuracy,
      logLoss: score.logLoss,
      fidelity,
      fidelityRuns,
      trainSeconds,
      eventsPerSecond,
      bytes,
      predictions: score.predictions,
      warnings: [...(model.warnings ?? [])],
    });
  }
  return {
    trace: trace.name,
    seed,
    train: { sessions: trainSessions, events: trainEvents.length },
    test: { sessions: testSessions, events: testEvents.length },
    models: rows,
  };
}

/** Sessions open at a time on average, as the profile measures it (open time over the trace's span). */
function meanConcurrency(events: readonly TraceEvent[]): number {
  const spans = new Map<string, [number, number]>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    const end = e.ts + (e.durationUs ?? 0);
    const span = spans.get(e.session);
    if (span === undefined) spans.set(e.session, [e.ts, end]);
    else span[1] = Math.max(span[1], end);
    first = Math.min(first, e.ts);
    last = Math.max(last, e.ts);
  }
  let open = 0;
  for (const [from, to] of spans.values()) open += to - from;
  return last > first ? open / (last - first) : 0;
}

function tooFew(name: string, sessions: number, needed: number, purpose: string): StbError {
  return new StbError('E_INPUT', `${name}: ${sessions} session${sessions === 1 ? '' : 's'} — too few ${purpose} (at least ${needed} needed)`, {
    hint: 'Use a longer trace',
  });
}

async function* arrayEvents(events: readonly TraceEvent[]): AsyncGenerator<TraceEvent> {
  yield* events;
}

function arraySource(name: string, events: readonly TraceEvent[], header: TraceHeader | undefined): TraceSource {
  return { name, header: async () => header, events: () => arrayEvents(events) };
}

import { Args, Flags } from '@oclif/core';
import { TraceFileSource } from '@sqltrace/core';
import { compareModels, defaultRegistry, type ModelComparison } from '@sqltrace/generators';
import { WorkloadValidator } from '@sqltrace/validator';
import { int, size, table } from '../shared/format';
import { neuralFlags, neuralSettings } from '../shared/neural-flags';
import { ProgressLine } from '../shared/progress-line';
import { StbCommand } from '../shared/stb-command';

export type CompareModelsResult = ModelComparison;

export default class CompareModels extends StbCommand<CompareModelsResult> {
  static override summary = 'Train several workload models on one trace and compare them on held-out sessions.';
  static override description = `Splits the trace's sessions into train and test (--test-fraction), trains each model on the train split, and reports on the test split: next-template top-1 accuracy and log-loss (each statement after a session's first, predicted from those before it), the validator's fidelity score of traces each model generates (as many events as the test split; mean of --fidelity-runs seeds), training time, generation speed and model size.
The trace is held in memory. Neural flags apply to lstm and transformer; --order to markov.`;
  static override examples = [
    '<%= config.bin %> compare-models trace.jsonl',
    '<%= config.bin %> compare-models trace.jsonl --models markov,lstm --epochs 20 --window 8 --json',
    '<%= config.bin %> compare-models monday.jsonl --test tuesday.jsonl --models markov,transformer',
  ];

  static override args = {
    trace: Args.string({ description: 'Trace file written by `stb parse` (or - for stdin).', required: true }),
  };

  static override flags = {
    models: Flags.string({ summary: 'Models to compare, comma-separated.', default: 'markov,lstm,transformer' }),
    'test-fraction': Flags.string({ summary: 'Share of sessions held out for testing.', default: '0.2', exclusive: ['test'] }),
    test: Flags.string({ summary: 'Test on this trace instead of held-out sessions (the whole first trace is trained on).', exclusive: ['test-fraction'] }),
    order: Flags.integer({ char: 'k', summary: '[markov] Chain order: 1, 2 or 3.', default: 1 }),
    'min-value-count': Flags.integer({ summary: 'Keep a literal value only if it occurred at least this many times.', default: 5 }),
    dialect: Flags.string({ summary: 'Dialect when the trace header does not say (default postgres).', options: ['postgres', 'mysql', 'sqlite'] }),
    temperature: Flags.string({ summary: '[lstm, transformer] Sampling temperature when generating.', default: '1' }),
    'fidelity-runs': Flags.integer({ summary: 'Traces generated per model for the fidelity score (their mean is shown).', default: 3 }),
    ...neuralFlags,
  };

  async run(): Promise<CompareModelsResult> {
    const { args, flags } = await this.parse(CompareModels);
    const progress = new ProgressLine();
    const registry = defaultRegistry();
    const models = flags.models
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    for (const m of models) registry.create(m); // unknown names fail before the trace is read
    const validator = new WorkloadValidator();
    const comparison = await compareModels(new TraceFileSource(args.trace), {
      registry,
      models,
      seed: flags.seed,
      fidelityRuns: flags['fidelity-runs'],
      testFraction: Number(flags['test-fraction']),
      ...(flags.test !== undefined ? { testTrace: new TraceFileSource(flags.test) } : {}),
      settings: { minValueCount: flags['min-value-count'], ...(flags.dialect ? { dialect: flags.dialect } : {}) },
      modelSettings: {
        markov: { order: flags.order },
        lstm: neuralSettings(flags, 'lstm', progress),
        transformer: neuralSettings(flags, 'transformer', progress),
      },
      generateSettings: { temperature: Number(flags.temperature), backend: flags.backend },
      fidelity: async (heldOut, synthetic) => (await validator.compare(heldOut, synthetic)).score,
      onStage: (model, stage) =>
        progress.update(
          () =>
            `${model}: ${stage === 'train' ? 'training' : stage === 'evaluate' ? 'scoring next-template predictions' : stage === 'generate' ? 'generating' : 'validating'}…`,
        ),
    });
    progress.clear();
    for (const row of comparison.models) for (const w of row.warnings) this.warnLine(`${row.name}: ${w}`);
    this.say(
      `${comparison.trace}: trained on ${int(comparison.train.sessions)} sessions (${int(comparison.train.events)} events), tested on ${int(comparison.test.sessions)} ${flags.test !== undefined ? `sessions of ${flags.test}` : 'held-out sessions'} (${int(comparison.test.events)} events)`,
    );
    this.say();
    const pct = (x: number) => (Number.isNaN(x) ? '—' : `${(100 * x).toFixed(1)}%`);
    this.say(
      table(
        ['model', 'accuracy', 'log-loss', 'fidelity', 'train', 'generate', 'size'],
        comparison.models.map((r) => [
          r.name,
          pct(r.accuracy),
          Number.isNaN(r.logLoss) ? '—' : r.logLoss.toFixed(3),
          r.fidelity.toFixed(3),
          `${r.trainSeconds.toFixed(1)} s`,
          `${int(r.eventsPerSecond)} ev/s`,
          size(r.bytes),
        ]),
        new Set([1, 2, 3, 4, 5, 6]),
      ),
    );
    this.say();
    this.say(
      `accuracy: next template top-1 on ${int(comparison.models[0]?.predictions ?? 0)} test predictions; fidelity: the validator's score (0–1) against the test sessions, mean of ${flags['fidelity-runs']} generated trace${flags['fidelity-runs'] === 1 ? '' : 's'}`,
    );
    return comparison;
  }
}

import { Args, Flags } from '@oclif/core';
import { TrainingService } from '@sqltrace/app';
import type { NeuralTrainingJson } from '@sqltrace/generators';
import { int } from '../shared/format';
import { neuralFlags, neuralSettings } from '../shared/neural-flags';
import { ProgressLine } from '../shared/progress-line';
import { StbCommand } from '../shared/stb-command';

export interface TrainResult {
  model: string;
  strategy: string;
  trace: string;
  events: number;
  sessions: number;
  templates: number;
  order?: number;
  minValueCount: number;
  /** lstm / transformer: epochs, held-out loss and accuracy, sequences/s, backend. */
  training?: NeuralTrainingJson;
  seconds: number;
  bytes: number;
  warnings: string[];
}

export default class Train extends StbCommand<TrainResult> {
  static override summary = 'Learn a workload model from a trace.';
  static override description = `Learns templates, per-slot parameter models, the session arrival curve, session lengths, think times per transition and durations per template, plus the strategy's sequence model: markov, an order-k chain over templates with back-off; lstm or transformer, a TensorFlow.js network predicting the next template from the statements before it and the idle time before each (both read each whole session a statement at a time by default — the LSTM through its state, the transformer through causal attention; --context window: the last --window statements) (trained with a held-out split of sessions and early stopping; the fastest backend installed runs: tfjs-node, else WebAssembly, else plain JS).
Privacy: a literal value is kept in the model only if it occurred at least --min-value-count times; passwords, connection strings and file paths never are.`;
  static override examples = [
    '<%= config.bin %> train trace.jsonl -o model.json',
    '<%= config.bin %> train trace.jsonl.gz --model markov --order 2 --min-value-count 10 -o model.json --json',
    '<%= config.bin %> train trace.jsonl --model lstm --epochs 20 --window 16 --units 64 -o lstm.json',
    '<%= config.bin %> train trace.jsonl --model transformer --backend wasm -o transformer.json',
  ];

  static override args = {
    trace: Args.string({ description: 'Trace file written by `stb parse` (or - for stdin).', required: true }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', summary: 'Workload model strategy: markov, lstm or transformer.', default: 'markov' }),
    order: Flags.integer({ char: 'k', summary: 'Markov chain order: 1, 2 or 3 (longer histories back off when unseen).', default: 1 }),
    'min-value-count': Flags.integer({ summary: 'Keep a literal value only if it occurred at least this many times.', default: 5 }),
    dialect: Flags.string({ summary: 'Dialect when the trace header does not say (default postgres).', options: ['postgres', 'mysql', 'sqlite'] }),
    output: Flags.string({ char: 'o', summary: 'Model file to write (JSON).', required: true }),
    ...neuralFlags,
  };

  async run(): Promise<TrainResult> {
    const { args, flags } = await this.parse(Train);
    const progress = new ProgressLine();
    const summary = await new TrainingService().train(
      {
        trace: args.trace,
        strategy: flags.model,
        output: flags.output,
        settings: { order: flags.order, minValueCount: flags['min-value-count'], dialect: flags.dialect, ...neuralSettings(flags, flags.model, progress) },
      },
      { onEvents: (events) => progress.update(() => `training ${flags.model}: ${int(events)} events read`) },
    );
    progress.clear();
    const result: TrainResult = {
      model: summary.output,
      strategy: summary.strategy,
      trace: args.trace,
      events: summary.events,
      sessions: summary.sessions,
      templates: summary.templates,
      ...(summary.strategy === 'markov' ? { order: flags.order } : {}),
      minValueCount: flags['min-value-count'],
      ...(summary.training !== undefined ? { training: summary.training } : {}),
      seconds: summary.seconds,
      bytes: summary.bytes,
      warnings: [...summary.warnings],
    };
    for (const w of result.warnings) this.warnLine(w);
    this.say(
      `trained a ${result.strategy}${result.order !== undefined ? ` (order ${result.order})` : ''} model on ${int(result.events)} events, ${int(result.sessions)} sessions, ${int(result.templates)} templates in ${result.seconds.toFixed(2)} s`,
    );
    const t = result.training;
    if (t !== undefined) {
      this.say(
        `network: ${t.epochs} epoch${t.epochs === 1 ? '' : 's'}${t.stoppedEarly ? ' (stopped early)' : ''}, best at epoch ${t.bestEpoch}: held-out loss ${t.validationLoss.toFixed(3)}, accuracy ${(100 * t.validationAccuracy).toFixed(1)}% on ${int(t.holdoutSessions)} held-out sessions${t.fidelity !== undefined ? `; sampled sessions: template-mix TVD ${t.fidelity.templateMix.toFixed(3)}, transitions ${t.fidelity.transitions.toFixed(3)}` : ''}; ${int(t.sequencesPerSecond)} predictions/s on the ${t.backend} backend`,
      );
    }
    this.say(`model written to ${flags.output} (${int(result.bytes)} bytes); literals kept only if seen ≥ ${result.minValueCount} times`);
    return result;
  }
}

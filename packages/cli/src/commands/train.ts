import { statSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { StbError, TraceFileSource } from '@sqltrace/core';
import { defaultRegistry, saveModelFile } from '@sqltrace/generators';
import { int } from '../shared/format';
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
  seconds: number;
  bytes: number;
  warnings: string[];
}

/** Strategies the architecture names that are not built yet, so the message says so instead of "unknown". */
const COMING = new Set(['lstm', 'transformer']);

export default class Train extends StbCommand<TrainResult> {
  static override summary = 'Learn a workload model from a trace.';
  static override description = `Learns templates, per-slot parameter models, the session arrival curve, session lengths, think times per transition and durations per template, plus the strategy's sequence model (markov: an order-k chain over templates with back-off).
Privacy: a literal value is kept in the model only if it occurred at least --min-value-count times; passwords, connection strings and file paths never are.`;
  static override examples = ['<%= config.bin %> train trace.jsonl -o model.json', '<%= config.bin %> train trace.jsonl.gz --model markov --order 2 --min-value-count 10 -o model.json --json'];

  static override args = {
    trace: Args.string({ description: 'Trace file written by `stb parse` (or - for stdin).', required: true }),
  };

  static override flags = {
    model: Flags.string({ char: 'm', summary: 'Workload model strategy.', default: 'markov' }),
    order: Flags.integer({ char: 'k', summary: 'Markov chain order: 1, 2 or 3 (longer histories back off when unseen).', default: 1 }),
    'min-value-count': Flags.integer({ summary: 'Keep a literal value only if it occurred at least this many times.', default: 5 }),
    dialect: Flags.string({ summary: 'Dialect when the trace header does not say (default postgres).', options: ['postgres', 'mysql', 'sqlite'] }),
    output: Flags.string({ char: 'o', summary: 'Model file to write (JSON).', required: true }),
  };

  async run(): Promise<TrainResult> {
    const { args, flags } = await this.parse(Train);
    const registry = defaultRegistry();
    if (!registry.has(flags.model) && COMING.has(flags.model)) {
      throw new StbError('E_USAGE', `the ${flags.model} model is not available yet`, { hint: `Use one of: ${registry.names().join(', ')}` });
    }
    const generator = registry.create(flags.model);
    const progress = new ProgressLine();
    const started = performance.now();
    const model = await generator.train(new TraceFileSource(args.trace), {
      settings: { order: flags.order, minValueCount: flags['min-value-count'], dialect: flags.dialect },
      onEvents: (events) => progress.update(() => `training ${flags.model}: ${int(events)} events read`),
    });
    progress.clear();
    await saveModelFile(flags.output, generator.name, model.toJSON());
    const seconds = (performance.now() - started) / 1000;
    const json = model.toJSON() as { profile?: { trace: { events: number; sessions: number }; templates: unknown[] } };
    const profile = json.profile;
    const result: TrainResult = {
      model: flags.output,
      strategy: generator.name,
      trace: args.trace,
      events: profile?.trace.events ?? 0,
      sessions: profile?.trace.sessions ?? 0,
      templates: profile?.templates.length ?? 0,
      ...(generator.name === 'markov' ? { order: flags.order } : {}),
      minValueCount: flags['min-value-count'],
      seconds,
      bytes: statSync(flags.output).size,
      warnings: [...(model.warnings ?? [])],
    };
    for (const w of result.warnings) this.warnLine(w);
    this.say(`trained a ${result.strategy}${result.order !== undefined ? ` (order ${result.order})` : ''} model on ${int(result.events)} events, ${int(result.sessions)} sessions, ${int(result.templates)} templates in ${seconds.toFixed(2)} s`);
    this.say(`model written to ${flags.output} (${int(result.bytes)} bytes); literals kept only if seen ≥ ${result.minValueCount} times`);
    return result;
  }
}

import { Args, Flags } from '@oclif/core';
import { GenerationService, type GenerationSummary } from '@sqltrace/app';
import { checkOutputPath } from '@sqltrace/core';
import { parseDuration } from '../shared/duration';
import { int } from '../shared/format';
import { ProgressLine } from '../shared/progress-line';
import { StbCommand } from '../shared/stb-command';

export interface GenerateResult {
  model: string;
  output: string;
  strategy: string;
  seed: string;
  events: number;
  sessions: number;
  /** Synthetic time covered, seconds. */
  spanSeconds: number;
  seconds: number;
  eventsPerSecond: number;
  /** lstm / transformer: the TensorFlow.js backend that ran. */
  backend?: string;
  /** What the user should know about the trace (also printed to stderr). */
  warnings: string[];
}

export default class Generate extends StbCommand<GenerateResult> {
  static override summary = 'Synthesize a trace from a workload model.';
  static override description = `Streams events in time order with bounded memory. Without --events or --duration it generates as many events as the training trace had. Transactions are always complete: a run that stops mid-transaction finishes it.
The same --seed gives the same bytes.`;
  static override examples = [
    '<%= config.bin %> generate model.json -o synthetic.jsonl',
    '<%= config.bin %> generate model.json -o synthetic.jsonl.gz --events 1000000 --sessions 200 --seed 7',
    '<%= config.bin %> generate model.json -o - --duration 10m --speed 4 | head',
  ];

  static override args = {
    model: Args.string({ description: 'Model file written by `stb train`.', required: true }),
  };

  static override flags = {
    output: Flags.string({ char: 'o', summary: 'Trace file to write (.jsonl, .jsonl.gz, or - for stdout).', required: true }),
    events: Flags.integer({ char: 'n', summary: 'Number of events (default: as many as the training trace).', exclusive: ['duration'] }),
    duration: Flags.string({ char: 'd', summary: 'Synthetic time to cover instead, e.g. 90s, 10m, 2h.', exclusive: ['events'] }),
    sessions: Flags.string({ summary: 'Average number of concurrently open sessions (default: as in the trace).' }),
    speed: Flags.string({ summary: 'Time compression: 2 runs the workload twice as fast.', default: '1' }),
    seed: Flags.string({ summary: 'Random seed: the same seed gives the same bytes.', default: '1' }),
    style: Flags.string({
      summary: 'How values are written: as the trace had them, bound parameters, or inline literals.',
      options: ['auto', 'params', 'inline'],
      default: 'auto',
    }),
    temperature: Flags.string({ summary: '[lstm, transformer] Sampling temperature: 1 as learned, lower favours the likeliest next template.', default: '1' }),
    'min-probability': Flags.string({
      summary: '[lstm, transformer] Templates the network predicts below this probability are not drawn.',
      default: '0.000001',
    }),
    backend: Flags.string({
      summary:
        '[lstm, transformer] TensorFlow.js backend: auto picks tfjs-node if installed, else wasm, else cpu; typed-array runs a window LSTM without TensorFlow.js. An LSTM trained in session context (the default) always steps in typed arrays.',
      options: ['auto', 'tensorflow', 'wasm', 'cpu', 'typed-array'],
      default: 'auto',
    }),
  };

  async run(): Promise<GenerateResult> {
    const { args, flags } = await this.parse(Generate);
    this.stdoutIsData = flags.output === '-';
    checkOutputPath(flags.output, [args.model]);
    const service = new GenerationService();
    const loaded = await service.load(args.model);
    const progress = new ProgressLine(process.stderr.isTTY === true && flags.output !== '-');
    let summary: GenerationSummary;
    try {
      summary = await service.generate(
        loaded,
        {
          output: flags.output,
          seed: flags.seed,
          ...(flags.events !== undefined ? { events: flags.events } : {}),
          ...(flags.duration !== undefined ? { durationSeconds: parseDuration(flags.duration, '--duration') } : {}),
          ...(flags.sessions !== undefined ? { sessions: Number(flags.sessions) } : {}),
          speed: Number(flags.speed),
          style: flags.style as 'auto' | 'params' | 'inline',
          settings: { temperature: Number(flags.temperature), minProbability: Number(flags['min-probability']), backend: flags.backend },
          writtenBy: `stb ${this.config.version}`,
        },
        { onProgress: ({ events }) => progress.update(() => `generating: ${int(events)} events`) },
      );
    } finally {
      progress.clear();
    }
    const { output: _, ...rest } = summary;
    const result: GenerateResult = { model: args.model, output: flags.output, ...rest, warnings: [...summary.warnings] };
    for (const warning of result.warnings) process.stderr.write(`warning: ${warning}\n`);
    if (flags.output !== '-') {
      this.say(
        `generated ${int(result.events)} events in ${int(result.sessions)} sessions covering ${result.spanSeconds.toFixed(1)} s of synthetic time (seed ${flags.seed})`,
      );
      this.say(
        `written to ${flags.output} in ${result.seconds.toFixed(2)} s (${int(result.eventsPerSecond)} events/s${result.backend !== undefined ? `; the ${result.strategy} network ran on the ${result.backend} backend` : ''})`,
      );
    }
    return result;
  }
}

import { basename } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { type ParseSummary, parseLogsToTrace, type LogFormat } from '@sqltrace/parser';
import { int, megabytes, rate } from '../shared/format';
import { logInputFlags } from '../shared/parse-flags';
import { ProgressLine } from '../shared/progress-line';
import { StbCommand } from '../shared/stb-command';

export interface ParseResult {
  output: string;
  events: number;
  seconds: number;
  inputs: ParseSummary[];
}

export default class Parse extends StbCommand<ParseResult> {
  static override summary = 'Parse query logs into a trace (JSONL): one event per executed statement.';
  static override description = `Reads PostgreSQL stderr (any log_line_prefix, syslog-wrapped too), csvlog and jsonlog (also Cloud SQL and CloudNativePG envelopes), MySQL/MariaDB general and slow logs, and plain .sql files; plain, .gz or .bz2, or - for stdin.
Every event gets its templateId and its literals as params. Every input line is accounted for: lines that are not statements are counted and reported with their line numbers.`;

  static override examples = [
    '<%= config.bin %> parse postgresql.log -o trace.jsonl',
    "<%= config.bin %> parse postgresql-*.log.gz --prefix '%m [%p] ' -o trace.jsonl.gz",
    '<%= config.bin %> parse mysql-slow.log -o slow.jsonl --json',
    '<%= config.bin %> parse schema.sql -f sql --dialect mysql -o statements.jsonl',
  ];

  static override args = {
    logs: Args.string({ description: 'Log files (or - for stdin).', required: true }),
  };

  static override strict = false;

  static override flags = {
    ...logInputFlags,
    output: Flags.string({ char: 'o', summary: 'Trace file to write (.jsonl, .jsonl.gz, or - for stdout).' }),
    'show-skipped': Flags.integer({ summary: 'Line numbers to show per skip reason.', default: 5 }),
    threads: Flags.integer({
      summary: 'Worker threads for normalizing (0: everything on one thread).',
      description:
        'Reading and parsing stay on the main thread; normalizing and encoding go to a worker, and the main thread helps when the worker falls behind.',
      default: 1,
      min: 0,
      max: 1,
    }),
  };

  async run(): Promise<ParseResult> {
    const { argv, flags } = await this.parse(Parse);
    const logs = argv as string[];
    const output = flags.output ?? defaultOutput(logs[0]!);
    this.stdoutIsData = output === '-';
    const progress = new ProgressLine(!this.jsonEnabled() && output !== '-' && process.stderr.isTTY === true);
    const started = performance.now();
    const result = await parseLogsToTrace(logs, {
      output,
      format: flags.format as LogFormat | 'auto',
      dialect: flags.dialect as 'postgres' | 'mysql' | 'sqlite' | undefined,
      prefix: flags.prefix,
      timeZone: flags['time-zone'],
      year: flags.year,
      sampleSkippedLines: flags['show-skipped'],
      threads: flags.threads,
      generator: `stb ${this.config.version}`,
      onProgress: (p) =>
        progress.update(() => {
          const seconds = (performance.now() - started) / 1000;
          const share = p.totalBytes ? ` ${((100 * p.bytesRead) / p.totalBytes).toFixed(0)}%` : '';
          // Compressed input: the log text read and its rate, with the file's own bytes beside them.
          const compressed = p.textBytes > p.bytesRead * 1.05 ? ` (${megabytes(p.bytesRead)} compressed, ${megabytes(p.bytesRead / seconds)}/s)` : '';
          return `parsing ${basename(p.file)} ${megabytes(p.textBytes)} ${megabytes(p.textBytes / seconds)}/s${compressed}${share}  ${int(p.lines)} lines  ${int(p.events)} statements  ${rate(p.events / seconds)}/s`;
        }),
    }).finally(() => progress.clear());

    for (const input of result.inputs) {
      for (const w of input.warnings.slice(0, 10)) this.warnLine(`${w.file}${w.line ? `:${w.line}` : ''}: ${w.message}`);
      if (input.warnings.length > 10) this.warnLine(`${input.file}: ${input.warnings.length - 10} more warnings`);
    }
    if (output !== '-') this.report(result.inputs, result.events, result.seconds, output);
    return { output, events: result.events, seconds: result.seconds, inputs: [...result.inputs] };
  }

  private report(inputs: readonly ParseSummary[], events: number, seconds: number, output: string): void {
    const bytes = inputs.reduce((n, s) => n + s.bytes, 0);
    this.say(
      `Parsed ${inputs.length} file${inputs.length === 1 ? '' : 's'} in ${seconds.toFixed(2)} s (${megabytes(bytes / Math.max(seconds, 1e-9))}/s, ${rate(events / Math.max(seconds, 1e-9))} statements/s) → ${output}`,
    );
    for (const s of inputs) {
      this.say(`  ${s.file}: ${s.format} (${s.formatReason})${s.prefix !== undefined ? `, log_line_prefix '${s.prefix}'` : ''}`);
      this.say(`    lines   ${int(s.totalLines)} read = ${int(s.usedLines)} used + ${int(s.skippedLines)} skipped`);
      this.say(
        `    events  ${int(s.events)} (${int(s.eventsWithBindParams)} with bind parameters${s.extendedEvents > 0 ? `, ${int(s.extendedEvents)} as prepared statements` : ''}, ${int(s.errors)} failed), ${s.sessionsApproximate ? '~' : ''}${int(s.sessions)} sessions, ${int(s.templates)} templates`,
      );
      if (s.skipped.length > 0) {
        this.say('    skipped:');
        for (const r of s.skipped.slice(0, 10)) {
          const more = r.lines > r.firstLines.length ? ' …' : '';
          this.say(`      ${int(r.lines).padStart(8)} lines  ${r.reason} (line ${r.firstLines.join(', ')}${more})`);
        }
        if (s.skipped.length > 10) this.say(`      and ${s.skipped.length - 10} more reasons (--json lists them all)`);
      }
    }
  }
}

function defaultOutput(first: string): string {
  if (first === '-') return '-';
  return `${basename(first)
    .replace(/(\.(gz|bz2))?$/, '')
    .replace(/\.(log|csv|json|txt|sql)$/, '')}.jsonl`;
}

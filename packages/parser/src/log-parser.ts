import { ClockResolution, DEFAULT_MAX_LINE_LENGTH, type LineBatch, StbError, type TraceEvent, type TraceSource, readLineBatches } from '@sqltrace/core';
import { detectFormat } from './format/detect-format';
import { dialectOf, type LogFormat } from './format/log-format';
import { openLogInput } from './input/open-log-input';
import { Normalizer } from './normalizer/normalizer';
import { normalizeEvent } from './parallel/normalize-event';
import { DistinctCounter } from './distinct-counter';
import { emptySummary, type ParseSummary, type ParseWarning, type SkipReason } from './parse-summary';
import { MysqlGeneralReader } from './readers/mysql-general-reader';
import { MysqlSlowReader } from './readers/mysql-slow-reader';
import { PgCsvReader } from './readers/pg-csv-reader';
import { PgJsonReader } from './readers/pg-json-reader';
import { compilePrefix } from './readers/pg-prefix';
import { PgStderrReader } from './readers/pg-stderr-reader';
import { PgSyslogReader } from './readers/pg-syslog-reader';
import type { LogReader, ReaderSink } from './readers/reader-sink';
import { SqlFileReader } from './readers/sql-file-reader';

export interface ParseLogOptions {
  /** `auto` (default) detects the format from the first lines and says what it picked. */
  readonly format?: LogFormat | 'auto';
  /** SQL dialect for `sql` files (PostgreSQL and MySQL logs imply theirs). */
  readonly dialect?: 'postgres' | 'mysql' | 'sqlite';
  /** PostgreSQL `log_line_prefix`; detected when absent. */
  readonly prefix?: string;
  /** Offset such as `+05:00` or `-0330` for timestamps printed without a zone. */
  readonly timeZone?: string;
  /** Year for syslog timestamps, which have none. */
  readonly year?: number;
  /** Add `templateId` and split literals into `params` (default true). */
  readonly normalize?: boolean;
  readonly maxLineLength?: number;
  /** Kept per reason in the summary (default 5). */
  readonly sampleSkippedLines?: number;
  readonly signal?: AbortSignal;
  /** Called once the format is known, before the first batch (e.g. to set up a pipeline). */
  readonly onFormat?: (format: LogFormat, dialect: 'postgres' | 'mysql' | 'sqlite') => void;
  readonly onWarning?: (warning: ParseWarning) => void;
  /** Called after each batch with the bytes read so far (compressed bytes for archives). */
  /**
   * Progress, after each batch: `bytesRead` of the file as stored (compressed or not; of
   * `totalBytes`), `textBytes` of log text read (decompressed), lines and statements so far.
   */
  readonly onProgress?: (progress: { bytesRead: number; totalBytes: number | undefined; textBytes: number; lines: number; events: number }) => void;
}

const MAX_WARNINGS = 100;
const YEAR_2000_US = Date.UTC(2000, 0, 1) * 1000;
const DAY_US = 86_400_000_000;

/**
 * Parses one query log into trace events, streaming: {@link batches} yields arrays of events as
 * the input is read, with bounded memory. {@link summary} accounts for every input line.
 * Also a {@link TraceSource}, so a log can be handed to anything that takes a trace.
 */
export class LogParser implements TraceSource {
  readonly name: string;
  readonly summary: ParseSummary;
  readonly #path: string;
  readonly #options: ParseLogOptions;

  constructor(path: string, options: ParseLogOptions = {}) {
    this.#path = path;
    this.name = path === '-' ? 'stdin' : path;
    this.#options = options;
    this.summary = emptySummary(this.name);
  }

  async *events(): AsyncGenerator<TraceEvent> {
    for await (const batch of this.batches()) yield* batch;
  }

  async *batches(): AsyncGenerator<TraceEvent[]> {
    const started = performance.now();
    const options = this.#options;
    const summary = this.summary;
    const input = openLogInput(this.#path);
    const samplePerReason = options.sampleSkippedLines ?? 5;
    const reasons = new Map<string, SkipReason>();
    const sessions = new DistinctCounter();
    const templates = new DistinctCounter();
    const warn = (line: number | undefined, message: string) => {
      const warning: ParseWarning = line === undefined ? { file: this.name, message } : { file: this.name, line, message };
      if (summary.warnings.length < MAX_WARNINGS) summary.warnings.push(warning);
      options.onWarning?.(warning);
    };
    let out: TraceEvent[] = [];
    const clock = new ClockResolution();
    let previousTs = NaN;
    let badTimes = 0;
    let normalizer: Normalizer | undefined;
    const normalize = options.normalize !== false;
    const sink: ReaderSink = {
      event: (event: TraceEvent, extended?: boolean, line?: number) => {
        // Everything the summary counts, in the one place every event passes.
        summary.events++;
        if (event.params !== undefined) summary.eventsWithBindParams++;
        if (extended === true) summary.extendedEvents++;
        if (event.error !== undefined) summary.errors++;
        if (!Number.isFinite(event.ts)) event.ts = 0;
        // A time before 2000 or a day away from the event before it is a clock or parse problem
        // the user should see where it is (the trace keeps the event as logged).
        // (A .sql file has no clock: its statements are numbered 1 ms apart from 0.)
        if (summary.format !== 'sql' && (event.ts < YEAR_2000_US || Math.abs(event.ts - previousTs) > DAY_US)) {
          if (event.ts < YEAR_2000_US || Number.isFinite(previousTs)) {
            if (++badTimes <= 10)
              warn(
                line,
                `statement time ${new Date(event.ts / 1000).toISOString()} is ${event.ts < YEAR_2000_US ? 'before 2000-01-01' : 'more than a day from the statement before it'}: check the log's clock and time zone`,
              );
          }
        }
        previousTs = event.ts;
        clock.add(event);
        summary.resolutionUs = clock.resolutionUs;
        sessions.add(event.session);
        if (normalizer !== undefined) templates.add(normalizeEvent(event, normalizer).templateId!);
        out.push(event);
      },
      used: (lines) => {
        summary.usedLines += lines;
      },
      skipped: (line, lines, reason) => {
        if (lines <= 0) return;
        summary.skippedLines += lines;
        let entry = reasons.get(reason);
        if (entry === undefined) {
          entry = { reason, lines: 0, firstLines: [] };
          reasons.set(reason, entry);
          summary.skipped.push(entry);
        }
        entry.lines += lines;
        if (entry.firstLines.length < samplePerReason) entry.firstLines.push(line);
      },
      warning: (line, message) => warn(line, message),
    };
    const unknownZones = new Set<string>();
    const onUnknownZone = (zone: string) => {
      if (unknownZones.has(zone)) return;
      unknownZones.add(zone);
      warn(undefined, `time zone "${zone}" is not known; its timestamps are read as UTC (use --time-zone to set the offset)`);
    };
    const offsetMinutes = parseOffset(options.timeZone);

    let reader: LogReader | undefined;
    let bytesRead = 0;
    let textBytes = 0;
    input.raw.on('data', (chunk: Buffer) => {
      bytesRead += chunk.length;
    });
    const lines = readLineBatches(input.stream, {
      name: this.name,
      maxLineLength: options.maxLineLength,
      signal: options.signal,
      onWarning: (w) => warn(w.line, w.message),
      onChunk: (n) => (textBytes += n),
      // In no batch, but read: counted as skipped, so that used + skipped = read stays exact.
      onLongLine: (line) => {
        longLines++;
        sink.skipped(line, 1, `line longer than ${options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH} characters`);
        if (line > summary.totalLines) summary.totalLines = line;
      },
    });
    let longLines = 0;
    try {
      for await (const batch of lines) {
        if (reader === undefined) {
          const setup = this.#chooseReader(batch, sink, { offsetMinutes, onUnknownZone, warn });
          reader = setup.reader;
          options.onFormat?.(summary.format!, setup.dialect);
          normalizer = normalize ? new Normalizer({ dialect: setup.dialect }) : undefined;
        }
        const { lines: batchLines, firstLine } = batch;
        for (let i = 0; i < batchLines.length; i++) reader.push(batchLines[i]!, firstLine + i);
        summary.totalLines = firstLine + batchLines.length - 1;
        if (out.length > 0) {
          const events = out;
          out = [];
          yield events;
        }
        options.onProgress?.({ bytesRead, totalBytes: input.sizeBytes, textBytes, lines: summary.totalLines, events: summary.events });
      }
      if (reader === undefined && longLines > 0) {
        throw new StbError(
          'E_FORMAT',
          `${this.name}: no line to read — ${longLines === 1 ? 'its one line is' : `all ${longLines} lines are`} longer than ${options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH} characters`,
          { hint: 'Is this a query log? A log has one entry per line, or a few' },
        );
      }
      if (reader === undefined) {
        throw new StbError('E_FORMAT', `${this.name}: the input is empty`, { hint: 'Check the file (and that the server was logging statements)' });
      }
      reader.end();
      if (out.length > 0) yield out;
      if (badTimes > 10) warn(undefined, `${badTimes} statement times in all are before 2000-01-01 or a day from their neighbours (the first 10 are listed)`);
    } finally {
      input.raw.destroy();
      input.stream.destroy();
      summary.bytes = bytesRead;
      summary.seconds = (performance.now() - started) / 1000;
      summary.sessions = sessions.size;
      summary.sessionsApproximate = sessions.approximate;
      summary.templates = templates.size;
      summary.skipped.sort((a, b) => b.lines - a.lines);
    }
  }

  #chooseReader(
    batch: LineBatch,
    sink: ReaderSink,
    context: { offsetMinutes: number | undefined; onUnknownZone: (zone: string) => void; warn: (line: number | undefined, message: string) => void },
  ): { reader: LogReader; dialect: 'postgres' | 'mysql' | 'sqlite' } {
    const options = this.#options;
    const summary = this.summary;
    let format = options.format === undefined || options.format === 'auto' ? undefined : options.format;
    if (batch.lines.slice(0, 50).some((l) => l.indexOf('\0') !== -1)) {
      throw new StbError('E_FORMAT', `${this.name}:${batch.firstLine}: this is a binary file, not a text log`, {
        hint: 'Pass the query log itself (plain, .gz or .bz2)',
      });
    }
    let reason = 'given with --format';
    const detected = format === undefined || format === 'pg-stderr' ? detectFormat(batch.lines, this.name) : undefined;
    if (format === undefined) {
      if (detected === undefined) {
        const first = batch.lines.find((l) => l.trim().length > 0) ?? '';
        const isTrace = first.startsWith('{"$trace"') || (first.startsWith('{') && first.includes('"sql"') && first.includes('"session"'));
        throw new StbError('E_FORMAT', `${this.name}:${batch.firstLine}: ${isTrace ? 'this is already a trace, not a log' : 'not a log format stb knows'}`, {
          hint: isTrace
            ? 'Use it directly with `stb templates`, `stb train` or `stb bench`'
            : 'Pass --format pg-stderr|pg-csv|pg-json|mysql-general|mysql-slow|sql (and --prefix for unusual PostgreSQL log_line_prefix settings)',
        });
      }
      format = detected.format;
      reason = detected.reason;
    }
    summary.format = format;
    summary.formatReason = reason;
    const dialect = dialectOf(format) ?? options.dialect ?? 'postgres';
    const tz = { offsetMinutes: context.offsetMinutes, onUnknownZone: context.onUnknownZone };
    switch (format) {
      case 'pg-stderr': {
        const prefix = options.prefix === undefined ? undefined : compilePrefix(options.prefix);
        if (prefix) summary.prefix = prefix.prefix;
        const onPrefix = (p: { prefix: string } | undefined) => {
          summary.prefix = p?.prefix;
          if (p === undefined) context.warn(undefined, "no known log_line_prefix matches the first lines; pass --prefix with the server's log_line_prefix");
        };
        if (detected?.reason.startsWith('syslog')) {
          summary.formatReason = detected.reason;
          return { reader: new PgSyslogReader(sink, { ...tz, prefix, onPrefix, year: options.year }), dialect };
        }
        return { reader: new PgStderrReader(sink, { ...tz, prefix, onPrefix }), dialect };
      }
      case 'pg-csv':
        return { reader: new PgCsvReader(sink, tz), dialect };
      case 'pg-json':
        return { reader: new PgJsonReader(sink, tz), dialect };
      case 'mysql-general':
        return { reader: new MysqlGeneralReader(sink, tz), dialect };
      case 'mysql-slow':
        return { reader: new MysqlSlowReader(sink, tz), dialect };
      case 'sql':
        return { reader: new SqlFileReader(sink, { dialect }), dialect };
      default:
        throw new StbError('E_USAGE', `unknown format "${String(format)}"`, {
          hint: 'Use one of auto, pg-stderr, pg-csv, pg-json, mysql-general, mysql-slow, sql',
        });
    }
  }
}

/** `+05:00`, `-0330`, `+5`, `UTC` → minutes east of UTC. */
function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (/^(UTC|GMT|Z)$/i.test(text)) return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d\d))?$/.exec(text);
  if (!m) throw new StbError('E_USAGE', `time zone "${text}" is not an offset`, { hint: 'Use an offset such as +05:00 or -0330, or UTC' });
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0));
}

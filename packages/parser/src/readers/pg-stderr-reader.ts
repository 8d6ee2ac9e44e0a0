import { PgEventAssembler } from './pg-event-assembler';
import { type CompiledPrefix, detectPrefix, readGenericPrefix } from './pg-prefix';
import type { PgRecord } from './pg-record';
import { parseLogTimestamp } from './log-timestamp';
import type { LogReader, ReaderSink } from './reader-sink';

export interface PgStderrOptions {
  /** The server's log_line_prefix; detected from the first lines when absent. */
  readonly prefix?: CompiledPrefix;
  /** Offset (minutes east of UTC) for timestamps printed without a zone. */
  readonly offsetMinutes?: number;
  readonly onUnknownZone?: (zone: string) => void;
  /** Told which prefix detection picked. */
  readonly onPrefix?: (prefix: CompiledPrefix | undefined) => void;
}

const DETECT_LINES = 400;

interface Buffered {
  line: string;
  lineNo: number;
  ts: number;
  pid: string | undefined;
}

/**
 * PostgreSQL stderr logs with any `log_line_prefix`. Lines that do not start a message and begin
 * with a tab continue the previous message (multi-line statements and parameter values).
 * Wrappers (syslog, Cloud Logging) pass the time and pid they carry with {@link pushWith}.
 */
export class PgStderrReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #assembler: PgEventAssembler;
  readonly #options: PgStderrOptions;
  #prefix: CompiledPrefix | undefined;
  #detecting: Buffered[] | undefined;
  #current: PgRecord | undefined;
  #continuation: string[] | undefined;
  /** Inside a block of lines that belong to no message (a memory-context dump, pg_ctl output). */
  #orphanReason: string | undefined;
  #tsAt = -1;
  #epochAt = -1;
  #fieldAt: Record<string, number> = {};

  constructor(sink: ReaderSink, options: PgStderrOptions = {}) {
    this.#sink = sink;
    this.#options = options;
    this.#assembler = new PgEventAssembler(sink);
    if (options.prefix) this.#usePrefix(options.prefix);
    else this.#detecting = [];
  }

  push(line: string, lineNo: number): void {
    this.pushWith(line, lineNo, NaN, undefined);
  }

  /** A line whose wrapper supplies the time (µs) and pid the prefix may lack. */
  pushWith(line: string, lineNo: number, ts: number, pid: string | undefined): void {
    if (this.#detecting !== undefined) {
      this.#detecting.push({ line, lineNo, ts, pid });
      if (this.#detecting.length >= DETECT_LINES) this.#finishDetection();
      return;
    }
    this.#line(line, lineNo, ts, pid);
  }

  /** A continuation of the current message supplied by a wrapper (syslog `[N-2]` lines). */
  pushContinuation(text: string, lineNo: number): void {
    if (this.#detecting !== undefined) {
      this.#detecting.push({ line: '\t' + text, lineNo, ts: NaN, pid: undefined });
      return;
    }
    this.#line('\t' + text, lineNo, NaN, undefined);
  }

  end(): void {
    if (this.#detecting !== undefined) this.#finishDetection();
    this.#finishRecord();
    this.#assembler.end();
  }

  #finishDetection(): void {
    const buffered = this.#detecting!;
    this.#detecting = undefined;
    const prefix = detectPrefix(buffered.map((b) => b.line));
    this.#options.onPrefix?.(prefix);
    if (prefix) this.#usePrefix(prefix);
    for (const b of buffered) this.#line(b.line, b.lineNo, b.ts, b.pid);
  }

  #usePrefix(prefix: CompiledPrefix): void {
    this.#prefix = prefix;
    this.#fieldAt = {};
    prefix.fields.forEach((field, k) => {
      if (this.#fieldAt[field] === undefined) this.#fieldAt[field] = k + 1;
    });
    this.#tsAt = this.#fieldAt.ts ?? -1;
    this.#epochAt = this.#fieldAt.epoch ?? -1;
  }

  #line(line: string, lineNo: number, wrapperTs: number, wrapperPid: string | undefined): void {
    const prefix = this.#prefix;
    const m = prefix === undefined ? null : prefix.regex.exec(line);
    if (m === null) {
      const c0 = line.charCodeAt(0);
      const indented = c0 === 9 || c0 === 32;
      if (indented && this.#current !== undefined) {
        // Continuation of a multi-line message: PostgreSQL indents them with a tab.
        (this.#continuation ??= []).push(c0 === 9 ? line.slice(1) : line);
        this.#current.lineCount++;
        return;
      }
      this.#finishRecord();
      if (line.length === 0) return this.#sink.skipped(lineNo, 1, 'empty line');
      if (indented && this.#orphanReason !== undefined) return this.#sink.skipped(lineNo, 1, this.#orphanReason);
      this.#orphanReason = prefix === undefined ? 'no known log_line_prefix matches' : 'not a log message (no log_line_prefix and severity)';
      return this.#sink.skipped(lineNo, 1, this.#orphanReason);
    }
    this.#finishRecord();
    this.#orphanReason = undefined;
    if (prefix!.generic) {
      const g = readGenericPrefix(m[1]!);
      this.#current = {
        line: lineNo,
        lineCount: 1,
        ts: g.ts ? parseLogTimestamp(g.ts, this.#options.offsetMinutes, this.#options.onUnknownZone) : wrapperTs,
        pid: g.pid ?? wrapperPid,
        session: g.session,
        user: g.user,
        database: g.database,
        application: g.application,
        severity: m[2]!,
        sqlstate: undefined,
        message: line.slice(m[0].length),
      };
      return;
    }
    const groups = prefix!.fields.length;
    const f = this.#fieldAt;
    let ts = wrapperTs;
    if (this.#tsAt > 0 && m[this.#tsAt]) {
      ts = parseLogTimestamp(m[this.#tsAt]!, this.#options.offsetMinutes, this.#options.onUnknownZone);
    } else if (this.#epochAt > 0 && m[this.#epochAt]) {
      ts = Math.round(Number(m[this.#epochAt]) * 1e6);
    }
    this.#current = {
      line: lineNo,
      lineCount: 1,
      ts,
      pid: (f.pid ? m[f.pid] : undefined) ?? wrapperPid,
      session: f.session ? m[f.session] : undefined,
      user: f.user ? m[f.user] : undefined,
      database: f.database ? m[f.database] : undefined,
      application: f.application ? m[f.application] : undefined,
      severity: m[groups + 1]!,
      sqlstate: f.sqlstate ? m[f.sqlstate] : undefined,
      message: line.slice(m[0].length),
    };
  }

  #finishRecord(): void {
    const record = this.#current;
    if (record === undefined) return;
    this.#current = undefined;
    if (this.#continuation !== undefined) {
      record.message += '\n' + this.#continuation.join('\n');
      this.#continuation = undefined;
    }
    this.#assembler.process(record);
  }
}

import { PgEventAssembler } from './pg-event-assembler';
import { PgStderrReader } from './pg-stderr-reader';
import { parseLogTimestamp } from './log-timestamp';
import type { LogReader, ReaderSink } from './reader-sink';

export interface PgJsonOptions {
  readonly offsetMinutes?: number;
  readonly onUnknownZone?: (zone: string) => void;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/**
 * JSON-lines PostgreSQL logs: native jsonlog (PG 15+), CloudNativePG (`record` holds csvlog-like
 * fields) and Google Cloud Logging (`textPayload` holds a stderr line; `timestamp` the time).
 */
export class PgJsonReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #assembler: PgEventAssembler;
  readonly #options: PgJsonOptions;
  #text: PgStderrReader | undefined;

  constructor(sink: ReaderSink, options: PgJsonOptions = {}) {
    this.#sink = sink;
    this.#options = options;
    this.#assembler = new PgEventAssembler(sink);
  }

  push(line: string, lineNo: number): void {
    if (line.trim().length === 0) return this.#sink.skipped(lineNo, 1, 'empty line');
    let value: Json;
    try {
      value = JSON.parse(line) as Json;
    } catch {
      return this.#sink.skipped(lineNo, 1, 'not valid JSON');
    }
    if (typeof value !== 'object' || value === null) return this.#sink.skipped(lineNo, 1, 'not a JSON object');
    if (typeof value.textPayload === 'string') {
      this.#text ??= new PgStderrReader(this.#sink, this.#options);
      const ts = typeof value.timestamp === 'string' ? Date.parse(value.timestamp) * 1000 + micros(value.timestamp) : NaN;
      this.#text.pushWith(value.textPayload.replace(/\n/g, '\n\t'), lineNo, ts, undefined);
      return;
    }
    const record = (typeof value.record === 'object' && value.record !== null ? value.record : value) as Json;
    const severity = str(record.error_severity);
    const message = str(record.message);
    if (severity === undefined || message === undefined) return this.#sink.skipped(lineNo, 1, 'JSON record without error_severity/message');
    const time = str(record.timestamp ?? record.log_time) ?? '';
    this.#assembler.process({
      line: lineNo,
      lineCount: 1,
      ts: parseLogTimestamp(time, this.#options.offsetMinutes, this.#options.onUnknownZone),
      pid: str(record.pid ?? record.process_id),
      session: str(record.session_id),
      user: str(record.user ?? record.user_name),
      database: str(record.dbname ?? record.database_name),
      application: str(record.application_name),
      severity,
      sqlstate: str(record.state_code ?? record.sql_state_code),
      message,
      detail: str(record.detail),
      query: str(record.statement ?? record.query),
    });
  }

  end(): void {
    this.#text?.end();
    this.#assembler.end();
  }
}

/** Sub-millisecond digits of an ISO timestamp (Date.parse keeps only milliseconds). */
function micros(iso: string): number {
  const m = /\.\d{3}(\d{1,3})/.exec(iso);
  return m ? Number(m[1]!.padEnd(3, '0')) : 0;
}

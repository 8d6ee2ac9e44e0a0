import { PgStderrReader, type PgStderrOptions } from './pg-stderr-reader';
import type { LogReader, ReaderSink } from './reader-sink';

const SYSLOG_LINE = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) \S+ [\w.-]+\[(\d+)\]: \[(\d+)-(\d+)\] ?(.*)$/s;
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

export interface PgSyslogOptions extends PgStderrOptions {
  /** Syslog lines carry no year: the year to assume (default: the current one). */
  readonly year?: number;
}

/**
 * PostgreSQL lines wrapped by syslog: `Mmm dd hh:mm:ss host postgres[pid]: [N-M] <prefix> LOG: …`.
 * `[N-2]`, `[N-3]` … continue message N; `#011` stands for a tab.
 */
export class PgSyslogReader implements LogReader {
  readonly #inner: PgStderrReader;
  readonly #sink: ReaderSink;
  readonly #year: number;
  readonly #offset: number;

  constructor(sink: ReaderSink, options: PgSyslogOptions = {}) {
    this.#sink = sink;
    this.#inner = new PgStderrReader(sink, options);
    this.#year = options.year ?? new Date().getUTCFullYear();
    this.#offset = options.offsetMinutes ?? 0;
  }

  push(line: string, lineNo: number): void {
    const m = SYSLOG_LINE.exec(line);
    if (m === null) {
      this.#sink.skipped(lineNo, 1, line.length === 0 ? 'empty line' : 'not a syslog line');
      return;
    }
    const text = m[9]!.indexOf('#011') === -1 ? m[9]! : m[9]!.replaceAll('#011', '\t');
    if (m[8] !== '1') {
      this.#inner.pushContinuation(text.startsWith('\t') ? text.slice(1) : text, lineNo);
      return;
    }
    const month = MONTHS[m[1]!] ?? 0;
    const ts = (Date.UTC(this.#year, month, +m[2]!, +m[3]!, +m[4]!, +m[5]!) - this.#offset * 60_000) * 1000;
    this.#inner.pushWith(text, lineNo, ts, m[6]);
  }

  end(): void {
    this.#inner.end();
  }
}

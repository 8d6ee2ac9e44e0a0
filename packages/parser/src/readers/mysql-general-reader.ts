import type { TraceEvent } from '@sqltrace/core';
import { parseLogTimestamp } from './log-timestamp';
import type { LogReader, ReaderSink } from './reader-sink';
import { SessionIds } from './session-ids';

export interface MysqlGeneralOptions {
  readonly offsetMinutes?: number;
}

const COMMANDS = 'Query|Execute|Connect|Quit|Init DB|Prepare|Close stmt|Reset stmt|Field List|Statistics|Ping|Change user|Binlog Dump|Binlog Dump GTID|Register Slave|Refresh|Shutdown|Kill|Sleep|Set option|Fetch|Long Data|Daemon|Debug|Processlist|Connect Out|Table Dump|Time|Delayed insert|Error|Create DB|Drop DB';
// `051007 21:55:24\t     42 Query\tSELECT …` (5.1–5.6, MariaDB), `\t\t     42 Query …` (same second),
// `2016-06-07T19:07:02.558338Z    3 Query\tSELECT …` (5.7+, also with +08:00 offsets).
const ENTRY = new RegExp(`^(\\d{6} [ \\d]\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)?)?\\s+(\\d+) (${COMMANDS})(?:[\\t ]+(.*))?$`, 's');
const SERVER_HEADER = /^(?:.+, Version: .* started with:|Tcp port: \d+ |TCP Port: \d+,|Time\s+Id\s+Command)/;

/** Statements held for the first timestamp at most (a log without any is given time 0 past that). */
const MAX_UNTIMED = 200_000;

interface Entry {
  line: number;
  lines: number;
  ts: number;
  thread: string;
  command: string;
  argument: string[];
}

interface Thread {
  session: string;
  lastSeen: number;
  user?: string;
  database?: string;
}

/**
 * MySQL and MariaDB general query logs. Sessions come from the thread id (a new `Connect` on a
 * reused id starts a new session); `Query` and `Execute` are statements, `Init DB` and `Connect`
 * set the database, everything else is reported as skipped.
 */
export class MysqlGeneralReader implements LogReader {
  readonly #sink: ReaderSink;
  readonly #offset: number;
  readonly #threads = new Map<string, Thread>();
  readonly #ids = new SessionIds();
  #entries = 0;
  #entry: Entry | undefined;
  #lastTs = NaN;
  /**
   * Statements logged before the log's first timestamp (a general log prints the time only when
   * the second changes, so a log switched on mid-second starts without one): they take the
   * first timestamp when it comes.
   */
  #untimed: { event: TraceEvent; line: number }[] | undefined = [];

  constructor(sink: ReaderSink, options: MysqlGeneralOptions = {}) {
    this.#sink = sink;
    this.#offset = options.offsetMinutes ?? 0;
  }

  push(line: string, lineNo: number): void {
    const m = ENTRY.exec(line);
    if (m !== null) {
      this.#finish();
      if (m[1] !== undefined) {
        this.#lastTs = parseLogTimestamp(m[1].replace('T', ' '), this.#offset);
        if (this.#untimed !== undefined && Number.isFinite(this.#lastTs)) this.#releaseUntimed();
      }
      this.#entry = { line: lineNo, lines: 1, ts: this.#lastTs, thread: m[2]!, command: m[3]!, argument: [m[4] ?? ''] };
      return;
    }
    if (SERVER_HEADER.test(line)) {
      this.#finish();
      return this.#sink.skipped(lineNo, 1, 'server start-up header');
    }
    if (this.#entry !== undefined) {
      this.#entry.argument.push(line);
      this.#entry.lines++;
      return;
    }
    this.#sink.skipped(lineNo, 1, line.length === 0 ? 'empty line' : 'not a general log entry');
  }

  end(): void {
    this.#finish();
    if (this.#untimed !== undefined && this.#untimed.length > 0) {
      this.#sink.warning?.(this.#untimed[0]!.line, `the log has no timestamp at all: its ${this.#untimed.length} statements are given time 0 (1970-01-01)`);
      for (const { event, line } of this.#untimed) this.#sink.event({ ...event, ts: 0 }, false, line);
    }
    this.#untimed = undefined;
  }

  #releaseUntimed(): void {
    const untimed = this.#untimed!;
    this.#untimed = undefined;
    if (untimed.length === 0) return;
    this.#sink.warning?.(untimed[0]!.line, `${untimed.length} statements (lines ${untimed[0]!.line}–${untimed[untimed.length - 1]!.line}) come before the log's first timestamp: they take that time (${new Date(this.#lastTs / 1000).toISOString()})`);
    for (const { event, line } of untimed) {
      event.ts = this.#lastTs;
      this.#sink.event(event, false, line);
    }
  }

  /** Threads silent for ten minutes of log time are forgotten (their user and database with them). */
  #sweep(): void {
    const horizon = this.#lastTs - 10 * 60 * 1_000_000;
    if (!Number.isFinite(horizon)) return;
    for (const [id, thread] of this.#threads) if (thread.lastSeen < horizon) this.#threads.delete(id);
  }

  #thread(id: string): Thread {
    let thread = this.#threads.get(id);
    if (thread === undefined) {
      thread = { session: this.#ids.current(id), lastSeen: this.#lastTs };
      this.#threads.set(id, thread);
    } else {
      thread.lastSeen = this.#lastTs;
    }
    return thread;
  }

  #finish(): void {
    const entry = this.#entry;
    if (entry === undefined) return;
    this.#entry = undefined;
    if (++this.#entries % 50_000 === 0) this.#sweep();
    const argument = (entry.argument.length === 1 ? entry.argument[0]! : entry.argument.join('\n')).replace(/\s+$/, '');
    switch (entry.command) {
      case 'Query':
      case 'Execute': {
        if (argument.length === 0) return this.#sink.skipped(entry.line, entry.lines, 'empty query');
        const thread = this.#thread(entry.thread);
        this.#sink.used(entry.lines);
        const event: TraceEvent = { ts: entry.ts, session: thread.session, sql: argument };
        if (thread.user !== undefined) event.user = thread.user;
        if (thread.database !== undefined) event.database = thread.database;
        if (this.#untimed !== undefined && !Number.isFinite(entry.ts) && this.#untimed.length < MAX_UNTIMED) this.#untimed.push({ event, line: entry.line });
        else this.#sink.event(event, false, entry.line);
        const use = /^use\s+`?([^`;\s]+)`?/i.exec(argument);
        if (use) thread.database = use[1];
        return;
      }
      case 'Connect': {
        if (this.#threads.has(entry.thread)) {
          this.#threads.delete(entry.thread);
          this.#ids.next(entry.thread);
        }
        const thread = this.#thread(entry.thread);
        // `root@localhost on db1 using TCP/IP`
        const c = /^(\S*?)@\S*(?: as \S+)? on +(\S*)/.exec(argument);
        if (c) {
          if (c[1]) thread.user = c[1];
          if (c[2] && c[2] !== 'using') thread.database = c[2];
        }
        return this.#sink.used(entry.lines);
      }
      case 'Init DB':
        this.#thread(entry.thread).database = argument.trim();
        return this.#sink.used(entry.lines);
      case 'Quit':
        if (this.#threads.has(entry.thread)) {
          this.#threads.delete(entry.thread);
          this.#ids.next(entry.thread);
        }
        return this.#sink.used(entry.lines);
      default:
        return this.#sink.skipped(entry.line, entry.lines, `${entry.command} command (not a statement)`);
    }
  }
}

import type { TraceEvent } from '@sqltrace/core';
import { parseLogTimestamp } from './log-timestamp';
import { hasPlaceholders, preparedText, valuesOf, type PreparedText } from './prepared-statements';
import type { LogReader, ReaderSink } from './reader-sink';
import { SessionIds } from './session-ids';

export interface MysqlGeneralOptions {
  readonly offsetMinutes?: number;
}

const COMMANDS =
  'Query|Execute|Connect|Quit|Init DB|Prepare|Close stmt|Reset stmt|Field List|Statistics|Ping|Change user|Binlog Dump|Binlog Dump GTID|Register Slave|Refresh|Shutdown|Kill|Sleep|Set option|Fetch|Long Data|Daemon|Debug|Processlist|Connect Out|Table Dump|Time|Delayed insert|Error|Create DB|Drop DB';
// `051007 21:55:24\t     42 Query\tSELECT …` (5.1–5.6, MariaDB), `\t\t     42 Query …` (same second),
// `2016-06-07T19:07:02.558338Z    3 Query\tSELECT …` (5.7+, also with +08:00 offsets).
const ENTRY = new RegExp(
  `^(\\d{6} [ \\d]\\d:\\d\\d:\\d\\d|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:\\d\\d)?)?\\s+(\\d+) (${COMMANDS})(?:[\\t ]+(.*))?$`,
  's',
);
const SERVER_HEADER = /^(?:.+, Version: .* started with:|Tcp port: \d+ |TCP Port: \d+,|Time\s+Id\s+Command)/;

/** Statements held for the first timestamp at most (a log without any is given time 0 past that). */
const MAX_UNTIMED = 200_000;
/** Prepared statements remembered per thread (the most recently used kept). */
const MAX_PREPARED = 256;

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
  /** The statements it prepared, most recently used first. */
  prepared?: PreparedText[];
}

/**
 * MySQL and MariaDB general query logs. Sessions come from the thread id (a new `Connect` on a
 * reused id starts a new session); `Query` and `Execute` are statements, `Init DB` and `Connect`
 * set the database, `Prepare` gives the text of the thread's prepared statements, everything
 * else is reported as skipped.
 *
 * An `Execute` is a prepared statement run with values (COM_STMT_EXECUTE): the server logs its
 * text with the values in the placeholders' places. It becomes a `prepared` event with the
 * prepared text and the values as `params`, so a replay runs it as the client did. The server
 * logs the values only for statements prepared while the log was on: a log switched on after the
 * clients prepared theirs shows `?` — those events keep `?` and no values, and a warning says so.
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
  /** `Execute` lines without their values, and those matching none of their thread's `Prepare`s: the first line of each, and how many. */
  readonly #unlogged = { first: 0, count: 0 };
  readonly #unmatched = { first: 0, count: 0 };

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
    if (this.#unlogged.count > 0) {
      this.#sink.warning?.(
        this.#unlogged.first,
        `${lines(this.#unlogged.count)} ${this.#unlogged.count === 1 ? 'has' : 'have'} no values, only their ? placeholders: the server logs the values of statements prepared while the general log is on, and these were prepared before it was switched on — a replay cannot run them as they ran; switch the log on before the clients connect`,
      );
    }
    if (this.#unmatched.count > 0) {
      this.#sink.warning?.(
        this.#unmatched.first,
        `${lines(this.#unmatched.count)} ${this.#unmatched.count === 1 ? 'matches' : 'match'} none of their session's Prepare lines (prepared before the log began, or with values a replay cannot send as they were): they are replayed as plain statements with their values in the text`,
      );
    }
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
    this.#sink.warning?.(
      untimed[0]!.line,
      `${untimed.length} statements (lines ${untimed[0]!.line}–${untimed[untimed.length - 1]!.line}) come before the log's first timestamp: they take that time (${new Date(this.#lastTs / 1000).toISOString()})`,
    );
    for (const { event, line } of untimed) {
      event.ts = this.#lastTs;
      this.#sink.event(event, false, line);
    }
  }

  /**
   * Makes an `Execute` event a prepared statement with its values when one of its thread's
   * prepared texts matches it; whether it is one.
   */
  #asPrepared(thread: Thread, event: TraceEvent, line: number): boolean {
    const list = thread.prepared ?? [];
    for (let k = 0; k < list.length; k++) {
      const candidate = list[k]!;
      // The prepared text itself, placeholders and all: logged without its values.
      const values = candidate.text === event.sql ? (hasPlaceholders(candidate) ? undefined : []) : valuesOf(candidate, event.sql);
      if (values === undefined && candidate.text !== event.sql) continue;
      if (k > 0) {
        list.splice(k, 1);
        list.unshift(candidate);
      }
      if (values === undefined) return this.#unloggedValues(event, line);
      event.sql = candidate.text;
      if (values.length > 0) event.params = values;
      event.prepared = true;
      return true;
    }
    // No Prepare line for it (prepared before the log began): without values if it still has
    // placeholders — scanned only then, off the common path.
    if (event.sql.includes('?') && hasPlaceholders(preparedText(event.sql))) return this.#unloggedValues(event, line);
    if (this.#unmatched.count++ === 0) this.#unmatched.first = line;
    return false;
  }

  /** An Execute logged with its `?` and no values (prepared before the log was on): kept as prepared, counted for the warning. */
  #unloggedValues(event: TraceEvent, line: number): true {
    if (this.#unlogged.count++ === 0) this.#unlogged.first = line;
    event.prepared = true;
    return true;
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
        const prepared = entry.command === 'Execute' && this.#asPrepared(thread, event, entry.line);
        if (thread.user !== undefined) event.user = thread.user;
        if (thread.database !== undefined) event.database = thread.database;
        if (this.#untimed !== undefined && !Number.isFinite(entry.ts) && this.#untimed.length < MAX_UNTIMED) this.#untimed.push({ event, line: entry.line });
        else this.#sink.event(event, prepared, entry.line);
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
      case 'Prepare': {
        if (argument.length === 0) return this.#sink.skipped(entry.line, entry.lines, 'empty Prepare');
        const thread = this.#thread(entry.thread);
        const list = (thread.prepared ??= []);
        if (!list.some((p) => p.text === argument)) {
          list.unshift(preparedText(argument));
          if (list.length > MAX_PREPARED) list.pop();
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

function lines(n: number): string {
  return `${n.toLocaleString('en-US')} Execute line${n === 1 ? '' : 's'}`;
}

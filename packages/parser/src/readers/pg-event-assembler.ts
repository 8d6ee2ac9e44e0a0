import { parseBindParameters } from './pg-parameters';
import { known, type PgRecord } from './pg-record';
import type { TraceEvent } from '@sqltrace/core';
import type { ReaderSink } from './reader-sink';
import { SessionIds } from './session-ids';

interface SessionState {
  id: string;
  pending: TraceEvent | undefined;
  /** Where the pending statement starts in the log. */
  pendingLine: number;
  /** The pending statement came from `execute` (the extended protocol). */
  pendingExtended: boolean;
  /** The pending statement came from `execute` and its DETAIL parameters may follow. */
  awaitingParams: boolean;
  /** SQLSTATE or message of an ERROR waiting for its STATEMENT line. */
  error: string | undefined;
  /** The last record was a parse/bind step: the DETAIL after it is not an execution's. */
  inNonExecution: boolean;
  /** Log time of the session's last record (µs), for the idle sweep. */
  lastSeen: number;
}

/** Records between idle sweeps, and how long (log time) a session may stay silent. */
const SWEEP_EVERY = 50_000;
const IDLE_US = 10 * 60 * 1_000_000;

const DURATION = 'duration: ';

/**
 * Turns PostgreSQL log messages into statement events, the same way for every log destination.
 * Understands `log_statement` (`statement:`, `execute <name>:` + `DETAIL: parameters:`),
 * `log_min_duration_statement` (`duration: … ms  statement|execute …`), `log_duration` (a bare
 * `duration:` after the statement), errors (`ERROR` + `STATEMENT`), and connection lines as
 * session boundaries. Statements are held until the session's next message so a later duration,
 * parameter list or error can complete them.
 */
export class PgEventAssembler {
  readonly #sink: ReaderSink;
  readonly #sessions = new Map<string, SessionState>();
  readonly #ids = new SessionIds();
  #records = 0;

  constructor(sink: ReaderSink) {
    this.#sink = sink;
  }

  process(r: PgRecord): void {
    const key = r.session ?? r.pid ?? '';
    if (++this.#records % SWEEP_EVERY === 0) this.#sweep(r.ts);
    const sev = r.severity;
    const msg = r.message;
    if (sev === 'LOG') {
      if (msg.startsWith('statement: ')) return this.#statement(r, key, msg.slice(11), undefined, false);
      if (msg.startsWith(DURATION)) return this.#duration(r, key, msg);
      if (msg.startsWith('execute ')) return this.#execute(r, key, msg, undefined);
      if (msg.startsWith('connection received') || msg.startsWith('connection authorized')) return this.#connection(r, key, msg);
      if (msg.startsWith('disconnection')) return this.#disconnect(r, key);
      const session = this.#sessions.get(key);
      if (session) session.inNonExecution = false;
      return this.#skip(r, 'LOG message that is not a statement');
    }
    if (sev === 'DETAIL') {
      const session = this.#sessions.get(key);
      if (msg.startsWith('parameters: ') && session) {
        if (session.inNonExecution) return this.#skip(r, 'parameters of a parse/bind step');
        if (session.awaitingParams && session.pending) {
          const params = parseBindParameters(msg.slice(12));
          if (params !== undefined) {
            session.pending.params = params;
            session.awaitingParams = false;
            return this.#sink.used(r.lineCount);
          }
          return this.#skip(r, 'unreadable bind parameters');
        }
      }
      return this.#skip(r, 'DETAIL not about a logged statement');
    }
    if (sev === 'ERROR' || sev === 'FATAL' || sev === 'PANIC') {
      const session = this.#session(key, r);
      session.error = r.sqlstate ?? firstLine(msg);
      if (r.query !== undefined && r.query !== '') return this.#errorStatement(r, key, r.query);
      return this.#sink.used(r.lineCount);
    }
    if (sev === 'STATEMENT') return this.#errorStatement(r, key, msg);
    this.#skip(r, `${sev} message`);
  }

  /** Emits every held statement (end of input). */
  end(): void {
    const held = [...this.#sessions.values()].filter((s) => s.pending !== undefined);
    held.sort((a, b) => a.pending!.ts - b.pending!.ts);
    for (const session of held) this.#flush(session);
    this.#sessions.clear();
  }

  #session(key: string, r: PgRecord): SessionState {
    let session = this.#sessions.get(key);
    if (session === undefined) {
      session = {
        id: r.session ?? this.#ids.current(key),
        pending: undefined,
        pendingLine: 0,
        pendingExtended: false,
        awaitingParams: false,
        error: undefined,
        inNonExecution: false,
        lastSeen: r.ts,
      };
      this.#sessions.set(key, session);
    } else if (r.ts > session.lastSeen) {
      session.lastSeen = r.ts;
    }
    return session;
  }

  #flush(session: SessionState): void {
    if (session.pending) this.#sink.event(session.pending, session.pendingExtended, session.pendingLine);
    session.pending = undefined;
    session.awaitingParams = false;
  }

  #statement(r: PgRecord, key: string, sql: string, durationUs: number | undefined, isExecute: boolean): void {
    const session = this.#session(key, r);
    this.#flush(session);
    session.inNonExecution = false;
    session.error = undefined;
    if (sql.trim().length === 0) return this.#skip(r, 'empty statement');
    // A duration logged on the statement's own line is logged at its end: start = end - duration.
    const ts = durationUs === undefined ? r.ts : r.ts - durationUs;
    const event: TraceEvent = { ts, session: session.id, sql };
    if (durationUs !== undefined) event.durationUs = durationUs;
    const user = known(r.user);
    if (user !== undefined) event.user = user;
    const database = known(r.database);
    if (database !== undefined) event.database = database;
    const application = known(r.application);
    if (application !== undefined) event.application = application;
    if (isExecute && r.detail !== undefined && r.detail.startsWith('parameters: ')) {
      const params = parseBindParameters(r.detail.slice(12));
      if (params !== undefined) event.params = params;
    }
    session.pending = event;
    session.pendingLine = r.line;
    session.pendingExtended = isExecute;
    session.awaitingParams = isExecute && event.params === undefined;
    this.#sink.used(r.lineCount);
  }

  #execute(r: PgRecord, key: string, text: string, durationUs: number | undefined): void {
    // `execute <unnamed>: SQL`, `execute S_1/C_2: SQL`, `execute einf"ug: SQL`
    const colon = text.indexOf(': ');
    if (colon === -1) return this.#skip(r, 'execute line without statement text');
    this.#statement(r, key, text.slice(colon + 2), durationUs, true);
  }

  #duration(r: PgRecord, key: string, msg: string): void {
    const ms = msg.indexOf(' ms', DURATION.length);
    const durationUs = Math.round(Number(msg.slice(DURATION.length, ms)) * 1000);
    if (ms === -1 || !Number.isFinite(durationUs)) return this.#skip(r, 'unreadable duration');
    let rest = msg.slice(ms + 3);
    let k = 0;
    while (rest.charCodeAt(k) === 32) k++;
    rest = rest.slice(k);
    if (rest.length === 0) {
      // log_duration: the duration of the session's previous statement.
      const session = this.#sessions.get(key);
      if (session?.pending && session.pending.durationUs === undefined) {
        session.pending.durationUs = durationUs;
        return this.#sink.used(r.lineCount);
      }
      return this.#skip(r, 'duration without a statement');
    }
    if (rest.startsWith('statement: ')) return this.#statement(r, key, rest.slice(11), durationUs, false);
    if (rest.startsWith('execute ')) return this.#execute(r, key, rest, durationUs);
    if (rest.startsWith('parse ') || rest.startsWith('bind ')) {
      const session = this.#session(key, r);
      session.inNonExecution = true;
      return this.#skip(r, 'parse/bind step (not an execution)');
    }
    this.#skip(r, 'duration of an unknown step');
  }

  #errorStatement(r: PgRecord, key: string, sql: string): void {
    const session = this.#session(key, r);
    const error = session.error;
    session.error = undefined;
    if (error === undefined) return this.#skip(r, 'STATEMENT context of a LOG message (temporary file, lock wait…)');
    if (session.pending && sameStatement(session.pending.sql, sql)) {
      session.pending.error = error;
      return this.#sink.used(r.lineCount);
    }
    // The statement was only logged because it failed.
    this.#statement(r, key, sql, undefined, false);
    if (session.pending) session.pending.error = error;
  }

  #connection(r: PgRecord, key: string, msg: string): void {
    if (msg.startsWith('connection received') && r.session === undefined) {
      // Without %c a reused pid is a new session.
      const existing = this.#sessions.get(key);
      if (existing) {
        this.#flush(existing);
        this.#sessions.delete(key);
        this.#ids.next(key);
      }
    }
    this.#session(key, r);
    this.#sink.used(r.lineCount);
  }

  #disconnect(r: PgRecord, key: string): void {
    const session = this.#sessions.get(key);
    if (session) {
      this.#flush(session);
      this.#sessions.delete(key);
      if (r.session === undefined) this.#ids.next(key);
    }
    this.#sink.used(r.lineCount);
  }

  /**
   * Bounded memory in logs without disconnection lines: sessions silent for ten minutes of log
   * time have their held statement emitted and their state dropped (it comes back if they speak).
   */
  #sweep(now: number): void {
    if (!Number.isFinite(now)) return;
    for (const [key, session] of this.#sessions) {
      if (now - session.lastSeen > IDLE_US) {
        this.#flush(session);
        this.#sessions.delete(key);
      }
    }
  }

  #skip(r: PgRecord, reason: string): void {
    this.#sink.skipped(r.line, r.lineCount, reason);
  }
}

function firstLine(text: string): string {
  const nl = text.indexOf('\n');
  return nl === -1 ? text : text.slice(0, nl);
}

function sameStatement(a: string, b: string): boolean {
  return a === b || a.trim() === b.trim();
}

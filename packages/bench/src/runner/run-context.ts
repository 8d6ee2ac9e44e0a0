import type { IntervalHistogram } from 'node:perf_hooks';
import {
  DriverError,
  isDriverError,
  kindOfStatement,
  type Driver,
  type DriverSession,
  type ExecuteOptions,
  type MetricsSink,
  type TraceEvent,
} from '@sqltrace/core';
import { ResultsRecorder } from '../results/results-recorder';
import { RunTimeline } from '../results/run-timeline';
import { monitorLoopDelay } from './loop-delay';
import { TransactionTracker } from './transaction-tracker';

/** What every mode shares: the clock, the recorder, connections (counted, reopened when lost), the stop signal. */

/** A benchmark reads no rows; a statement the log ran as a prepared statement runs as one (one object for all of them). */
const TEXT: ExecuteOptions = Object.freeze({ discardRows: true });
const PREPARED: ExecuteOptions = Object.freeze({ prepared: true, discardRows: true });

export class RunContext {
  readonly start: number;
  readonly recorder: ResultsRecorder;
  readonly connections = { opened: 0, lost: 0, reopened: 0, peak: 0 };
  /** Operations and open connections second by second. */
  readonly timeline: RunTimeline;
  readonly loopDelay: IntervalHistogram;
  /** Explicit transactions per connection: the rest of one the server rolled back is skipped. */
  readonly transactions = new TransactionTracker();
  #dropped = 0;
  endedEarly: string | undefined;
  /** How long a server that went away after the run connected is waited for (ms; default 30 s). */
  reconnectMs = 30_000;
  #open = 0;
  /** When opening a connection began to fail because the server went away (reset once one opens). */
  #unreachableSince: number | undefined;
  /** Statement kind per template (a keyword match, once per template rather than per operation). */
  readonly #kinds = new Map<string, string>();
  readonly #driver: Driver;
  readonly #metrics: MetricsSink | undefined;
  readonly #signal: AbortSignal | undefined;
  readonly #pipelined: boolean;
  /** A lost connection's replacement: the statements that were in flight on it (pipelined) share one reconnection. */
  readonly #replacements = new WeakMap<DriverSession, Promise<DriverSession | undefined>>();

  /**
   * `start`: when the run's clock starts (`performance.now()` time; a replay's first statement is
   * due then). `pipelined`: connections are opened with the driver's `openPipelined`.
   */
  constructor(
    driver: Driver,
    warmupSeconds: number,
    metrics: MetricsSink | undefined,
    signal: AbortSignal | undefined,
    start = performance.now(),
    pipelined = false,
  ) {
    this.#driver = driver;
    this.#pipelined = pipelined;
    this.#metrics = metrics;
    this.#signal = signal;
    this.start = start;
    this.timeline = new RunTimeline(start);
    this.recorder = new ResultsRecorder(warmupSeconds > 0 ? this.start + warmupSeconds * 1000 : -Infinity, metrics);
    this.loopDelay = monitorLoopDelay();
  }

  #lastYield = performance.now();

  /** Operations that were due and not run (counted in the results and on the metrics sink). */
  get dropped(): number {
    return this.#dropped;
  }

  drop(count = 1): void {
    this.#dropped += count;
    this.#metrics?.recordDropped?.(count);
  }

  /**
   * Gives the event loop a turn every 5 ms: an embedded driver (SQLite) resolves at once, and a
   * loop of them would otherwise starve timers, the metrics endpoint and every other session.
   * Returns a promise only when it yields (`if (b) await b`): no promise per operation otherwise.
   */
  breathe(now = performance.now()): Promise<void> | undefined {
    if (now - this.#lastYield < 5) return undefined;
    this.#lastYield = now;
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** True once the run must stop: interrupted (its signal aborted), or the database went away. */
  get stopped(): boolean {
    return this.endedEarly !== undefined || this.#signal?.aborted === true;
  }

  get signal(): AbortSignal | undefined {
    return this.#signal;
  }

  /** The run was interrupted before its end (its signal aborted). */
  get interrupted(): boolean {
    return this.#signal?.aborted === true;
  }

  /**
   * Opens a connection. A server at its connection limit (SQLSTATE 53300, MySQL 1040 and 1203) is busy, not
   * gone: it waits for a slot (up to 10 s), calling `full` — which may close an idle connection —
   * each time the server says so. A server that went away after the run had connected is tried
   * again (backing off to once a second) for up to `reconnectMs`.
   */
  async open(full?: () => void): Promise<DriverSession | undefined> {
    const deadline = performance.now() + 10_000;
    let backoff = 100;
    for (;;) {
      try {
        return this.#opened(await (this.#pipelined ? this.#driver.openPipelined!() : this.#driver.open()));
      } catch (error) {
        // PostgreSQL's 53300 (server or role limit), MySQL's 1040 (max_connections) and 1203 (a user's MAX_USER_CONNECTIONS).
        const atLimit =
          isDriverError(error) &&
          (error.sqlState === '53300' ||
            error.errno === 1040 ||
            error.errno === 1203 ||
            /too many (clients|connections)|max_user_connections/i.test(error.message));
        // A server that was there and went away (restarted, failed over) is waited for: the run
        // goes on when it is back. One never reached fails the run at once (a wrong URL).
        const away = !atLimit && isDriverError(error) && error.connectionLost && this.connections.opened > 0;
        if (away && !this.stopped) {
          this.#unreachableSince ??= performance.now();
          if (performance.now() - this.#unreachableSince < this.reconnectMs) {
            await new Promise((resolve) => setTimeout(resolve, backoff));
            backoff = Math.min(1_000, backoff * 2);
            continue;
          }
        }
        if (!atLimit || performance.now() > deadline || this.stopped) {
          this.endedEarly ??= `the database cannot be reached${away ? ` (for ${this.reconnectMs / 1000} s)` : ''}: ${error instanceof Error ? error.message : String(error)}`;
          return undefined;
        }
        full?.();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  #opened(session: DriverSession): DriverSession {
    this.#unreachableSince = undefined;
    this.connections.opened++;
    this.#open++;
    if (this.#open > this.connections.peak) this.connections.peak = this.#open;
    this.#metrics?.setActiveSessions(this.#open);
    this.timeline.connections(this.#open, performance.now());
    return session;
  }

  async close(session: DriverSession | undefined): Promise<void> {
    if (session === undefined) return;
    this.#open--;
    this.#metrics?.setActiveSessions(this.#open);
    this.timeline.connections(this.#open, performance.now());
    await session.close().catch(() => undefined);
  }

  /**
   * Runs one statement on `session` and records it; returns the session to use next — a new one
   * when the connection was lost (counted and reopened once, however many statements were in
   * flight on it), or undefined when the database is gone.
   */
  async execute(session: DriverSession, event: TraceEvent, intended: number): Promise<DriverSession | undefined> {
    const template = event.templateId ?? event.sql;
    if (this.transactions.skips(session, template, event.sql)) return session;
    const sent = performance.now();
    let error: unknown;
    try {
      await session.execute(event.sql, event.params, event.prepared === true ? PREPARED : TEXT);
    } catch (e) {
      error = isDriverError(e) ? e : new DriverError(e instanceof Error ? e.message : String(e), { code: 'internal', cause: e });
    }
    const done = performance.now();
    this.timeline.operation(done);
    let kind = this.#kinds.get(template);
    if (kind === undefined) this.#kinds.set(template, (kind = kindOfStatement(event.sql)));
    this.recorder.record({ template, kind, session: event.session, intended, sent, done, error, prepared: event.prepared === true }, event.sql);
    this.transactions.ran(session, template, event.sql, error);
    if (error !== undefined && isDriverError(error) && error.connectionLost) {
      let replacement = this.#replacements.get(session);
      if (replacement === undefined) this.#replacements.set(session, (replacement = this.#reopen(session)));
      return replacement;
    }
    return session;
  }

  async #reopen(lost: DriverSession): Promise<DriverSession | undefined> {
    this.connections.lost++;
    await this.close(lost);
    const fresh = await this.open();
    if (fresh !== undefined) this.connections.reopened++;
    return fresh;
  }
}

import { isDriverError, redactSecrets, type MetricsSink } from '@sqltrace/core';
import { LatencyHistogram } from '../latency/latency-histogram';
import { statementProtocol, type ErrorClassResults, type TemplateResults } from './bench-results';

/** One finished operation: its template and the three instants, in ms on one clock. */
export interface OperationSample {
  readonly template: string;
  readonly kind: string;
  readonly session: string;
  readonly intended: number;
  readonly sent: number;
  readonly done: number;
  readonly error?: unknown;
  /** Sent as a server-side prepared statement. */
  readonly prepared?: boolean;
}

interface Triple {
  readonly response: LatencyHistogram;
  readonly service: LatencyHistogram;
  readonly lag: LatencyHistogram;
  operations: number;
  errors: number;
  /** Of the operations, those sent as prepared statements. */
  prepared: number;
  example: string;
}

interface SessionLag {
  maxLagMs: number;
  operations: number;
}

const SESSIONS_BEHIND = 10;

/** The sessions furthest behind, one entry per session (a session that came back: its worst lag, all its operations). */
function furthest(sessions: readonly (SessionLag & { session: string })[]): (SessionLag & { session: string })[] {
  const bySession = new Map<string, SessionLag & { session: string }>();
  for (const s of sessions) {
    const seen = bySession.get(s.session);
    bySession.set(
      s.session,
      seen === undefined ? { ...s } : { session: s.session, maxLagMs: Math.max(seen.maxLagMs, s.maxLagMs), operations: seen.operations + s.operations },
    );
  }
  return [...bySession.values()].sort((a, b) => b.maxLagMs - a.maxLagMs).slice(0, SESSIONS_BEHIND);
}

function triple(example = ''): Triple {
  return { response: new LatencyHistogram(), service: new LatencyHistogram(), lag: new LatencyHistogram(), operations: 0, errors: 0, prepared: 0, example };
}

/**
 * Aggregates operations into histograms per template (the overall ones are their exact merge, made
 * once at the end rather than recorded twice per operation), error classes and per-session lag.
 */
export class ResultsRecorder {
  readonly #templates = new Map<string, Triple>();
  readonly #errors = new Map<string, { count: number; codes: Map<string, number>; examples: string[] }>();
  /** Sessions still connected; those that ended are folded into {@link #furthestBehind} (bounded memory over millions of sessions). */
  readonly #sessions = new Map<string, SessionLag>();
  /** The ended sessions furthest behind schedule, at most {@link SESSIONS_BEHIND}. */
  #furthestBehind: (SessionLag & { session: string })[] = [];
  readonly #metrics: MetricsSink | undefined;
  readonly #measureFrom: number;

  /** Operations intended before `measureFrom` (the warm-up) are executed but not recorded. */
  constructor(measureFrom: number, metrics?: MetricsSink) {
    this.#measureFrom = measureFrom;
    this.#metrics = metrics;
  }

  record(op: OperationSample, example: string): void {
    const response = op.done - op.intended,
      service = op.done - op.sent,
      lag = Math.max(0, op.sent - op.intended);
    this.#metrics?.recordOperation({
      template: op.template,
      kind: op.kind,
      status: op.error === undefined ? 'ok' : 'error',
      ...(op.error !== undefined ? { errorClass: errorClassOf(op.error) } : {}),
      responseSeconds: response / 1000,
      serviceSeconds: service / 1000,
      scheduleLagSeconds: lag / 1000,
    });
    if (op.intended < this.#measureFrom) return;
    let t = this.#templates.get(op.template);
    if (t === undefined) this.#templates.set(op.template, (t = triple(example)));
    t.response.recordMs(response);
    t.service.recordMs(service);
    t.lag.recordMs(lag);
    t.operations++;
    if (op.prepared === true) t.prepared++;
    if (op.error !== undefined) t.errors++;
    let s = this.#sessions.get(op.session);
    if (s === undefined) this.#sessions.set(op.session, (s = { maxLagMs: 0, operations: 0 }));
    s.operations++;
    if (lag > s.maxLagMs) s.maxLagMs = lag;
    if (op.error !== undefined) this.#recordError(op.error);
  }

  /** Every template's operations together (HDR histograms merge exactly). */
  overall(): Triple {
    const all = triple();
    for (const t of this.#templates.values()) {
      all.response.add(t.response);
      all.service.add(t.service);
      all.lag.add(t.lag);
      all.operations += t.operations;
      all.errors += t.errors;
      all.prepared += t.prepared;
    }
    return all;
  }

  #recordError(error: unknown): void {
    const errorClass = errorClassOf(error);
    const code = isDriverError(error) ? error.sqlState : 'internal';
    let e = this.#errors.get(errorClass);
    if (e === undefined) this.#errors.set(errorClass, (e = { count: 0, codes: new Map(), examples: [] }));
    e.count++;
    e.codes.set(code, (e.codes.get(code) ?? 0) + 1);
    const message = redactSecrets(error instanceof Error ? error.message : String(error));
    if (e.examples.length < 3 && !e.examples.includes(message)) e.examples.push(message.length > 300 ? message.slice(0, 299) + '…' : message);
  }

  templates(): TemplateResults[] {
    return [...this.#templates]
      .sort((a, b) => b[1].operations - a[1].operations)
      .map(([template, t]) => ({
        template,
        example: t.example,
        operations: t.operations,
        errors: t.errors,
        protocol: statementProtocol(t.prepared, t.operations),
        responseTime: t.response.summary(),
        serviceTime: t.service.summary(),
        scheduleLag: t.lag.summary(),
        histograms: { responseTime: t.response.encode(), serviceTime: t.service.encode(), scheduleLag: t.lag.encode() },
      }));
  }

  errorsByClass(): ErrorClassResults[] {
    return [...this.#errors]
      .sort((a, b) => b[1].count - a[1].count)
      .map(([errorClass, e]) => ({ errorClass, count: e.count, codes: Object.fromEntries(e.codes), examples: e.examples }));
  }

  /**
   * A session disconnected (a replay's idle session): it leaves the per-session table, and stays in
   * the report only if it is among the furthest behind. (Back later, it counts afresh from then.)
   */
  sessionEnded(session: string): void {
    const s = this.#sessions.get(session);
    if (s === undefined) return;
    this.#sessions.delete(session);
    this.#furthestBehind = furthest([...this.#furthestBehind, { session, ...s }]);
  }

  /** The sessions furthest behind schedule (most lag first), at most ten. */
  sessionsBehind(): { session: string; maxLagMs: number; operations: number }[] {
    const all = [...this.#furthestBehind, ...[...this.#sessions].map(([session, s]) => ({ session, ...s }))];
    return furthest(all).map((s) => ({ session: s.session, maxLagMs: Math.round(s.maxLagMs * 1000) / 1000, operations: s.operations }));
  }
}

/** An error's class as the results and the metrics name it: the driver's error class, else `internal`. */
function errorClassOf(error: unknown): string {
  return isDriverError(error) ? error.errorClass : 'internal';
}

import type { RefusedStatements } from '../runner/statement-guard';
import type { RunTimelineJson } from './run-timeline';
import type { LatencySummary } from '../latency/latency-histogram';

export const RESULTS_SCHEMA = 'sqltrace-bench-results';
export const RESULTS_VERSION = 1;

/** The three latencies of one group of operations (overall, or one template). */
export interface LatencyTriple {
  /** done − intended: the headline, free of coordinated omission. */
  readonly responseTime: LatencySummary;
  /** done − sent: what the database took. */
  readonly serviceTime: LatencySummary;
  /** sent − intended: how far behind schedule the runner was. */
  readonly scheduleLag: LatencySummary;
}

export type StatementProtocol = 'text' | 'prepared' | 'mixed';

/** The protocol of a template whose operations were `prepared` of `operations` prepared. */
export function statementProtocol(prepared: number, operations: number): StatementProtocol {
  return prepared === 0 ? 'text' : prepared === operations ? 'prepared' : 'mixed';
}

export interface TemplateResults extends LatencyTriple {
  readonly template: string;
  readonly example: string;
  readonly operations: number;
  readonly errors: number;
  /**
   * How its statements were sent, as the log had them: `text` (a plain query), `prepared` (a
   * server-side prepared statement: MySQL's `Execute`), or `mixed`. Absent in results written before.
   */
  readonly protocol?: StatementProtocol;
  /** Compressed HDR histograms (µs) of response, service and lag: merge runs exactly. */
  readonly histograms: { readonly responseTime: string; readonly serviceTime: string; readonly scheduleLag: string };
}

export interface ErrorClassResults {
  /** SQLSTATE class or engine code. */
  readonly errorClass: string;
  readonly count: number;
  readonly codes: Readonly<Record<string, number>>;
  readonly examples: readonly string[];
}

/** The JSON results of a run; see the package README for every field. */
export interface BenchResults extends LatencyTriple {
  readonly schema: typeof RESULTS_SCHEMA;
  readonly version: number;
  readonly label?: string;
  readonly driver: string;
  /** The target with any password replaced by `***`. */
  readonly target: string;
  readonly mode: 'replay' | 'closed' | 'open';
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  readonly startedAt: string;
  /** Measured time (warm-up excluded), seconds. */
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
  /** Operations finished in the measured window (successes and errors). */
  readonly operations: number;
  readonly errors: number;
  /** Operations never sent because the database could not keep up (open loop) or the run ended first. */
  readonly dropped: number;
  /** Operations per second (all) and successful ones per second. */
  readonly throughput: number;
  readonly goodput: number;
  readonly errorsByClass: readonly ErrorClassResults[];
  readonly connections: { readonly opened: number; readonly lost: number; readonly reopened: number; readonly peak: number };
  /** Per traced session (replay): how far behind schedule it fell at worst, ms — the 10 worst. */
  readonly sessionsBehind: readonly { readonly session: string; readonly maxLagMs: number; readonly operations: number }[];
  /** The run was stopped by SIGINT/SIGTERM (or an abort) before its end: the figures cover the time until then. */
  readonly interrupted?: boolean;
  /** Statements the safety policy kept from the target (absent when the run had no policy). */
  readonly refused?: RefusedStatements;
  /**
   * Transactions the server rolled back mid-way (a deadlock or serialization failure, SQLSTATE
   * class 40) and the statements of them not sent after it (up to the COMMIT or ROLLBACK that
   * ends each, which is sent): absent when none was.
   */
  readonly rolledBack?: { readonly transactions: number; readonly statementsSkipped: number };
  /** Operations and open connections second by second (absent in results of earlier versions). */
  readonly timeline?: RunTimelineJson;
  /** The load generator's own health: event-loop delay while the run went, ms. */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Why the run ended early, when it did (the database went away, it was aborted). */
  readonly endedEarly?: string;
  readonly templates: readonly TemplateResults[];
  readonly histograms: { readonly responseTime: string; readonly serviceTime: string; readonly scheduleLag: string };
}

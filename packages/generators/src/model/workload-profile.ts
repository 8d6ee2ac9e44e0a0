import type { Dialect, SlotType, StatementKind, TemplateTables } from '@sqltrace/core';
import type { EmpiricalDistributionJson } from '../distributions/empirical-distribution';
import type { SlotModelJson } from '../params/slot-model';
import type { SessionEndJson } from '../sessions/session-end-model';
import type { SessionPopulationJson } from '../sessions/session-population';
import type { RateCurveJson } from '../timing/rate-curve';
import type { ThinkTimeJson } from '../timing/think-time-model';

/** How far back in a session a reused value is looked for (statements). */
export const REUSE_WINDOW = 8;

/** One template with what every strategy needs to render and time it. */
export interface TemplateModelJson {
  readonly id: string;
  readonly text: string;
  readonly kind: StatementKind;
  readonly tables?: TemplateTables;
  readonly slots: readonly SlotType[];
  /** Executions in the training trace (0 for a template added to close transactions). */
  readonly count: number;
  /** How the trace carried its values: bound (`params`) or written into the SQL (`inline`). */
  readonly style: 'params' | 'inline';
  readonly durations?: EmpiricalDistributionJson;
  /** One model per slot, in slot order. */
  readonly params: readonly SlotModelJson[];
  /**
   * Values reused from a recent statement of the session: `template index:distance` (1 = the
   * statement just before) → [times this template had that template at that distance, then
   * triples slot, earlier slot, count]. Slots are 1-based.
   */
  readonly reuse?: Readonly<Record<string, readonly number[]>>;
  /**
   * Slots whose value is the slot before plus a constant (`BETWEEN ? AND ?` with a fixed width):
   * slot (1-based) → [the constant, the share of executions drawn that way].
   */
  readonly offsets?: Readonly<Record<string, readonly [number, number]>>;
}

/**
 * The part of a workload model shared by every strategy (markov, lstm, transformer): templates
 * and their parameters, session arrivals and lengths, think times, durations. A strategy adds
 * only how the next template follows from the session's history.
 */
export interface WorkloadProfileJson {
  readonly dialect: Dialect;
  /** The privacy threshold the model was built with. */
  readonly minValueCount: number;
  readonly trace: {
    readonly name: string;
    readonly events: number;
    readonly sessions: number;
    /** µs since the epoch. */
    readonly firstTs: number;
    readonly lastTs: number;
    /** Time-averaged number of open sessions. */
    readonly meanConcurrency: number;
    /** Events whose parameters could not be matched to their template's slots. */
    readonly unalignedEvents: number;
    /** Events that ended before the previous event of their session ended (a reversed or merged log). */
    readonly outOfOrderEvents: number;
    /** Statement-to-statement steps within sessions. */
    readonly transitions: number;
    /** The clock resolution of the trace's times, µs (absent in models before it was learned: 1). */
    readonly resolutionUs?: number;
    /** Sessions open when the trace began (left-censored). */
    readonly initialSessions?: number;
    /** Sessions still open when it ended (right-censored). */
    readonly censoredSessions?: number;
  };
  readonly templates: readonly TemplateModelJson[];
  /** Arrivals of sessions that were not open at the start (what models without `population` used). */
  readonly arrivals: RateCurveJson;
  /** Sessions open at the start and the arrival intensity by open sessions (absent in older models). */
  readonly population?: SessionPopulationJson;
  /** When sessions end, by template and length so far (every session). */
  readonly sessionEnds: SessionEndJson;
  /** The same for sessions that began in its first second (most were open before it). */
  readonly earlySessionEnds?: SessionEndJson;
  readonly thinkTime: ThinkTimeJson;
  /** Statements per transaction, BEGIN and COMMIT included (for closing transactions). */
  readonly transactionLength: number;
  /** [user, database, application] of sessions, with counts. */
  readonly sessionAttributes: readonly (readonly [string | null, string | null, string | null, number])[];
}

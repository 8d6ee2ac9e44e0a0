/** A bind-parameter or literal value as it appears in a trace. */
export type ParamValue = string | number | boolean | null;

/** One executed statement: one JSON object per line of a trace file. */
export interface TraceEvent {
  /** Start time, microseconds since the Unix epoch. */
  ts: number;
  /** The connection/session it ran on (PostgreSQL `%c` or pid, MySQL thread id). */
  session: string;
  /** Statement text as executed: literals inline, or `$n`/`?` placeholders when `params` is set. */
  sql: string;
  /** Bind parameter values in placeholder order. */
  params?: ParamValue[];
  /** Server-reported duration in microseconds. */
  durationUs?: number;
  user?: string;
  database?: string;
  application?: string;
  /** SQLSTATE or message when the statement failed. */
  error?: string;
  /**
   * It ran as a server-side prepared statement (MySQL/MariaDB `Execute`: COM_STMT_EXECUTE), and
   * a replay runs it as one: `sql` is the prepared text with `?` placeholders, `params` the values.
   */
  prepared?: boolean;
  /** Set once normalized: the id of the statement's {@link Template}. */
  templateId?: string;
}

/** Trace format version written in headers; readers refuse newer major versions. */
export const TRACE_FORMAT_VERSION = 1;

/** The optional first line of a trace file: `{"$trace": {...}}`. */
export interface TraceHeader {
  version: number;
  /** The log format it was parsed from (`pg-stderr`, `mysql-slow`, `synthetic`, …). */
  source?: string;
  dialect?: string;
  /** IANA zone or offset the log timestamps were interpreted in. */
  timeZone?: string;
  /** Counts known when the file was written (events, sessions, templates…). */
  counts?: Record<string, number>;
  /**
   * The clock resolution of the times, µs: 1,000 for a millisecond log, 1,000,000 for a MariaDB
   * general log. A time t stands for [t, t + resolutionUs). Absent means 1.
   */
  resolutionUs?: number;
  /** For a synthetic trace: the resolution of the trace its model was learned from. */
  learnedFromResolutionUs?: number;
  /** The tool and version that wrote it. */
  generator?: string;
  createdAt?: string;
  [key: string]: unknown;
}

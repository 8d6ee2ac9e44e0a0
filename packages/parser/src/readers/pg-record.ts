/** One PostgreSQL log message, whatever the log destination (stderr, csvlog, jsonlog, envelopes). */
export interface PgRecord {
  /** First physical line and how many lines it spans. */
  line: number;
  lineCount: number;
  /** Microseconds since the epoch (NaN when the log carries no time). */
  ts: number;
  pid: string | undefined;
  /** `%c` / session_id when the log has one. */
  session: string | undefined;
  user: string | undefined;
  database: string | undefined;
  application: string | undefined;
  severity: string;
  sqlstate: string | undefined;
  message: string;
  /** csvlog/jsonlog carry DETAIL and the failing statement in the same record. */
  detail?: string | undefined;
  query?: string | undefined;
}

/** `[unknown]` and empty strings mean "not known". */
export function known(value: string | undefined): string | undefined {
  return value === undefined || value === '' || value === '[unknown]' ? undefined : value;
}

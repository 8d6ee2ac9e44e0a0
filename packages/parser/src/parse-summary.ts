import type { LogFormat } from './format/log-format';

/** One reason lines were skipped, with how many and where the first ones are. */
export interface SkipReason {
  readonly reason: string;
  lines: number;
  readonly firstLines: number[];
}

export interface ParseWarning {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
}

/** What a parse did: every input line is either used or skipped (`usedLines + skippedLines = totalLines`). */
export interface ParseSummary {
  readonly file: string;
  format: LogFormat | undefined;
  formatReason: string | undefined;
  /** The log_line_prefix in use (PostgreSQL stderr). */
  prefix: string | undefined;
  totalLines: number;
  usedLines: number;
  skippedLines: number;
  events: number;
  /** Events that carried bind parameters in the log (`DETAIL: parameters:`). */
  eventsWithBindParams: number;
  /** Events executed through the extended protocol (PostgreSQL `execute <name>:`) or as prepared statements (MySQL `Execute`). */
  extendedEvents: number;
  errors: number;
  sessions: number;
  /** True when `sessions` is a HyperLogLog estimate (more than 100,000 sessions). */
  sessionsApproximate: boolean;
  templates: number;
  /** The clock resolution of the log's times in µs (1,000 for milliseconds), once an event was read. */
  resolutionUs: number | undefined;
  /** Skipped lines by reason, most frequent first when reported. */
  readonly skipped: SkipReason[];
  readonly warnings: ParseWarning[];
  bytes: number;
  seconds: number;
}

export function emptySummary(file: string): ParseSummary {
  return {
    file,
    format: undefined,
    formatReason: undefined,
    prefix: undefined,
    totalLines: 0,
    usedLines: 0,
    skippedLines: 0,
    events: 0,
    eventsWithBindParams: 0,
    extendedEvents: 0,
    errors: 0,
    sessions: 0,
    sessionsApproximate: false,
    templates: 0,
    resolutionUs: undefined,
    skipped: [],
    warnings: [],
    bytes: 0,
    seconds: 0,
  };
}

import type { TraceEvent } from '@sqltrace/core';

/**
 * Where a reader reports. Every input line ends up either `used` (part of an event or a session
 * boundary) or `skipped` with a reason: `used + skipped = total lines`.
 */
export interface ReaderSink {
  /**
   * A complete statement, before normalization (no `templateId` yet). `extended` when it ran
   * through the extended protocol (`execute <name>`) rather than as a simple query; `line` is
   * where it starts in the log, when the reader knows (for warnings about its time).
   */
  event(event: TraceEvent, extended?: boolean, line?: number): void;
  used(lines: number): void;
  skipped(line: number, lines: number, reason: string): void;
  /** Something the user should know about the input (it goes to the summary's warnings). */
  warning?(line: number | undefined, message: string): void;
}

/** A push parser for one log format: lines in, events out through the sink. */
export interface LogReader {
  /** Line numbers are 1-based and consecutive. */
  push(line: string, lineNo: number): void;
  /** No more input: flush what is pending. */
  end(): void;
}

import type { TraceEvent } from '@sqltrace/core';

/** A statement as a reader found it, before normalization (no `templateId` yet). */
export interface RawEvent extends Omit<TraceEvent, 'templateId'> {
  /** Executed through the extended protocol (`execute <name>`) rather than as a simple query. */
  extended?: boolean;
  /** First input line of the statement, for messages. */
  line: number;
}

/**
 * Where a reader reports. Every input line ends up either `used` (part of an event or a session
 * boundary) or `skipped` with a reason: `used + skipped = total lines`.
 */
export interface ReaderSink {
  event(event: RawEvent): void;
  used(lines: number): void;
  skipped(line: number, lines: number, reason: string): void;
  warn(line: number, message: string): void;
}

/** A push parser for one log format: lines in, events out through the sink. */
export interface LogReader {
  /** Line numbers are 1-based and consecutive. */
  push(line: string, lineNo: number): void;
  /** No more input: flush what is pending. */
  end(): void;
}

import type { TraceEvent, TraceHeader } from '../domain/trace-event';

export interface WriteOptions {
  readonly signal?: AbortSignal;
}

/** Where trace events go: a file, stdout, a database replay. */
export interface TraceSink {
  /** Writes the header line; must come before the first event. */
  writeHeader?(header: TraceHeader, options?: WriteOptions): Promise<void>;
  /** Writes events; resolves once they are accepted (respecting back-pressure). */
  write(events: readonly TraceEvent[], options?: WriteOptions): Promise<void>;
  /** Flushes and releases the destination. */
  close(options?: WriteOptions): Promise<void>;
}

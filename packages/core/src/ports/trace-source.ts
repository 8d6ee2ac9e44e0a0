import type { TraceEvent, TraceHeader } from '../domain/trace-event';

export interface ReadOptions {
  readonly signal?: AbortSignal;
}

/** Anything that yields trace events in time order per session: a trace file, a log parser, a generator. */
export interface TraceSource {
  /** A name for messages: a file path, `stdin`, a model name. */
  readonly name: string;
  /** The header, when the source has one. */
  header?(options?: ReadOptions): Promise<TraceHeader | undefined>;
  /** Streams events; memory stays bounded whatever the size. */
  events(options?: ReadOptions): AsyncIterable<TraceEvent>;
}

import type { TraceEvent } from '../domain/trace-event';
import type { TraceSource } from './trace-source';

export interface TrainOptions {
  readonly signal?: AbortSignal;
  /** Called with a ratio in [0, 1] on long work. */
  readonly onProgress?: (ratio: number) => void;
  /** Called with the number of events read so far (for sources of unknown length). */
  readonly onEvents?: (events: number) => void;
  /** Strategy-specific settings (order, epochs, …). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  readonly seed: string | number;
  readonly events?: number;
  readonly durationSeconds?: number;
  readonly sessions?: number;
  readonly speed?: number;
}

/** A trained workload model, serializable to a versioned file. */
export interface WorkloadModel {
  readonly strategy: string;
  readonly formatVersion: number;
}

/**
 * A workload-learning strategy (markov, lstm, transformer): learns a model from a trace and
 * streams synthetic events from a model. Strategies are chosen by name through a registry.
 */
export interface TraceGenerator<M extends WorkloadModel = WorkloadModel> {
  readonly name: string;
  train(trace: TraceSource, options?: TrainOptions): Promise<M>;
  generate(model: M, options: GenerateOptions): AsyncIterable<TraceEvent>;
}

import type { TraceEvent } from '../domain/trace-event';
import type { TraceSource } from './trace-source';

export interface TrainOptions {
  readonly signal?: AbortSignal;
  /** Called with a ratio in [0, 1] on long work. */
  readonly onProgress?: (ratio: number) => void;
  /** Called with the number of events read so far (for sources of unknown length). */
  readonly onEvents?: (events: number) => void;
  /** Strategy-specific settings (order, epochs, …). */
  readonly settings?: object;
}

export interface GenerateOptions {
  readonly signal?: AbortSignal;
  readonly seed: string | number;
  readonly events?: number;
  readonly durationSeconds?: number;
  readonly sessions?: number;
  readonly speed?: number;
  /** How values are written: `auto` (as the trace had them), bound `params`, or `inline` literals. */
  readonly style?: 'auto' | 'params' | 'inline';
  /** Strategy-specific settings (temperature, backend, …). */
  readonly settings?: object;
  /** Hears what the caller should know about the generated trace (e.g. sessions it could not start). */
  readonly onWarning?: (message: string) => void;
}

/** A trained workload model, serializable to a versioned file. */
export interface WorkloadModel {
  readonly strategy: string;
  readonly formatVersion: number;
  /** What training noticed that the user should know (one session only, no parameters, …). */
  readonly warnings?: readonly string[];
  /** The model's JSON, for the model file's `model` field. */
  toJSON(): unknown;
}

/**
 * A workload-learning strategy (markov, lstm, transformer): learns a model from a trace and
 * streams synthetic events from a model. Strategies are chosen by name through a registry.
 */
export interface TraceGenerator<M extends WorkloadModel = WorkloadModel> {
  readonly name: string;
  train(trace: TraceSource, options?: TrainOptions): Promise<M>;
  /** Rebuilds a model from its JSON; refuses a newer or damaged one, naming `source` in the error. */
  loadModel(json: unknown, source: string): M;
  generate(model: M, options: GenerateOptions): AsyncIterable<TraceEvent>;
}

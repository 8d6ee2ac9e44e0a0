import { statSync } from 'node:fs';
import { TraceFileSource, checkOutputPath, type TraceSource } from '@sqltrace/core';
import { defaultRegistry, saveModelFile, type NeuralTrainingJson } from '@sqltrace/generators';

export interface TrainingRequest {
  /** Trace file (or a source) to learn from. */
  readonly trace: string | TraceSource;
  /** markov, lstm or transformer. */
  readonly strategy: string;
  /** Model file to write (JSON), whole or not at all. */
  readonly output: string;
  /** The strategy's settings (order, minValueCount, dialect; the neural strategies' epochs, units, backend …). */
  readonly settings?: Record<string, unknown>;
}

export interface TrainingObserver {
  readonly signal?: AbortSignal;
  /** Events read so far. */
  onEvents?(events: number): void;
}

export interface TrainingSummary {
  readonly output: string;
  readonly strategy: string;
  readonly events: number;
  readonly sessions: number;
  readonly templates: number;
  /** lstm / transformer: epochs, held-out loss and accuracy, sampled fidelity, sequences/s, backend. */
  readonly training?: NeuralTrainingJson;
  readonly seconds: number;
  readonly bytes: number;
  readonly warnings: readonly string[];
}

/** Learns a workload model from a trace and writes the model file. */
export class TrainingService {
  async train(request: TrainingRequest, observer: TrainingObserver = {}): Promise<TrainingSummary> {
    const source = typeof request.trace === 'string' ? new TraceFileSource(request.trace) : request.trace;
    checkOutputPath(request.output, typeof request.trace === 'string' ? [request.trace] : []);
    const generator = defaultRegistry().create(request.strategy);
    const started = performance.now();
    const model = await generator.train(source, {
      settings: { ...request.settings },
      ...(observer.signal !== undefined ? { signal: observer.signal } : {}),
      ...(observer.onEvents !== undefined ? { onEvents: observer.onEvents } : {}),
    });
    const json = model.toJSON() as { profile?: { trace: { events: number; sessions: number }; templates: unknown[] }; training?: NeuralTrainingJson };
    await saveModelFile(request.output, generator.name, json);
    return {
      output: request.output,
      strategy: generator.name,
      events: json.profile?.trace.events ?? 0,
      sessions: json.profile?.trace.sessions ?? 0,
      templates: json.profile?.templates.length ?? 0,
      ...(json.training !== undefined ? { training: json.training } : {}),
      seconds: (performance.now() - started) / 1000,
      bytes: statSync(request.output).size,
      warnings: [...(model.warnings ?? [])],
    };
  }
}

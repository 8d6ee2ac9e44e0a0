import { AtomicOutput, StbError, TraceFileSink, type GenerateOptions, type TraceEvent, type TraceGenerator, type WorkloadModel } from '@sqltrace/core';
import { defaultRegistry, loadModelFile } from '@sqltrace/generators';
import { DistinctCounter } from '@sqltrace/parser';
import { syntheticHeader, type ProfileFacts } from './synthetic-header';

/** What to generate: a subset of the generators' options (seed is a string, as the header keeps it). */
export interface GenerationRequest {
  /** Trace file to write (.jsonl, .jsonl.gz, or `-` for stdout); written under a temporary name and renamed into place when whole. */
  readonly output: string;
  readonly events?: number;
  readonly durationSeconds?: number;
  /** Average number of concurrently open sessions. */
  readonly sessions?: number;
  readonly speed?: number;
  readonly seed?: string;
  readonly style?: 'auto' | 'params' | 'inline';
  /** Strategy-specific settings (the neural strategies' temperature, backend, …). */
  readonly settings?: Record<string, unknown>;
  /** Who wrote the trace, for its header (e.g. `stb 0.1.0`); the strategy is added. */
  readonly writtenBy?: string;
}

/** A loaded model, ready to generate from. */
export interface LoadedModel {
  readonly strategy: string;
  readonly generator: TraceGenerator;
  readonly model: WorkloadModel;
  /** What the model says of the trace it learned (its dialect and clock), for the header. */
  readonly profile: ProfileFacts | undefined;
}

/** How a caller follows a generation: progress, warnings, each batch as it is written, cancellation. */
export interface GenerationObserver {
  readonly signal?: AbortSignal;
  /** After each batch of up to 1,024 events. */
  onProgress?(progress: { readonly events: number }): void;
  onWarning?(message: string): void;
  onBatch?(events: readonly TraceEvent[]): void;
}

export interface GenerationSummary {
  readonly output: string;
  readonly strategy: string;
  readonly seed: string;
  readonly events: number;
  readonly sessions: number;
  /** Synthetic time covered, first event to last (s). */
  readonly spanSeconds: number;
  /** Wall time (s). */
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** The network's backend, for the neural strategies. */
  readonly backend?: string;
  readonly warnings: readonly string[];
}

/**
 * Generates a synthetic trace from a model into a trace file: the header (synthetic, exact
 * times, the clock the model learned from), the events in batches, the counts. A run that fails
 * or is cancelled leaves no file behind (nor the previous one changed).
 */
export class GenerationService {
  /** Loads a model file (any strategy the registry knows). */
  async load(path: string): Promise<LoadedModel> {
    const file = await loadModelFile(path);
    const generator = defaultRegistry().create(file.strategy);
    const model = generator.loadModel(file.model, path);
    return { strategy: file.strategy, generator, model, profile: (file.model as { profile?: ProfileFacts }).profile };
  }

  async generate(loaded: LoadedModel, request: GenerationRequest, observer: GenerationObserver = {}): Promise<GenerationSummary> {
    const seed = request.seed ?? '1';
    const warnings: string[] = [];
    let backend: string | undefined;
    const options: GenerateOptions = {
      seed,
      ...(request.events !== undefined ? { events: request.events } : {}),
      ...(request.durationSeconds !== undefined ? { durationSeconds: request.durationSeconds } : {}),
      ...(request.sessions !== undefined ? { sessions: request.sessions } : {}),
      ...(request.speed !== undefined ? { speed: request.speed } : {}),
      ...(request.style !== undefined ? { style: request.style } : {}),
      ...(observer.signal !== undefined ? { signal: observer.signal } : {}),
      onWarning: (message: string) => {
        warnings.push(message);
        observer.onWarning?.(message);
      },
      settings: { ...request.settings, onBackend: (name: string) => (backend = name) },
    };
    const out = new AtomicOutput(request.output);
    const sink = new TraceFileSink(out.path);
    const started = performance.now();
    const sessions = new DistinctCounter();
    let first: number | undefined;
    let last = 0;
    try {
      await sink.writeHeader(syntheticHeader(loaded.profile, `${request.writtenBy ?? 'sqltrace'} (${loaded.strategy})`, seed));
      let batch: TraceEvent[] = [];
      const flush = async () => {
        await sink.write(batch);
        observer.onBatch?.(batch);
        batch = [];
        observer.onProgress?.({ events: sink.count });
        if (observer.signal?.aborted) throw new StbError('E_USAGE', `generation of ${request.output} cancelled`);
      };
      for await (const event of loaded.generator.generate(loaded.model, options)) {
        batch.push(event);
        if (batch.length === 1_024) await flush();
        first ??= event.ts;
        last = event.ts;
        sessions.add(event.session);
      }
      await flush();
      await sink.close();
      out.commit();
    } catch (error) {
      await sink.close().catch(() => undefined);
      out.discard();
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      output: request.output,
      strategy: loaded.strategy,
      seed,
      events: sink.count,
      sessions: sessions.size,
      spanSeconds: first === undefined ? 0 : (last - first) / 1e6,
      seconds,
      eventsPerSecond: sink.count / Math.max(seconds, 1e-9),
      ...(backend !== undefined ? { backend } : {}),
      warnings,
    };
  }
}

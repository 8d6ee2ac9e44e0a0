import { Worker } from 'node:worker_threads';
import { StbError, type TraceEvent, type TraceHeader, TraceFileSink, encodeTraceHeader } from '@sqltrace/core';
import { packEvents, packedBuffers, siblingScript } from '@sqltrace/core/internal';
import { Normalizer } from '../normalizer/normalizer';
import { normalizeAndEncode } from './normalize-event';

interface Pending {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * Normalizes, encodes and writes batches of raw events to a trace file, in order. With a worker
 * thread (the default) the worker owns the output file: it normalizes what it is sent and writes
 * everything, while the calling thread reads and parses; when the worker falls behind, the
 * calling thread normalizes a batch itself and only hands over the text. Without a built worker
 * (running from TypeScript sources) or with `threads: 0`, everything runs on the calling thread.
 */
export class NormalizePipeline {
  readonly #worker: Worker | undefined;
  readonly #sink: TraceFileSink | undefined;
  readonly #normalizer: Normalizer;
  /** Templates this thread has seen in the current input (inline batches). */
  #seen = new Set<string>();
  /** Templates of the current input seen by anyone: worker reports and inline batches. */
  #all = new Set<string>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;
  /** Batches sent to the worker to normalize and not yet written. */
  #queuedBatches = 0;

  constructor(options: { dialect: 'postgres' | 'mysql' | 'sqlite'; output: string; threads?: number }) {
    this.#normalizer = new Normalizer({ dialect: options.dialect });
    const script = (options.threads ?? 1) > 0 && options.output !== '-' ? workerScript() : undefined;
    if (script === undefined) {
      this.#sink = new TraceFileSink(options.output);
      return;
    }
    this.#worker = new Worker(script, { workerData: { dialect: options.dialect, output: options.output } });
    this.#worker.on('message', (m: { id: number; newTemplates?: string[]; error?: string; hint?: string; code?: string }) => {
      const pending = this.#pending.get(m.id);
      if (pending === undefined) return;
      this.#pending.delete(m.id);
      if (m.error !== undefined) {
        const code = m.code === 'E_IO' || m.code === 'E_INPUT' ? m.code : 'E_INTERNAL';
        return pending.reject(new StbError(code, m.error, { hint: m.hint }));
      }
      if (m.newTemplates) for (const id of m.newTemplates) this.#all.add(id);
      pending.resolve();
    });
    this.#worker.on('error', (error) => this.#fail(error));
  }

  /** Distinct templates of the current input so far (complete once its batches are written). */
  get templates(): number {
    return this.#all.size;
  }

  /** A new input file begins: template counts start again (the worker's too, in order). */
  startInput(): void {
    this.#seen = new Set();
    this.#all = new Set();
    if (this.#worker !== undefined) void this.#send({ kind: 'reset' });
  }

  async writeHeader(header: TraceHeader): Promise<void> {
    if (this.#sink) return this.#sink.writeHeader(header);
    return this.#send({ kind: 'text', text: encodeTraceHeader(header) + '\n', count: 0 });
  }

  /**
   * Queues a batch; resolves once it is written. The calling thread normalizes it itself when
   * the worker already has four batches to normalize: both cores stay busy whichever half of
   * the work is slower.
   */
  submit(events: TraceEvent[]): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#sink) return this.#sink.writeEncoded(this.#encodeHere(events), events.length);
    if (this.#queuedBatches >= 4) return this.#send({ kind: 'text', text: this.#encodeHere(events), count: events.length });
    this.#queuedBatches++;
    // Packed: cloning a few flat arrays costs both threads less than cloning an object per event.
    const packed = packEvents(events);
    return this.#send({ kind: 'events', packed }, packedBuffers(packed)).finally(() => {
      this.#queuedBatches--;
    });
  }

  /** Flushes and closes the output (and stops the worker). */
  async close(): Promise<void> {
    if (this.#sink) return this.#sink.close();
    try {
      if (!this.#failure) await this.#send({ kind: 'close' });
    } finally {
      await this.#worker!.terminate();
    }
    if (this.#failure) throw this.#failure;
  }

  #encodeHere(events: TraceEvent[]): string {
    const { text, newTemplates } = normalizeAndEncode(events, this.#normalizer, this.#seen);
    for (const id of newTemplates) this.#all.add(id);
    return text;
  }

  #send(message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<void> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker!.postMessage({ ...message, id }, transfer);
    });
  }

  #fail(error: Error): void {
    this.#failure = new StbError('E_INTERNAL', `normalizer worker failed: ${error.message}`, { cause: error });
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
}

/** The built worker next to this bundle (dist/normalize-worker.cjs or .js), if there is one. */
function workerScript(): string | undefined {
  return siblingScript(typeof __dirname === 'string' ? __dirname : undefined, ['normalize-worker.cjs', 'normalize-worker.js']);
}

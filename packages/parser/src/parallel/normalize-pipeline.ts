import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { StbError, type TraceEvent } from '@sqltrace/core';
import { Normalizer } from '../normalizer/normalizer';
import { normalizeAndEncode } from './normalize-event';

interface Pending {
  resolve: (text: string) => void;
  reject: (error: Error) => void;
}

/**
 * Normalizes and encodes batches of raw events, in order, on a worker thread while the caller
 * goes on reading and parsing: the two halves of a parse take about the same time, so a second
 * core nearly doubles throughput. Falls back to the calling thread when no built worker exists
 * (running from TypeScript sources) or `threads` is 0.
 */
export class NormalizePipeline {
  readonly #worker: Worker | undefined;
  readonly #normalizer: Normalizer;
  /** Templates this thread has seen (inline batches). */
  readonly #seen = new Set<string>();
  /** Templates seen by anyone: worker reports and inline batches. */
  readonly #all = new Set<string>();
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;
  /** Batches normalized on the calling thread / on the worker. */
  inlineBatches = 0;
  workerBatches = 0;

  constructor(options: { dialect: 'postgres' | 'mysql' | 'sqlite'; threads?: number }) {
    this.#normalizer = new Normalizer({ dialect: options.dialect });
    const script = workerScript();
    if ((options.threads ?? 1) > 0 && script !== undefined) {
      this.#worker = new Worker(script, { workerData: { dialect: options.dialect } });
      this.#worker.on('message', (m: { id: number; text?: string; newTemplates?: string[]; error?: string }) => {
        const pending = this.#pending.get(m.id)!;
        this.#pending.delete(m.id);
        if (m.error !== undefined) return pending.reject(new StbError('E_INTERNAL', `normalizer worker failed: ${m.error}`));
        for (const id of m.newTemplates!) this.#all.add(id);
        pending.resolve(m.text!);
      });
      this.#worker.on('error', (error) => this.#fail(error));
    }
  }

  /** Batches sent to the worker and not yet returned. */
  get queued(): number {
    return this.#pending.size;
  }

  /** Distinct templates seen so far. */
  get templates(): number {
    return this.#all.size;
  }

  /** True when a worker thread does the work. */
  get threaded(): boolean {
    return this.#worker !== undefined;
  }

  /**
   * Resolves to the batch's JSON lines. With `inline` (the worker is busy) the calling thread
   * does this batch itself: both cores stay busy whichever half of the work is slower.
   */
  submit(events: TraceEvent[], inline = false): Promise<string> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#worker === undefined || inline) {
      const { text, newTemplates } = normalizeAndEncode(events, this.#normalizer, this.#seen);
      for (const id of newTemplates) this.#all.add(id);
      this.inlineBatches++;
      return Promise.resolve(text);
    }
    this.workerBatches++;
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      // Structured clone: measured cheaper for the (busier) main thread than packing into a string.
      this.#worker!.postMessage({ id, events });
    });
  }

  async close(): Promise<void> {
    await this.#worker?.terminate();
  }

  #fail(error: Error): void {
    this.#failure = new StbError('E_INTERNAL', `normalizer worker failed: ${error.message}`, { cause: error });
    for (const p of this.#pending.values()) p.reject(this.#failure);
    this.#pending.clear();
  }
}

/** The built worker next to this bundle (dist/normalize-worker.js or .cjs), if there is one. */
function workerScript(): string | undefined {
  const here = typeof __dirname === 'string' ? __dirname : undefined;
  if (here === undefined) return undefined;
  for (const name of ['normalize-worker.cjs', 'normalize-worker.js']) {
    const path = join(here, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

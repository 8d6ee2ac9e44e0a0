import { Worker } from 'node:worker_threads';
import { StbError, type MetricsSink, type StbErrorCode, type TraceEvent, type TraceSource } from '@sqltrace/core';
import { packEvents, packedBuffers, siblingScript } from '@sqltrace/core/internal';
import type { BenchResults } from '../results/bench-results';
import { mergeResults } from '../results/merge-results';
import { clockResolution, type BenchmarkOptions } from '../runner/benchmark-runner';
import { spreadTicks } from '../runner/spread-ticks';
import { checkPipeline } from '../runner/check-pipeline';
import { StatementGuard } from '../runner/statement-guard';
import { statementPool } from '../runner/statement-pool';
import { MetricsReceiver, type MetricsBatch } from './forwarded-metrics';
import type { ParentMessage, WorkerData, WorkerMessage } from './thread-messages';

export interface ThreadedBenchmarkOptions extends Omit<BenchmarkOptions, 'driver' | 'schedule'> {
  /** Threads to spread the connections (replay: the sessions) over, each with its own event loop and driver. */
  readonly threads: number;
  /** The driver each thread loads for itself: a name or package, as `loadDriver` takes it. */
  readonly driver: { readonly name: string; readonly config: { readonly url: string; readonly [key: string]: unknown } };
}

/** Replay: events sent to a thread in one message, and messages a thread may have unread. */
const BATCH = 256;
const IN_FLIGHT = 8;
/** Replay: sessions dealt out in turn as they appear; those after go by a hash of their id (no table that grows with the log). */
const DEALT = 10_000;

/** One benchmark thread as the parent sees it. */
interface Thread {
  readonly worker: Worker;
  /** replay: the driver is loaded. */
  readonly ready: Promise<void>;
  /** replay: batches sent and not yet taken. */
  inFlight: number;
  /** Resolves the parent's wait for the thread to take a batch (or to finish). */
  wake: (() => void) | undefined;
  finished: boolean;
}

/**
 * A run spread over worker threads, each running a BenchmarkRunner with its own driver; the
 * results merge exactly ({@link mergeResults}) and metrics reach the caller's sink from every
 * thread. Closed and open loop: the connections (and the arrival rate) are split between the
 * threads, each running the trace's statement mix. Replay: the traced sessions are dealt out
 * between the threads as they first appear (each session stays on one thread, in order), this
 * thread reads the trace and sends each its sessions' events, and all share one schedule — the
 * same start and the same trace time at it — so every statement is due when it would be on one
 * thread. Why: a load generator whose one thread spends microseconds per statement is
 * descheduled every time it wakes the database, and on the database's own machine one event loop
 * cannot keep the server busy; two can.
 */
export class ThreadedBenchmarkRunner {
  readonly #o: ThreadedBenchmarkOptions;

  constructor(options: ThreadedBenchmarkOptions) {
    if (!(Number.isInteger(options.threads) && options.threads >= 1))
      throw new StbError('E_USAGE', `--threads must be a positive whole number, got ${options.threads}`);
    if (options.mode === 'open' && options.rate === undefined) throw new StbError('E_USAGE', 'open mode needs --rate (arrivals per second)');
    checkPipeline(options.pipeline, options.mode, undefined);
    this.#o = options;
  }

  async run(input: TraceSource): Promise<BenchResults> {
    // The policy applies here, where the trace is read (a function does not cross to a thread).
    const guard = this.#o.safety !== undefined ? new StatementGuard(this.#o.safety) : undefined;
    const trace = guard !== undefined ? guard.filter(input) : input;
    const results = await (this.#o.mode === 'replay' ? this.#replay(trace) : this.#loop(trace));
    return guard !== undefined ? { ...results, refused: guard.toJSON() } : results;
  }

  /** Closed and open loop: each thread gets its share of the connections and the statement mix. */
  async #loop(trace: TraceSource): Promise<BenchResults> {
    const o = this.#o;
    const pool = await statementPool(trace);
    if (pool.length === 0) throw new StbError('E_INPUT', `${trace.name}: the trace has no statements to run`);
    const concurrency = o.concurrency ?? 8;
    const threads = Math.min(o.threads, concurrency);
    const { threads: _threads, driver, metrics, signal, safety: _safety, ...shared } = o;
    return this.#withThreads(
      threads,
      trace.name,
      (t) => {
        const connections = share(concurrency, threads, t);
        // Each thread starts elsewhere in the statement mix, as the workers of one thread do.
        const offset = Math.floor((t * pool.length) / threads);
        return {
          options: {
            ...shared,
            concurrency: connections,
            ...(o.rate !== undefined ? { rate: (o.rate * connections) / concurrency } : {}),
            ...(o.mode === 'open' ? { arrivalPhase: t / threads, seed: `${o.seed ?? 1}/${t}` } : {}),
          },
          pool: offset === 0 ? pool : [...pool.slice(offset), ...pool.slice(0, offset)],
          replay: false,
        };
      },
      (parts) => Promise.all(parts),
      o.mode === 'closed' ? { workers: concurrency } : { connections: concurrency, rate: o.rate! },
    );
  }

  /** Replay: sessions dealt out to the threads, events sent as the trace is read, one schedule. */
  async #replay(trace: TraceSource): Promise<BenchResults> {
    const o = this.#o;
    const signal = o.signal;
    const cap = o.concurrency ?? 10_000;
    const threads = Math.min(o.threads, cap);
    const { threads: _threads, driver, metrics, signal: _signal, safety: _safety, ...shared } = o;
    // A coarse trace is spread over its ticks here, where it is read (the threads' feeds have no header).
    const resolution = o.spread === 'off' || !Number.isFinite(o.speed ?? 1) ? 1 : await clockResolution(trace, signal);
    const source = resolution > 1 ? spreadTicks(trace, resolution) : trace;
    const events = source.events({ ...(signal ? { signal } : {}) })[Symbol.asyncIterator]();
    const first = await events.next();
    if (first.done) throw new StbError('E_INPUT', `${trace.name}: the trace has no statements to run`);
    const firstTs = first.value.ts;
    const timed = Number.isFinite(o.speed ?? 1);
    return this.#withThreads(
      threads,
      trace.name,
      (t) => ({ options: { ...shared, concurrency: share(cap, threads, t) }, pool: [], replay: true }),
      async (parts, running) => {
        await Promise.race([Promise.all(running.map((r) => r.ready)), Promise.all(parts)]);
        // A timed replay starts a little ahead, so the first connections are open when the first statements are due.
        const startAt = performance.timeOrigin + performance.now() + (timed ? 250 : 0);
        for (const r of running) post(r, { type: 'start', startAt, firstTs });
        const assigned = new Map<string, number>();
        const buffers: TraceEvent[][] = running.map(() => []);
        let sessions = 0;
        const flush = (t: number) => {
          const r = running[t]!;
          const batch = buffers[t]!;
          if (batch.length === 0) return;
          buffers[t] = [];
          if (r.finished) return; // its run ended (--duration, or the database went away): it reads no more
          const packed = packEvents(batch);
          r.inFlight++;
          post(r, { type: 'events', packed }, packedBuffers(packed));
        };
        let event: TraceEvent | undefined = first.value;
        let read = 0;
        while (event !== undefined && !signal?.aborted) {
          let t = assigned.get(event.session);
          if (t === undefined) {
            if (assigned.size < DEALT) assigned.set(event.session, (t = sessions++ % threads));
            else t = hash(event.session) % threads;
          }
          buffers[t]!.push(event);
          if (++read % BATCH === 0) {
            // Every thread gets what is read about as soon as the busiest does (no buffer holds more
            // than BATCH): a session on a quiet thread must not wait behind another thread's batch.
            for (let k = 0; k < threads; k++) flush(k);
            for (const r of running) {
              while (r.inFlight >= IN_FLIGHT && !r.finished && !signal?.aborted) await new Promise<void>((resolve) => (r.wake = resolve));
            }
            if (running.every((r) => r.finished)) break;
          }
          const next = await events.next();
          event = next.done ? undefined : next.value;
        }
        for (let k = 0; k < threads; k++) flush(k);
        for (const r of running) post(r, { type: 'end' });
        return Promise.all(parts);
      },
      { maxConnections: cap, ...(resolution > 1 ? { spreadOverUs: resolution } : {}) },
    ); // speed and pipeline: each thread's settings already say them
  }

  /**
   * Starts `count` threads with the data `dataFor` gives each, lets `drive` feed them (it returns
   * their results), and merges the results; the caller's metrics sink hears every thread, an
   * abort reaches every thread, and one thread's failure stops the others.
   */
  async #withThreads(
    count: number,
    traceName: string,
    dataFor: (thread: number) => Omit<WorkerData, 'driver' | 'traceName' | 'metrics'>,
    drive: (parts: Promise<BenchResults>[], running: Thread[]) => Promise<BenchResults[]>,
    settings: Record<string, number | string>,
  ): Promise<BenchResults> {
    const o = this.#o;
    const script = workerScript();
    if (script === undefined)
      throw new StbError('E_INTERNAL', 'the benchmark thread script (bench-worker.js) is missing next to @sqltrace/bench', {
        hint: 'Use the built package, or run without --threads',
      });
    const metrics = o.metrics;
    const receivers = Array.from({ length: count }, () => new MetricsReceiver());
    const active = new Array<number>(count).fill(0);
    const progress = new Array<number>(count).fill(0);
    const running: Thread[] = [];
    const parts: Promise<BenchResults>[] = [];
    const abort = () => running.forEach((r) => post(r, { type: 'abort' }));
    o.signal?.addEventListener('abort', abort, { once: true });
    try {
      for (let t = 0; t < count; t++) {
        const data: WorkerData = { ...dataFor(t), driver: o.driver, traceName, metrics: metrics !== undefined };
        const worker = new Worker(script, { workerData: data });
        let markReady: () => void = () => undefined;
        const ready = new Promise<void>((resolve) => (markReady = resolve));
        const thread: Thread = { worker, ready, inFlight: 0, wake: undefined, finished: false };
        const wake = () => {
          const w = thread.wake;
          thread.wake = undefined;
          w?.();
        };
        const results = new Promise<BenchResults>((resolve, reject) => {
          const fail = (error: StbError) => {
            thread.finished = true;
            wake();
            abort();
            reject(error);
          };
          worker.on('message', (m: WorkerMessage) => {
            if (m.type === 'metrics') return forward(metrics, m, receivers[t]!, t, active, progress);
            if (m.type === 'ready') return markReady();
            if (m.type === 'consumed') {
              thread.inFlight--;
              return wake();
            }
            thread.finished = true;
            wake();
            if (m.type === 'done') resolve(m.results);
            else fail(new StbError((m.code as StbErrorCode | undefined) ?? 'E_INTERNAL', m.message, m.hint !== undefined ? { hint: m.hint } : {}));
          });
          worker.on('error', (error) => fail(new StbError('E_INTERNAL', `benchmark thread ${t + 1} failed: ${error.message}`, { cause: error })));
          worker.on('exit', (code) => {
            if (!thread.finished) fail(new StbError('E_INTERNAL', `benchmark thread ${t + 1} exited (code ${code}) without results`));
          });
        });
        // A failure is reported through `drive`'s result; this keeps an early one from going unhandled meanwhile.
        results.catch(() => undefined);
        running.push(thread);
        parts.push(results);
      }
      const merged = mergeResults(await drive(parts, running));
      return { ...merged, settings: { ...merged.settings, ...settings, threads: count } };
    } finally {
      o.signal?.removeEventListener('abort', abort);
      await Promise.all(running.map((r) => r.worker.terminate()));
    }
  }
}

/** Thread `t`'s share of `total` (the first ones take the remainder). */
function share(total: number, threads: number, t: number): number {
  return Math.floor(total / threads) + (t < total % threads ? 1 : 0);
}

function post(thread: Thread, message: ParentMessage, transfer?: ArrayBuffer[]): void {
  thread.worker.postMessage(message, transfer);
}

function forward(metrics: MetricsSink | undefined, m: MetricsBatch, receiver: MetricsReceiver, thread: number, active: number[], progress: number[]): void {
  if (metrics === undefined) return;
  receiver.apply(m, metrics);
  active[thread] = m.activeSessions;
  progress[thread] = m.progress;
  metrics.setActiveSessions(active.reduce((a, b) => a + b, 0));
  metrics.setProgress(Math.min(...progress));
}

/** The ESM build first (the CommonJS one serves when only it ships). */
function workerScript(): string | undefined {
  return siblingScript(typeof __dirname === 'string' ? __dirname : undefined, ['bench-worker.js', 'bench-worker.cjs']);
}

/** FNV-1a of a session id: where a session beyond the first {@link DEALT} goes. */
function hash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

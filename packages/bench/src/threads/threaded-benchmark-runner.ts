import { Worker } from 'node:worker_threads';
import { StbError, siblingScript, type MetricsSink, type StbErrorCode, type TraceSource } from '@sqltrace/core';
import type { BenchResults } from '../results/bench-results';
import { mergeResults } from '../results/merge-results';
import type { BenchmarkOptions } from '../runner/benchmark-runner';
import { statementPool } from '../runner/statement-pool';
import { MetricsReceiver, type MetricsBatch } from './forwarded-metrics';
import type { WorkerData, WorkerMessage } from './thread-messages';

export interface ThreadedBenchmarkOptions extends Omit<BenchmarkOptions, 'driver'> {
  /** Threads to spread the connections over (each with its own event loop and driver). */
  readonly threads: number;
  /** The driver each thread loads for itself: a name or package, as `loadDriver` takes it. */
  readonly driver: { readonly name: string; readonly config: { readonly url: string; readonly [key: string]: unknown } };
}

/**
 * A closed- or open-loop run spread over worker threads: the connections (and, open loop, the
 * arrival rate) are split between the threads; each runs a BenchmarkRunner with its own driver on
 * the trace's statement mix, and the results merge exactly ({@link mergeResults}). Metrics reach
 * the caller's sink from every thread. Why: a load generator whose one thread spends microseconds
 * per statement is descheduled every time it wakes the database, and on the database's own
 * machine one event loop cannot keep the server busy; two can.
 */
export class ThreadedBenchmarkRunner {
  readonly #o: ThreadedBenchmarkOptions;

  constructor(options: ThreadedBenchmarkOptions) {
    if (!(Number.isInteger(options.threads) && options.threads >= 1)) throw new StbError('E_USAGE', `--threads must be a positive whole number, got ${options.threads}`);
    if (options.mode === 'replay') throw new StbError('E_USAGE', '--threads applies to the closed and open modes', { hint: 'A replay runs one connection per traced session on one thread; drop --threads' });
    if (options.mode === 'open' && options.rate === undefined) throw new StbError('E_USAGE', 'open mode needs --rate (arrivals per second)');
    this.#o = options;
  }

  async run(trace: TraceSource): Promise<BenchResults> {
    const o = this.#o;
    const pool = await statementPool(trace);
    if (pool.length === 0) throw new StbError('E_INPUT', `${trace.name}: the trace has no statements to run`);
    const script = workerScript();
    if (script === undefined) throw new StbError('E_INTERNAL', 'the benchmark thread script (bench-worker.js) is missing next to @sqltrace/bench', { hint: 'Use the built package, or run without --threads' });
    const concurrency = o.concurrency ?? 8;
    const threads = Math.min(o.threads, concurrency);
    const { threads: _threads, driver, metrics, signal, ...shared } = o;

    const receivers = Array.from({ length: threads }, () => new MetricsReceiver());
    const active = new Array<number>(threads).fill(0);
    const progress = new Array<number>(threads).fill(0);
    const workers: Worker[] = [];
    const abort = () => workers.forEach((w) => w.postMessage({ type: 'abort' }));
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const parts = await Promise.all(
        Array.from({ length: threads }, (_, t) => {
          const connections = Math.floor(concurrency / threads) + (t < concurrency % threads ? 1 : 0);
          // Each thread starts elsewhere in the statement mix, as the workers of one thread do.
          const offset = Math.floor((t * pool.length) / threads);
          const data: WorkerData = {
            options: {
              ...shared,
              concurrency: connections,
              ...(o.rate !== undefined ? { rate: (o.rate * connections) / concurrency } : {}),
              ...(o.mode === 'open' ? { arrivalPhase: t / threads, seed: `${o.seed ?? 1}/${t}` } : {}),
            },
            driver,
            traceName: trace.name,
            pool: offset === 0 ? pool : [...pool.slice(offset), ...pool.slice(0, offset)],
            metrics: metrics !== undefined,
          };
          return new Promise<BenchResults>((resolve, reject) => {
            const worker = new Worker(script, { workerData: data });
            workers.push(worker);
            let settled = false;
            worker.on('message', (m: WorkerMessage) => {
              if (m.type === 'metrics') return forward(metrics, m, receivers[t]!, t, active, progress);
              settled = true;
              if (m.type === 'done') resolve(m.results);
              else {
                abort();
                reject(new StbError((m.code as StbErrorCode | undefined) ?? 'E_INTERNAL', m.message, m.hint !== undefined ? { hint: m.hint } : {}));
              }
            });
            worker.on('error', (error) => {
              abort();
              reject(new StbError('E_INTERNAL', `benchmark thread ${t + 1} failed: ${error.message}`, { cause: error }));
            });
            worker.on('exit', (code) => {
              if (!settled) reject(new StbError('E_INTERNAL', `benchmark thread ${t + 1} exited (code ${code}) without results`));
            });
          });
        }),
      );
      const merged = mergeResults(parts);
      return { ...merged, settings: { ...merged.settings, ...settingsOf(o, concurrency), threads } };
    } finally {
      signal?.removeEventListener('abort', abort);
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
}

/** The whole run's settings (each thread's results carry its own share). */
function settingsOf(o: ThreadedBenchmarkOptions, concurrency: number): Record<string, number | string> {
  return o.mode === 'closed' ? { workers: concurrency } : { connections: concurrency, rate: o.rate! };
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

import { createServer, type Server } from 'node:http';
import { Gauge, Registry } from 'prom-client';
import type { MetricsSink, OperationMetric } from '@sqltrace/core';
import { BenchMetricFamilies } from './bench-metric-families';
import { MetricsPusher, type PushOptions } from './metrics-pusher';
import type { RunMetrics } from './run-metrics';
import { loopDelayMs, monitorLoopDelay } from '../runner/loop-delay';

export interface PrometheusMetricsOptions {
  /** The registry to use (default: a new one). */
  readonly registry?: Registry;
  /** The `run` label of every series (default "stb"). */
  readonly run?: string;
  /** Templates shown under their own name (the top N by time; the rest as "other"; default 20). */
  readonly templateSeries?: number;
  /** Push to a Pushgateway too (periodically and at the end). */
  readonly push?: PushOptions;
  /** After the run, keep /metrics up (and the pushed group, if it is to be deleted) this long, ms: the last scrape sees the totals. */
  readonly lingerMs?: number;
}

/**
 * Prometheus metrics of one run (on a registry the caller may inject): the
 * {@link BenchMetricFamilies} labelled with the run's name (`run`), and
 * `stb_event_loop_delay_seconds` of the process. `listen(port)` serves them on /metrics while the
 * run goes; with `push`, they also go to a Pushgateway.
 */
export class PrometheusMetrics implements MetricsSink {
  readonly registry: Registry;
  readonly run: string;
  readonly #sink: RunMetrics;
  readonly #loop = monitorLoopDelay();
  readonly #pusher: MetricsPusher | undefined;
  readonly #lingerMs: number;
  #server: Server | undefined;
  #closed = false;

  constructor(options: PrometheusMetricsOptions = {}) {
    this.registry = options.registry ?? new Registry();
    this.run = options.run ?? 'stb';
    this.#lingerMs = options.lingerMs ?? 0;
    this.#sink = new BenchMetricFamilies(this.registry, options.templateSeries !== undefined ? { templateSeries: options.templateSeries } : {}).forRun(
      this.run,
    );
    const loop = this.#loop,
      run = this.run;
    new Gauge({
      name: 'stb_event_loop_delay_seconds',
      help: "The load generator's event-loop delay (p99 since the last scrape), seconds.",
      labelNames: ['run'],
      registers: [this.registry],
      collect() {
        this.set({ run }, loopDelayMs(loop, 99) / 1000);
        loop.reset();
      },
    });
    this.#pusher = options.push !== undefined ? new MetricsPusher(this.registry, this.run, options.push) : undefined;
  }

  recordOperation(s: OperationMetric): void {
    this.#sink.recordOperation(s);
  }

  recordDropped(count: number): void {
    this.#sink.recordDropped(count);
  }

  setActiveSessions(count: number): void {
    this.#sink.setActiveSessions(count);
  }

  setProgress(ratio: number): void {
    this.#sink.setProgress(ratio);
  }

  /** Serves /metrics on `port` (0: any free port); resolves with the port. */
  async listen(port: number, host = '127.0.0.1'): Promise<number> {
    const server = createServer((req, res) => {
      if (req.url?.split('?')[0] !== '/metrics') {
        res.writeHead(404).end('see /metrics\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (error: unknown) => res.writeHead(500).end(String(error)),
      );
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : port;
  }

  /**
   * The run is over: its end time is set, the final values pushed, /metrics kept up for the
   * linger, the pushed group deleted if asked, and the endpoint closed. A failed final push or
   * deletion is thrown (after the endpoint is closed).
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.end();
    let failure: unknown;
    await this.#pusher?.finish().catch((error: unknown) => (failure = error));
    if (this.#lingerMs > 0 && (this.#server !== undefined || this.#pusher !== undefined)) await new Promise((resolve) => setTimeout(resolve, this.#lingerMs));
    await this.#pusher?.cleanUp().catch((error: unknown) => (failure ??= error));
    this.#loop.disable();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (failure !== undefined) throw failure;
  }
}

import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Gauge, Registry } from 'prom-client';
import type { MetricsSink, OperationMetric } from '@sqltrace/core';
import { BenchMetricFamilies, type RunMetrics } from './bench-metric-families';

/**
 * Prometheus metrics of one run (prom-client, on a registry the caller may inject): the
 * {@link BenchMetricFamilies} labelled with the run's name (`run`), and
 * `stb_event_loop_delay_seconds` of the process. `listen(port)` serves them on /metrics while the
 * run goes.
 */
export class PrometheusMetrics implements MetricsSink {
  readonly registry: Registry;
  readonly run: string;
  readonly #sink: RunMetrics;
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });
  #server: Server | undefined;

  constructor(options: { readonly registry?: Registry; readonly run?: string } = {}) {
    this.registry = options.registry ?? new Registry();
    this.run = options.run ?? 'stb';
    this.#sink = new BenchMetricFamilies(this.registry).forRun(this.run);
    const loop = this.#loop;
    new Gauge({
      name: 'stb_event_loop_delay_seconds', help: "The load generator's event-loop delay (p99 since the last scrape), seconds.", registers: [this.registry],
      collect() {
        this.set(loop.count > 0 ? loop.percentile(99) / 1e9 : 0);
        loop.reset();
      },
    });
    this.#loop.enable();
  }

  recordOperation(s: OperationMetric): void {
    this.#sink.recordOperation(s);
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

  async close(): Promise<void> {
    this.#loop.disable();
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

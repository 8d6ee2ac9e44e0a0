import { createServer, type Server } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { MetricsSink, OperationMetric } from '@sqltrace/core';

const BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * Prometheus metrics of a run (prom-client, on a registry the caller may inject):
 * `stb_queries_total{template,kind,status}`, `stb_query_duration_seconds` (response time),
 * `stb_schedule_lag_seconds`, `stb_sessions_active`, `stb_event_loop_delay_seconds`,
 * `stb_progress_ratio`. `listen(port)` serves them on /metrics while the run goes.
 */
export class PrometheusMetrics implements MetricsSink {
  readonly registry: Registry;
  readonly #queries: Counter<'template' | 'kind' | 'status'>;
  readonly #duration: Histogram<'kind'>;
  readonly #lag: Histogram;
  readonly #sessions: Gauge;
  readonly #progress: Gauge;
  readonly #loop = monitorEventLoopDelay({ resolution: 10 });
  #server: Server | undefined;

  constructor(registry = new Registry()) {
    this.registry = registry;
    this.#queries = new Counter({ name: 'stb_queries_total', help: 'Statements run, by template, kind and status.', labelNames: ['template', 'kind', 'status'], registers: [registry] });
    this.#duration = new Histogram({ name: 'stb_query_duration_seconds', help: 'Response time (done - intended), seconds.', labelNames: ['kind'], buckets: BUCKETS, registers: [registry] });
    this.#lag = new Histogram({ name: 'stb_schedule_lag_seconds', help: 'Schedule lag (sent - intended), seconds.', buckets: BUCKETS, registers: [registry] });
    this.#sessions = new Gauge({ name: 'stb_sessions_active', help: 'Open database sessions.', registers: [registry] });
    this.#progress = new Gauge({ name: 'stb_progress_ratio', help: 'Share of the run done (0..1).', registers: [registry] });
    const loop = this.#loop;
    new Gauge({
      name: 'stb_event_loop_delay_seconds', help: "The load generator's event-loop delay (p99 since the last scrape), seconds.", registers: [registry],
      collect() {
        this.set(loop.count > 0 ? loop.percentile(99) / 1e9 : 0);
        loop.reset();
      },
    });
    this.#loop.enable();
  }

  recordOperation(s: OperationMetric): void {
    this.#queries.inc({ template: s.template, kind: s.kind, status: s.status });
    this.#duration.observe({ kind: s.kind }, s.responseSeconds);
    this.#lag.observe(s.scheduleLagSeconds);
  }

  setActiveSessions(count: number): void {
    this.#sessions.set(count);
  }

  setProgress(ratio: number): void {
    this.#progress.set(ratio);
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

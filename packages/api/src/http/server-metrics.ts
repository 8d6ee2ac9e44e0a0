import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { BenchMetricFamilies } from '@sqltrace/bench';
import type { Repository } from '@sqltrace/core';

/**
 * The server's Prometheus registry: the process (`process_*`, `nodejs_*`), requests by route
 * (`stb_api_requests_total{method,route,status}`, `stb_api_request_duration_seconds{method,route}`),
 * jobs by kind and state (`stb_api_jobs`, read from the repository at each scrape), and the
 * benchmarks running (the `stb_*` families of `stb bench`, labelled `run` = the benchmark's id).
 */
export class ServerMetrics {
  readonly registry = new Registry();
  readonly benchmarks: BenchMetricFamilies;
  readonly #requests: Counter<'method' | 'route' | 'status'>;
  readonly #duration: Histogram<'method' | 'route'>;

  constructor(repository: Repository) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.benchmarks = new BenchMetricFamilies(this.registry);
    this.#requests = new Counter({
      name: 'stb_api_requests_total',
      help: 'Requests answered, by method, route and status.',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.#duration = new Histogram({
      name: 'stb_api_request_duration_seconds',
      help: 'Time to answer a request, seconds.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5],
      registers,
    });
    new Gauge({
      name: 'stb_api_jobs',
      help: 'Jobs in the repository (the latest 1,000) by kind and state.',
      labelNames: ['kind', 'state'],
      registers,
      async collect() {
        this.reset();
        for (const job of await repository.listJobs({ limit: 1000 })) this.inc({ kind: job.kind, state: job.state });
      },
    });
  }

  /** Counts and times every request by its route pattern (`/v1/jobs/:id`, not each id: bounded series). */
  instrument(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.#requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      this.#duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  }
}

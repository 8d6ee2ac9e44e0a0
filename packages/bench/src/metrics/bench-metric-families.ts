import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { MetricsSink, OperationMetric } from '@sqltrace/core';

/** Seconds: sub-millisecond statements get buckets of their own, so p99 of a fast run is not one bucket wide. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The benchmark metric families on one registry, every series labelled with its `run`: one
 * process (`stb bench`) or many runs at once (`stb serve`, a benchmark per job) expose them alike.
 * `stb_queries_total{run,template,kind,status}`, `stb_query_duration_seconds{run,kind}` (response
 * time), `stb_schedule_lag_seconds{run}`, `stb_sessions_active{run}`, `stb_progress_ratio{run}`.
 */
export class BenchMetricFamilies {
  readonly registry: Registry;
  readonly queries: Counter<'run' | 'template' | 'kind' | 'status'>;
  readonly duration: Histogram<'run' | 'kind'>;
  readonly lag: Histogram<'run'>;
  readonly sessions: Gauge<'run'>;
  readonly progress: Gauge<'run'>;

  constructor(registry: Registry) {
    this.registry = registry;
    const registers = [registry];
    this.queries = new Counter({ name: 'stb_queries_total', help: 'Statements run, by run, template, kind and status.', labelNames: ['run', 'template', 'kind', 'status'], registers });
    this.duration = new Histogram({ name: 'stb_query_duration_seconds', help: 'Response time (done - intended), seconds.', labelNames: ['run', 'kind'], buckets: LATENCY_BUCKETS, registers });
    this.lag = new Histogram({ name: 'stb_schedule_lag_seconds', help: 'Schedule lag (sent - intended), seconds.', labelNames: ['run'], buckets: LATENCY_BUCKETS, registers });
    this.sessions = new Gauge({ name: 'stb_sessions_active', help: 'Open database sessions.', labelNames: ['run'], registers });
    this.progress = new Gauge({ name: 'stb_progress_ratio', help: 'Share of the run done (0..1).', labelNames: ['run'], registers });
  }

  /** The sink of one run: its series carry `run`. */
  forRun(run: string): RunMetrics {
    return new RunMetrics(this, run);
  }
}

type CounterChild = ReturnType<Counter<string>['labels']>;
type HistogramChild = ReturnType<Histogram<string>['labels']>;

/** One run's metrics (a {@link MetricsSink}); `remove()` drops its series once it is over. */
export class RunMetrics implements MetricsSink {
  readonly run: string;
  readonly #f: BenchMetricFamilies;
  /** Label children per template (its kind is the template's), for ok and for error: made once, no key built per operation. */
  readonly #queries = new Map<string, { ok?: CounterChild; error?: CounterChild }>();
  readonly #durations = new Map<string, HistogramChild>();
  readonly #lag: HistogramChild;
  readonly #labels: { template: string; kind: string; status: string }[] = [];

  constructor(families: BenchMetricFamilies, run: string) {
    this.#f = families;
    this.run = run;
    this.#lag = families.lag.labels({ run });
    families.sessions.set({ run }, 0);
    families.progress.set({ run }, 0);
  }

  recordOperation(s: OperationMetric): void {
    let byStatus = this.#queries.get(s.template);
    if (byStatus === undefined) this.#queries.set(s.template, (byStatus = {}));
    let queries = byStatus[s.status];
    if (queries === undefined) {
      const labels = { template: s.template, kind: s.kind, status: s.status };
      this.#labels.push(labels);
      byStatus[s.status] = queries = this.#f.queries.labels({ run: this.run, ...labels });
    }
    queries.inc();
    let duration = this.#durations.get(s.kind);
    if (duration === undefined) this.#durations.set(s.kind, (duration = this.#f.duration.labels({ run: this.run, kind: s.kind })));
    duration.observe(s.responseSeconds);
    this.#lag.observe(s.scheduleLagSeconds);
  }

  setActiveSessions(count: number): void {
    this.#f.sessions.set({ run: this.run }, count);
  }

  setProgress(ratio: number): void {
    this.#f.progress.set({ run: this.run }, ratio);
  }

  /** Drops every series of this run from the registry. */
  remove(): void {
    const run = this.run;
    for (const labels of this.#labels) this.#f.queries.remove({ run, ...labels });
    for (const kind of this.#durations.keys()) this.#f.duration.remove({ run, kind });
    this.#f.lag.remove({ run });
    this.#f.sessions.remove({ run });
    this.#f.progress.remove({ run });
    this.#queries.clear();
    this.#durations.clear();
    this.#labels.length = 0;
  }
}

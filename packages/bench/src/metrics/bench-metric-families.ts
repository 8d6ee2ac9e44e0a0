import type { Registry } from 'prom-client';
import { LATENCY_BOUNDS, type BucketCounts } from './bucket-counts';
import { RunMetrics } from './run-metrics';

/** Templates shown under their own name per run by default; the rest are summed as `other`. */
export const DEFAULT_TEMPLATE_SERIES = 20;

type Labels = Record<string, string | number>;
interface MetricValue {
  readonly value: number;
  readonly labels: Labels;
  readonly metricName?: string;
}
interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly aggregator: 'sum';
  get(): { name: string; help: string; type: string; aggregator: string; values: MetricValue[] };
}

const LE = LATENCY_BOUNDS.map(String).concat('+Inf');

/**
 * The benchmark metric families on one registry, every series labelled with its `run`: one process
 * (`stb bench`) or many runs at once (`stb serve`, a benchmark per job) expose them alike. Runs
 * record into plain counters ({@link RunMetrics}); the series are made at each scrape.
 *
 * - `stb_queries_total{run,template,kind,status}` and `stb_query_time_seconds_total{run,template,kind}`
 *   (response time summed): the top `templateSeries` templates by time under their own text, the
 *   rest summed as template="other" — a log of 50,000 templates makes at most N + kinds series.
 * - `stb_query_duration_seconds{run,kind}` (response time: done − intended, free of coordinated
 *   omission), `stb_query_service_seconds{run,kind}` (done − sent), `stb_schedule_lag_seconds{run}`:
 *   histograms over 10 µs–10 s, six buckets a decade.
 * - `stb_errors_total{run,class}`, `stb_dropped_operations_total{run}`, `stb_sessions_active{run}`,
 *   `stb_progress_ratio{run}`, `stb_run_start_time_seconds{run}` and `stb_run_end_time_seconds{run}`.
 */
export class BenchMetricFamilies {
  readonly registry: Registry;
  readonly templateSeries: number;
  readonly #runs = new Set<RunMetrics>();

  constructor(registry: Registry, options: { readonly templateSeries?: number } = {}) {
    this.registry = registry;
    const limit = options.templateSeries ?? DEFAULT_TEMPLATE_SERIES;
    if (!(Number.isInteger(limit) && limit >= 0)) throw new RangeError(`templateSeries must be a whole number ≥ 0, got ${limit}`);
    this.templateSeries = limit;
    const runs = this.#runs;
    const family = (name: string, type: Family['type'], help: string, values: (run: RunMetrics) => MetricValue[]): void => {
      registry.registerMetric({
        name,
        help,
        type,
        aggregator: 'sum',
        get: () => ({ name, help, type, aggregator: 'sum', values: [...runs].flatMap(values) }),
      } as Family as unknown as Parameters<Registry['registerMetric']>[0]);
    };
    family('stb_queries_total', 'counter', 'Statements run, by run, template (the top N by time; the rest as "other"), kind and status.', (r) => {
      r.promote(limit);
      const values: MetricValue[] = [];
      const other = new Map<string, { ok: number; error: number }>();
      for (const [template, t] of r.templates) {
        if (t.shown) {
          values.push({ value: t.ok, labels: { run: r.run, template, kind: t.kind, status: 'ok' } });
          if (t.error > 0) values.push({ value: t.error, labels: { run: r.run, template, kind: t.kind, status: 'error' } });
          continue;
        }
        const o = other.get(t.kind) ?? { ok: 0, error: 0 };
        o.ok += t.ok;
        o.error += t.error;
        other.set(t.kind, o);
      }
      for (const [kind, o] of other) {
        values.push({ value: o.ok, labels: { run: r.run, template: 'other', kind, status: 'ok' } });
        if (o.error > 0) values.push({ value: o.error, labels: { run: r.run, template: 'other', kind, status: 'error' } });
      }
      return values;
    });
    family('stb_query_time_seconds_total', 'counter', 'Response time summed by run and template (the top N by time; the rest as "other"), seconds.', (r) => {
      r.promote(limit);
      const values: MetricValue[] = [];
      const other = new Map<string, number>();
      for (const [template, t] of r.templates) {
        if (t.shown) values.push({ value: t.seconds, labels: { run: r.run, template, kind: t.kind } });
        else other.set(t.kind, (other.get(t.kind) ?? 0) + t.seconds);
      }
      for (const [kind, seconds] of other) values.push({ value: seconds, labels: { run: r.run, template: 'other', kind } });
      return values;
    });
    family('stb_query_duration_seconds', 'histogram', 'Response time (done - intended: free of coordinated omission), seconds.', (r) =>
      [...r.response].flatMap(([kind, h]) => histogram('stb_query_duration_seconds', h, { run: r.run, kind })),
    );
    family('stb_query_service_seconds', 'histogram', 'Service time (done - sent), seconds.', (r) =>
      [...r.service].flatMap(([kind, h]) => histogram('stb_query_service_seconds', h, { run: r.run, kind })),
    );
    family('stb_schedule_lag_seconds', 'histogram', 'Schedule lag (sent - intended), seconds.', (r) =>
      histogram('stb_schedule_lag_seconds', r.lag, { run: r.run }),
    );
    family('stb_errors_total', 'counter', 'Failed statements by run and error class (SQLSTATE class or driver code).', (r) =>
      [...r.errors].map(([errorClass, value]) => ({ value, labels: { run: r.run, class: errorClass } })),
    );
    family('stb_dropped_operations_total', 'counter', 'Operations due and not run (an open loop that fell behind, a replay cut short).', (r) => [
      { value: r.dropped, labels: { run: r.run } },
    ]);
    family('stb_sessions_active', 'gauge', 'Open database sessions.', (r) => [{ value: r.activeSessions, labels: { run: r.run } }]);
    family('stb_progress_ratio', 'gauge', 'Share of the run done (0..1).', (r) => [{ value: r.progress, labels: { run: r.run } }]);
    family('stb_run_start_time_seconds', 'gauge', 'When the run started, Unix seconds.', (r) => [{ value: r.startedAt, labels: { run: r.run } }]);
    family('stb_run_end_time_seconds', 'gauge', 'When the run ended, Unix seconds (absent while it goes).', (r) =>
      r.endedAt === undefined ? [] : [{ value: r.endedAt, labels: { run: r.run } }],
    );
  }

  /** The sink of one run: its series carry `run` until it is removed. */
  forRun(run: string): RunMetrics {
    const metrics = new RunMetrics(run, (r) => this.#runs.delete(r));
    this.#runs.add(metrics);
    return metrics;
  }
}

/** A histogram's series in Prometheus' form: cumulative `_bucket{le}`, `_sum`, `_count`. */
function histogram(name: string, h: BucketCounts, labels: Labels): MetricValue[] {
  const values: MetricValue[] = [];
  let cumulative = 0;
  for (let i = 0; i < LE.length; i++) {
    cumulative += h.counts[i]!;
    values.push({ value: cumulative, labels: { ...labels, le: LE[i]! }, metricName: `${name}_bucket` });
  }
  values.push({ value: h.sum, labels, metricName: `${name}_sum` }, { value: h.count, labels, metricName: `${name}_count` });
  return values;
}

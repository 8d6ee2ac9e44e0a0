import type { BenchResults } from './bench-results';

/** A headline figure of a run: how to read it from results, and which way is better. */
export interface ResultMetric {
  /** Its name in budgets (`--fail-on response-p99=10%`). */
  readonly id: string;
  /** Its name in tables. */
  readonly label: string;
  readonly unit: 'ops/s' | 'ms' | 'count';
  readonly better: 'higher' | 'lower';
  readonly get: (results: BenchResults) => number;
}

/** The figures runs are compared on, in the order tables show them. */
export const RESULT_METRICS: readonly ResultMetric[] = [
  { id: 'throughput', label: 'throughput (ops/s)', unit: 'ops/s', better: 'higher', get: (r) => r.throughput },
  { id: 'goodput', label: 'goodput (ops/s)', unit: 'ops/s', better: 'higher', get: (r) => r.goodput },
  { id: 'errors', label: 'errors', unit: 'count', better: 'lower', get: (r) => r.errors },
  { id: 'dropped', label: 'dropped', unit: 'count', better: 'lower', get: (r) => r.dropped },
  { id: 'response-p50', label: 'response p50 (ms)', unit: 'ms', better: 'lower', get: (r) => r.responseTime.p50 },
  { id: 'response-p90', label: 'response p90 (ms)', unit: 'ms', better: 'lower', get: (r) => r.responseTime.p90 },
  { id: 'response-p99', label: 'response p99 (ms)', unit: 'ms', better: 'lower', get: (r) => r.responseTime.p99 },
  { id: 'response-p999', label: 'response p99.9 (ms)', unit: 'ms', better: 'lower', get: (r) => r.responseTime.p999 },
  { id: 'response-max', label: 'response max (ms)', unit: 'ms', better: 'lower', get: (r) => r.responseTime.max },
  { id: 'service-p99', label: 'service p99 (ms)', unit: 'ms', better: 'lower', get: (r) => r.serviceTime.p99 },
  { id: 'lag-p99', label: 'schedule lag p99 (ms)', unit: 'ms', better: 'lower', get: (r) => r.scheduleLag.p99 },
];

/** The relative change from `base` to `value` (Infinity when the base is 0 and the value is not). */
export function relativeChange(base: number, value: number): number {
  return base === 0 ? (value === 0 ? 0 : Infinity) : (value - base) / base;
}

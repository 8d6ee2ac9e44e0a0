import type { TraceEvent } from '@sqltrace/core';
import type { BenchmarkOptions } from '../runner/benchmark-runner';
import type { BenchResults } from '../results/bench-results';
import type { MetricsBatch } from './forwarded-metrics';

/** What a benchmark thread is started with: its share of the run, and how to reach the database. */
export interface WorkerData {
  readonly options: Omit<BenchmarkOptions, 'driver' | 'metrics' | 'signal'>;
  readonly driver: { readonly name: string; readonly config: { readonly url: string; readonly [key: string]: unknown } };
  readonly traceName: string;
  readonly pool: readonly TraceEvent[];
  readonly metrics: boolean;
}

/** What a benchmark thread posts to its parent. */
export type WorkerMessage =
  | MetricsBatch
  | { readonly type: 'done'; readonly results: BenchResults }
  | { readonly type: 'error'; readonly message: string; readonly code?: string; readonly hint?: string };

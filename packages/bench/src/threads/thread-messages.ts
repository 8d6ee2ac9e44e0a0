import type { TraceEvent } from '@sqltrace/core';
import type { PackedEvents } from '@sqltrace/core/internal';
import type { BenchmarkOptions } from '../runner/benchmark-runner';
import type { BenchResults } from '../results/bench-results';
import type { MetricsBatch } from './forwarded-metrics';

/** What a benchmark thread is started with: its share of the run, and how to reach the database. */
export interface WorkerData {
  readonly options: Omit<BenchmarkOptions, 'driver' | 'metrics' | 'signal'>;
  readonly driver: { readonly name: string; readonly config: { readonly url: string; readonly [key: string]: unknown } };
  readonly traceName: string;
  /** closed/open: the statement mix. */
  readonly pool: readonly TraceEvent[];
  /** replay: the sessions' events come as {@link ParentMessage}s, after `start`. */
  readonly replay: boolean;
  readonly metrics: boolean;
}

/** What a parent posts to a benchmark thread. */
export type ParentMessage =
  | { readonly type: 'abort' }
  /** replay: the shared schedule (see BenchmarkOptions.schedule); the thread's events follow. */
  | { readonly type: 'start'; readonly startAt: number; readonly firstTs: number }
  | { readonly type: 'events'; readonly packed: PackedEvents }
  | { readonly type: 'end' };

/** What a benchmark thread posts to its parent. */
export type WorkerMessage =
  | MetricsBatch
  /** replay: the driver is loaded; waiting for `start`. */
  | { readonly type: 'ready' }
  /** replay: a batch of events was taken (the parent keeps a bounded number in flight). */
  | { readonly type: 'consumed' }
  | { readonly type: 'done'; readonly results: BenchResults }
  | { readonly type: 'error'; readonly message: string; readonly code?: string; readonly hint?: string };

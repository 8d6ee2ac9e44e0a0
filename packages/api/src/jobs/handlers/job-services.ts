import type { BenchMetricFamilies } from '@sqltrace/bench';
import type { BlobStore, Repository } from '@sqltrace/core';

/** What every job's work may use. */
export interface JobServices {
  readonly repository: Repository;
  readonly blobs: BlobStore;
  /** Benchmark targets by name (URLs with passwords stay here, never in a record or a response). */
  readonly targets: Readonly<Record<string, { readonly driver: string; readonly url: string }>>;
  /** Where a running benchmark's metrics go (served on /metrics, labelled with its id). */
  readonly benchmarkMetrics?: BenchMetricFamilies;
}

/** One finished operation as a metrics sink hears of it; times in seconds. */
export interface OperationMetric {
  readonly template: string;
  readonly kind: string;
  readonly status: 'ok' | 'error';
  readonly responseSeconds: number;
  readonly serviceSeconds: number;
  readonly scheduleLagSeconds: number;
}

/** Receives per-operation measurements while a benchmark runs (Prometheus, a file, a test spy). */
export interface MetricsSink {
  recordOperation(sample: OperationMetric): void;
  setActiveSessions(count: number): void;
  setProgress(ratio: number): void;
  close?(): Promise<void>;
}

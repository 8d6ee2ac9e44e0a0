/** One finished operation as a metrics sink hears of it; times in seconds. */
export interface OperationMetric {
  readonly template: string;
  readonly kind: string;
  readonly status: 'ok' | 'error';
  /** A failed operation's error class (SQLSTATE class or driver code, as in the results' `errorsByClass`). */
  readonly errorClass?: string;
  readonly responseSeconds: number;
  readonly serviceSeconds: number;
  readonly scheduleLagSeconds: number;
}

/** Receives per-operation measurements while a benchmark runs (Prometheus, a file, a test spy). */
export interface MetricsSink {
  recordOperation(sample: OperationMetric): void;
  /** Operations that were due and not run (an open loop's overflow, a replay cut short): `count` more. */
  recordDropped?(count: number): void;
  setActiveSessions(count: number): void;
  setProgress(ratio: number): void;
  close?(): Promise<void>;
}

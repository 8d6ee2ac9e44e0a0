/** Receives per-operation measurements while a benchmark runs (Prometheus, a file, a test spy). */
export interface MetricsSink {
  /** One finished operation; times in seconds. */
  recordOperation(sample: {
    readonly template: string;
    readonly kind: string;
    readonly status: 'ok' | 'error';
    readonly responseSeconds: number;
    readonly serviceSeconds: number;
    readonly scheduleLagSeconds: number;
  }): void;
  setActiveSessions(count: number): void;
  setProgress(ratio: number): void;
  close?(): Promise<void>;
}

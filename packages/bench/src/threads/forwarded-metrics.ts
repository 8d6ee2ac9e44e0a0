import type { MetricsSink } from '@sqltrace/core';

type OperationSample = Parameters<MetricsSink['recordOperation']>[0];

/** What a benchmark thread sends its parent about metrics: operations since the last batch, and its gauges. */
export interface MetricsBatch {
  readonly type: 'metrics';
  readonly operations: readonly OperationSample[];
  readonly activeSessions: number;
  readonly progress: number;
}

/**
 * The metrics sink of a benchmark thread: it keeps what the runner reports and hands it to `send`
 * in batches (every `intervalMs`, and on `flush`), for the parent thread to apply to the one real
 * sink (prom-client registries live in one thread; the Prometheus endpoint is the parent's).
 */
export class ForwardedMetrics implements MetricsSink {
  #operations: OperationSample[] = [];
  #activeSessions = 0;
  #progress = 0;
  readonly #send: (batch: MetricsBatch) => void;
  readonly #timer: NodeJS.Timeout;

  constructor(send: (batch: MetricsBatch) => void, intervalMs = 250) {
    this.#send = send;
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  recordOperation(sample: OperationSample): void {
    this.#operations.push(sample);
  }

  setActiveSessions(count: number): void {
    this.#activeSessions = count;
  }

  setProgress(ratio: number): void {
    this.#progress = ratio;
  }

  flush(): void {
    const operations = this.#operations;
    this.#operations = [];
    this.#send({ type: 'metrics', operations, activeSessions: this.#activeSessions, progress: this.#progress });
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.flush();
  }
}

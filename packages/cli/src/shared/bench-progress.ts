import type { MetricsSink, OperationMetric } from '@sqltrace/core';
import { int } from './format';
import type { ProgressLine } from './progress-line';

/**
 * The live line `stb bench` shows on a terminal: time so far, operations, the rate over the last
 * moment, errors, open sessions and — when the run has a duration — how far through it is. It is
 * a metrics sink, so it sees every thread's operations, and passes everything on to `next`
 * (Prometheus) when there is one. Redrawn on a timer, so a run that stalls shows it.
 */
export class BenchProgress implements MetricsSink {
  readonly #line: ProgressLine;
  readonly #next: MetricsSink | undefined;
  readonly #mode: string;
  readonly #start = performance.now();
  readonly #timer: NodeJS.Timeout;
  #operations = 0;
  #errors = 0;
  #sessions = 0;
  #ratio: number | undefined;
  #last = { at: performance.now(), operations: 0, rate: 0 };

  constructor(line: ProgressLine, mode: string, next?: MetricsSink) {
    this.#line = line;
    this.#mode = mode;
    this.#next = next;
    this.#timer = setInterval(() => this.#line.update(() => this.#render()), 250);
    this.#timer.unref();
  }

  recordOperation(sample: OperationMetric): void {
    this.#operations++;
    if (sample.status === 'error') this.#errors++;
    this.#next?.recordOperation(sample);
  }

  recordDropped(count: number): void {
    this.#next?.recordDropped?.(count);
  }

  setActiveSessions(count: number): void {
    this.#sessions = count;
    this.#next?.setActiveSessions(count);
  }

  setProgress(ratio: number): void {
    this.#ratio = ratio;
    this.#next?.setProgress(ratio);
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#line.clear();
    await this.#next?.close?.();
  }

  #render(): string {
    const now = performance.now();
    // The rate over the last second or so; before the first second has passed, the average so far.
    if (now - this.#last.at >= 1_000)
      this.#last = { at: now, operations: this.#operations, rate: ((this.#operations - this.#last.operations) * 1000) / (now - this.#last.at) };
    const rate = this.#last.operations === 0 ? (this.#operations * 1000) / Math.max(1, now - this.#start) : this.#last.rate;
    const seconds = Math.floor((now - this.#start) / 1000);
    const clock = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    const parts = [`${this.#mode} ${clock}`, `${int(this.#operations)} ops`, `${int(rate)} ops/s`, `${int(this.#errors)} errors`, `${this.#sessions} sessions`];
    if (this.#ratio !== undefined) parts.push(`${Math.floor(this.#ratio * 100)}%`);
    return parts.join(' · ');
  }
}

import type { MetricsSink, OperationMetric } from '@sqltrace/core';
import { BucketCounts } from './bucket-counts';

/** One template's counts over the run. */
export interface TemplateCounts {
  readonly kind: string;
  ok: number;
  error: number;
  seconds: number;
  /** Shown under its own name (one of the top templates by time); once shown, it stays. */
  shown: boolean;
  /** Its kind's histograms (found once, when the template is first seen). */
  readonly response: BucketCounts;
  readonly service: BucketCounts;
}

/**
 * One run's measurements (a {@link MetricsSink}): plain counters and bucket arrays, nothing built per
 * operation. {@link BenchMetricFamilies} turns them into series labelled with the run at each
 * scrape; `remove()` drops the run's series once it is over.
 */
export class RunMetrics implements MetricsSink {
  readonly run: string;
  /** When the run started and (once closed) ended, Unix seconds: the dashboard's annotations. */
  readonly startedAt = Date.now() / 1000;
  endedAt: number | undefined;
  readonly templates = new Map<string, TemplateCounts>();
  /** By kind: response time (done − intended) and service time (done − sent). */
  readonly response = new Map<string, BucketCounts>();
  readonly service = new Map<string, BucketCounts>();
  readonly lag = new BucketCounts();
  readonly errors = new Map<string, number>();
  dropped = 0;
  activeSessions = 0;
  progress = 0;
  readonly #onRemove: (run: RunMetrics) => void;

  constructor(run: string, onRemove: (run: RunMetrics) => void) {
    this.run = run;
    this.#onRemove = onRemove;
  }

  recordOperation(s: OperationMetric): void {
    let t = this.templates.get(s.template);
    if (t === undefined) this.templates.set(s.template, (t = this.#newTemplate(s.kind)));
    if (s.status === 'ok') t.ok++;
    else {
      t.error++;
      const errorClass = s.errorClass ?? 'unknown';
      this.errors.set(errorClass, (this.errors.get(errorClass) ?? 0) + 1);
    }
    t.seconds += s.responseSeconds;
    t.response.observe(s.responseSeconds);
    t.service.observe(s.serviceSeconds);
    this.lag.observe(s.scheduleLagSeconds);
  }

  #newTemplate(kind: string): TemplateCounts {
    let response = this.response.get(kind),
      service = this.service.get(kind);
    if (response === undefined || service === undefined) {
      this.response.set(kind, (response = new BucketCounts()));
      this.service.set(kind, (service = new BucketCounts()));
    }
    return { kind, ok: 0, error: 0, seconds: 0, shown: false, response, service };
  }

  recordDropped(count: number): void {
    this.dropped += count;
  }

  setActiveSessions(count: number): void {
    this.activeSessions = count;
  }

  setProgress(ratio: number): void {
    this.progress = ratio;
  }

  /** The run is over: its end time is set (its series stay until {@link remove}). */
  end(): void {
    this.endedAt ??= Date.now() / 1000;
  }

  /** Drops every series of this run. */
  remove(): void {
    this.#onRemove(this);
  }

  /**
   * Chooses which templates are shown under their own name, at each scrape while there is room: the
   * top `limit` by time among those not yet shown. A template shown stays shown and one folded into
   * `other` stays there (once the room is full it is full for good), so every counter is monotonic
   * and the series sum to the run's totals.
   */
  promote(limit: number): void {
    let shown = 0;
    const candidates: TemplateCounts[] = [];
    for (const t of this.templates.values()) {
      if (t.shown) shown++;
      else candidates.push(t);
    }
    if (shown >= limit || candidates.length === 0) return;
    candidates.sort((a, b) => b.seconds - a.seconds);
    for (const t of candidates.slice(0, limit - shown)) t.shown = true;
  }
}

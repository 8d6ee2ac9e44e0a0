import * as hdr from 'hdr-histogram-js';

/** Percentiles in milliseconds, as results report them. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

/**
 * An HDR histogram of latencies in microseconds (3 significant digits, resizing as needed):
 * constant-time recording, exact merging across workers and machines through its compressed
 * base64 form (what results store).
 */
export class LatencyHistogram {
  readonly #h: hdr.Histogram;

  constructor(from?: hdr.Histogram) {
    this.#h = from ?? hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3, autoResize: true });
  }

  /** Records a latency given in milliseconds. */
  recordMs(ms: number): void {
    this.#h.recordValue(Math.max(1, Math.round(ms * 1000)));
  }

  get count(): number {
    return this.#h.totalCount;
  }

  add(other: LatencyHistogram): void {
    this.#h.add(other.#h);
  }

  summary(): LatencySummary {
    const h = this.#h;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
    const ms = (us: number) => Math.round(us) / 1000;
    return {
      count: h.totalCount,
      mean: ms(h.mean),
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
    };
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.#h);
  }

  static decode(base64: string): LatencyHistogram {
    const decoded = hdr.decodeFromCompressedBase64(base64);
    const h = new LatencyHistogram();
    h.#h.add(decoded);
    return h;
  }
}

import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** How often the event-loop delay is sampled, ms. */
const RESOLUTION_MS = 10;

/**
 * A monitor of the event loop's delay. Node's histogram records the whole interval between its
 * timer's ticks — an idle loop reads 10 ms at resolution 10 — so the delay is what exceeds the
 * resolution; {@link loopDelayMs} reports that.
 */
export function monitorLoopDelay(): IntervalHistogram {
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  return h;
}

/** The delay at `percentile` (or the max, for 100), ms beyond the sampling interval. */
export function loopDelayMs(h: IntervalHistogram, percentile: number): number {
  if (h.count === 0) return 0;
  const ns = percentile >= 100 ? h.max : h.percentile(percentile);
  return Math.max(0, ns / 1e6 - RESOLUTION_MS);
}

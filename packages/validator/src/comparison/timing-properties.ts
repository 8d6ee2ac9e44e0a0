import { chiSquareHomogeneity, mergeSparseCategories } from '../statistics/chi-square-test';
import { totalVariation } from '../statistics/distances';
import { ksTwoSample } from '../statistics/ks-test';
import { outcome, skipped, type PropertyName, type PropertyOutcome } from './property';
import type { TraceSummary } from './trace-summary';

/** A distribution compared by the two-sample KS statistic (the effect) and its p-value. */
export function ksProperty(property: PropertyName, what: string, a: readonly number[], b: readonly number[], threshold: number): PropertyOutcome {
  const measure = `two-sample KS statistic of ${what}`;
  if (a.length === 0 || b.length === 0) return skipped(property, measure, threshold, `no ${what} in the ${a.length === 0 ? 'original' : 'synthetic'} trace`);
  const ks = ksTwoSample(a, b);
  return outcome(property, measure, ks.statistic, threshold, {
    pValue: ks.pValue,
    details: { original: quantiles(a), synthetic: quantiles(b), n: [a.length, b.length] },
  });
}

export function sessionLength(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  return ksProperty('session-length', 'session lengths', o.sessionLengths, s.sessionLengths, threshold);
}

export function sessionInterArrival(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  return ksProperty('session-inter-arrival', 'times between session starts', o.interArrivals, s.interArrivals, threshold);
}

export function thinkTime(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  return ksProperty('think-time', 'think times', o.thinkTimes, s.thinkTimes, threshold);
}

const BINS = 20;

/** Arrival rate over time: TVD of the event-time histograms, each over its own trace's span (so a sped-up trace compares by shape). */
export function arrivalRate(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  const measure = `TVD of event counts in ${BINS} equal slices of each trace's span`;
  // Compared on a coarse clock, a time stands for its whole tick: slicing the ticks' instants
  // would leave slices empty or doubled as the grid falls against them.
  const tick = Math.max(o.resolutionUs, s.resolutionUs);
  const a = histogram(o.eventTimes, tick),
    b = histogram(s.eventTimes, tick);
  if (a === undefined || b === undefined) return skipped('arrival-rate', measure, threshold, 'a trace spans no time (one instant)');
  // Chi-square on the slice counts (of up to 100,000 sampled events a side) guards small traces from noise.
  const merged = mergeSparseCategories(a, b);
  const test = chiSquareHomogeneity(merged.first, merged.second);
  return outcome('arrival-rate', measure, totalVariation(a, b), threshold, {
    pValue: test.pValue,
    details: { slicesOriginal: a.map((v) => v / o.eventTimes.length), slicesSynthetic: b.map((v) => v / s.eventTimes.length) },
  });
}

/**
 * Event counts in BINS equal slices of the span. With a tick over 1 µs each time is the interval
 * [t, t + tick) and its event is shared among the slices that interval overlaps.
 */
function histogram(times: readonly number[], tick: number): number[] | undefined {
  let lo = Infinity,
    hi = -Infinity;
  for (const t of times) {
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (!(hi > lo)) return undefined;
  const bins = new Array<number>(BINS).fill(0);
  if (tick <= 1) {
    for (const t of times) bins[Math.min(BINS - 1, Math.floor(((t - lo) / (hi - lo)) * BINS))]!++;
    return bins;
  }
  const width = (hi + tick - lo) / BINS;
  for (const t of times) {
    const from = (t - lo) / width,
      to = (t + tick - lo) / width;
    for (let k = Math.floor(from); k < to && k < BINS; k++) bins[k]! += (Math.min(k + 1, to) - Math.max(k, from)) / (to - from);
  }
  return bins;
}

/** 101 quantiles of a sample (for CDF charts). */
export function quantiles(values: readonly number[]): number[] {
  const sorted = Float64Array.from(values).sort();
  const out: number[] = [];
  for (let q = 0; q <= 100; q++) out.push(sorted[Math.min(sorted.length - 1, Math.round((q / 100) * (sorted.length - 1)))]!);
  return out;
}

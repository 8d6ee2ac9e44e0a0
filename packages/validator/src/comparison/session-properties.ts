import { totalVariation } from '../statistics/distances';
import { kolmogorovSurvival } from '../statistics/kolmogorov-distribution';
import { outcome, skipped, type PropertyOutcome } from './property';
import { concurrencyProfile, kaplanMeier, lifetimes, survivalAt, type ConcurrencyProfile } from './session-spans';
import type { TraceSummary } from './trace-summary';

/**
 * What a database feels of the sessions: how many are open over time. The effect is the larger
 * of two distances between the traces (each over its own span, so a sped-up trace compares by
 * shape): the relative L1 distance of the open-sessions curves, Σ|a − b| / Σa over 20 slices,
 * and the total variation distance of the share of time spent at each number of open sessions
 * (a pool held at 8 is not a stream averaging 8).
 */
export function concurrency(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  const measure = 'max of relative L1 distance of open sessions over time and TVD of the share of time at each number open';
  if (!(o.lastStart > o.from) || !(s.lastStart > s.from)) return skipped('concurrency', measure, threshold, 'a trace spans no time (one instant)');
  // From the first statement's start to the time 99% had started: a long statement at the very
  // end, or transactions finishing once a synthesis stopped, would otherwise stand for a stretch
  // of the trace with nothing else going on.
  const a = concurrencyProfile(o.spans, o.from, o.lastStart);
  const b = concurrencyProfile(s.spans, s.from, s.lastStart);
  const d = concurrencyDistance(a, b);
  const result = outcome('concurrency', measure, d.effect, threshold, {
    details: {
      relativeL1: d.relativeL1,
      maxDifference: d.maxDifference,
      levelsTvd: d.levelsTvd,
      meanOriginal: a.mean,
      meanSynthetic: b.mean,
      curveOriginal: a.curve,
      curveSynthetic: b.curve,
      levelsOriginal: d.levelsA,
      levelsSynthetic: d.levelsB,
    },
  });
  if (result.passed) return result;
  // A difference no larger than the original's own between its two halves (sessions that began
  // before and after its middle) is not evidence of another workload: a small or changing trace
  // is not failed for it.
  const own = halvesDistance(o);
  if (own !== undefined && d.effect <= own)
    return {
      ...result,
      passed: true,
      passedAs: 'within-original-variation',
      note: `within the original's own difference between its two halves (${own.toFixed(3)})`,
      details: { ...result.details, originalHalves: own },
    };
  return { ...result, details: { ...result.details, ...(own !== undefined ? { originalHalves: own } : {}) } };
}

function concurrencyDistance(a: ConcurrencyProfile, b: ConcurrencyProfile) {
  let l1 = 0,
    total = 0,
    maxDifference = 0;
  for (let i = 0; i < a.curve.length; i++) {
    const d = Math.abs(a.curve[i]! - b.curve[i]!);
    l1 += d;
    total += a.curve[i]!;
    if (d > maxDifference) maxDifference = d;
  }
  const relativeL1 = total > 0 ? l1 / total : l1 > 0 ? 1 : 0;
  let top = 0;
  for (const n of [...a.levels.keys(), ...b.levels.keys()]) if (n > top) top = n;
  const levelsA = Array.from({ length: top + 1 }, (_, n) => a.levels.get(n) ?? 0);
  const levelsB = Array.from({ length: top + 1 }, (_, n) => b.levels.get(n) ?? 0);
  const levelsTvd = totalVariation(levelsA, levelsB);
  return { effect: Math.max(relativeL1, levelsTvd), relativeL1, maxDifference, levelsTvd, levelsA, levelsB };
}

/** The concurrency distance between a trace's sessions that began in its first half and those that began in its second. */
function halvesDistance(t: TraceSummary): number | undefined {
  const middle = (t.from + t.lastStart) / 2;
  const early = t.spans.filter((s) => s.first < middle);
  const late = t.spans.filter((s) => s.first >= middle);
  if (early.length < 2 || late.length < 2) return undefined;
  const lastStart = (spans: typeof early) => spans.reduce((m, s) => (s.first > m ? s.first : m), -Infinity);
  const firstStart = (spans: typeof early) => spans.reduce((m, s) => (s.first < m ? s.first : m), Infinity);
  const ea = lastStart(early),
    la = lastStart(late);
  if (!(ea > t.from) || !(la > firstStart(late))) return undefined;
  return concurrencyDistance(concurrencyProfile(early, t.from, ea), concurrencyProfile(late, firstStart(late), la)).effect;
}

/**
 * How long sessions live on the wall clock, censoring-aware: a session the trace's edges cut is
 * only known to live at least as long as seen, so each side's lifetimes are a Kaplan–Meier
 * survival curve. The effect is the largest difference between the two curves up to the longer
 * of the shorter-lived trace's lifetimes; its p-value is the Kolmogorov one for the ended
 * sessions of each side (few ended sessions: little evidence either way).
 */
export function sessionDuration(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  const measure = 'largest difference of the Kaplan–Meier survival curves of session lifetimes';
  const r = Math.max(o.resolutionUs, s.resolutionUs);
  const la = lifetimes(o.spans, o.from, o.to, r);
  const lb = lifetimes(s.spans, s.from, s.to, r);
  const endedA = la.filter((l) => !l.censored).length;
  const endedB = lb.filter((l) => !l.censored).length;
  if (endedA === 0 && endedB === 0) {
    return skipped(
      'session-duration',
      measure,
      threshold,
      'no session of either trace ended inside it (all were open at its start or end): lifetimes are unknown',
    );
  }
  const ka = kaplanMeier(la),
    kb = kaplanMeier(lb);
  // Compare where both curves know something: up to the shorter of the two longest lifetimes seen.
  const longest = (sample: readonly { us: number }[]) => sample.reduce((m, l) => (l.us > m ? l.us : m), 0);
  const horizon = Math.min(longest(la), longest(lb));
  let d = 0;
  for (const t of [...ka.times, ...kb.times]) {
    if (t > horizon) continue;
    d = Math.max(d, Math.abs(survivalAt(ka, t) - survivalAt(kb, t)));
  }
  const n = endedA,
    m = endedB;
  const pValue = n > 0 && m > 0 ? kolmogorovSurvival(d * Math.sqrt((n * m) / (n + m))) : 1;
  return outcome('session-duration', measure, d, threshold, {
    pValue,
    details: { endedOriginal: endedA, endedSynthetic: endedB, censoredOriginal: la.length - endedA, censoredSynthetic: lb.length - endedB },
  });
}

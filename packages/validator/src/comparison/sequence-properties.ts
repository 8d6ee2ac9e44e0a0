import { totalVariation } from '../statistics/distances';
import { outcome, skipped, type PropertyOutcome } from './property';
import type { TraceSummary } from './trace-summary';

/**
 * Transition structure: for each template of the original, the TVD between its next-template
 * distributions (session end included), averaged with the original's transition counts as weights.
 */
export function transitions(original: TraceSummary, synthetic: TraceSummary, threshold: number): PropertyOutcome {
  let total = 0,
    weighted = 0;
  const worst: { from: string; weight: number; tvd: number }[] = [];
  for (const [from, row] of original.transitions) {
    const other = synthetic.transitions.get(from);
    const n = sum(row.values());
    total += n;
    let d = 1;
    if (other !== undefined) {
      const keys = [...new Set([...row.keys(), ...other.keys()])];
      d = totalVariation(
        keys.map((k) => row.get(k) ?? 0),
        keys.map((k) => other.get(k) ?? 0),
      );
    }
    weighted += n * d;
    worst.push({ from, weight: n, tvd: d });
  }
  if (total === 0) return skipped('transitions', 'weighted per-template TVD of next-template distributions', threshold, 'the original has no statements');
  worst.sort((a, b) => b.weight * b.tvd - a.weight * a.tvd);
  return outcome('transitions', 'weighted per-template TVD of next-template distributions', weighted / total, threshold, {
    details: { states: original.transitions.size, worst: worst.slice(0, 10).map((w) => ({ ...w, weight: w.weight / total })) },
  });
}

/** n-gram coverage: the share of the original's template trigrams (by occurrence) the synthetic trace never produces. */
export function ngramCoverage(original: TraceSummary, synthetic: TraceSummary, threshold: number): PropertyOutcome {
  const total = sum(original.trigrams.values());
  if (total === 0) return skipped('ngram-coverage', 'share of trigram occurrences not produced', threshold, 'no session of the original has three statements');
  let covered = 0;
  for (const [tri, n] of original.trigrams) if (synthetic.trigrams.has(tri)) covered += n;
  return outcome('ngram-coverage', 'share of trigram occurrences not produced', 1 - covered / total, threshold, {
    details: { originalTrigrams: original.trigrams.size, syntheticTrigrams: synthetic.trigrams.size },
  });
}

function sum(values: Iterable<number>): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

import { chiSquareHomogeneity, mergeSparseCategories } from '../statistics/chi-square-test';
import { totalVariation } from '../statistics/distances';
import { outcome, type PropertyOutcome } from './property';
import type { TraceSummary } from './trace-summary';

/** Template mix: TVD of the template shares, chi-square test of homogeneity on the counts. */
export function templateMix(original: TraceSummary, synthetic: TraceSummary, threshold: number): PropertyOutcome {
  const keys = [...new Set([...original.templates.keys(), ...synthetic.templates.keys()])];
  const a = keys.map((k) => original.templates.get(k)?.count ?? 0);
  const b = keys.map((k) => synthetic.templates.get(k)?.count ?? 0);
  const tvd = totalVariation(a, b);
  const merged = mergeSparseCategories(a, b);
  const test = chiSquareHomogeneity(merged.first, merged.second);
  const top = keys
    .map((k, i) => ({
      template: k,
      example: (original.templates.get(k) ?? synthetic.templates.get(k))!.example,
      original: a[i]! / original.events,
      synthetic: b[i]! / synthetic.events,
    }))
    .sort((x, y) => Math.max(y.original, y.synthetic) - Math.max(x.original, x.synthetic))
    .slice(0, 20);
  return outcome('template-mix', 'total variation distance of template shares', tvd, threshold, {
    pValue: test.pValue,
    details: { templates: keys.length, chiSquare: test.statistic, degreesOfFreedom: test.degreesOfFreedom, cramersV: test.cramersV, top },
  });
}

/**
 * Coverage: templates one trace has and the other, at its size, should have shown but did not —
 * expected in at least 5 sessions (P(none) ≈ e⁻⁵) yet absent. The effect is the share of events
 * in such templates (missed: of the original; invented: of the synthetic); any is a failure by
 * default. Rarer differences are listed, not judged.
 */
export function coverage(original: TraceSummary, synthetic: TraceSummary, threshold: number): PropertyOutcome {
  const confidentlyAbsent = (from: TraceSummary, to: TraceSummary) => {
    const found: { template: string; example: string; share: number; expectedSessions: number }[] = [];
    const rare: string[] = [];
    for (const t of from.templates.values()) {
      if (to.templates.has(t.key)) continue;
      const expectedSessions = (t.sessions / from.sessions) * to.sessions;
      if (expectedSessions >= 5) found.push({ template: t.key, example: t.example, share: t.count / from.events, expectedSessions });
      else rare.push(t.key);
    }
    return { found, rare };
  };
  const missed = confidentlyAbsent(original, synthetic);
  const invented = confidentlyAbsent(synthetic, original);
  const effect = missed.found.reduce((s, t) => s + t.share, 0) + invented.found.reduce((s, t) => s + t.share, 0);
  return outcome('coverage', 'share of events in templates confidently missed or invented', effect, threshold, {
    details: { missed: missed.found, invented: invented.found, rareMissed: missed.rare.length, rareInvented: invented.rare.length },
  });
}

import { totalVariation } from '../statistics/distances';
import { ksTwoSample } from '../statistics/ks-test';
import { outcome, skipped, type PropertyOutcome } from './property';
import type { PositionSample, TemplateSummary, TraceSummary } from './trace-summary';

const TOP = 20;
const MIN_EXECUTIONS = 20;

/**
 * Parameter shapes, per template present in both traces (the 20 most frequent with at least 20
 * executions each): the number of parameters (IN-list and VALUES lengths) and, per position,
 * numbers by KS, few distinct strings by TVD of their frequencies, many distinct strings (ids,
 * names: values the privacy rule replaces) by KS of their lengths. The effect is the mean over
 * templates, weighted by the original's shares, of each template's mean effect.
 */
export function parameters(original: TraceSummary, synthetic: TraceSummary, threshold: number): PropertyOutcome {
  const measure = 'weighted mean per-template distance of parameter distributions';
  const shared = [...original.templates.values()]
    .filter((t) => t.count >= MIN_EXECUTIONS && (synthetic.templates.get(t.key)?.count ?? 0) >= MIN_EXECUTIONS)
    .sort((a, b) => b.count - a.count)
    .slice(0, TOP);
  const compared = shared.map((t) => compareTemplate(t, synthetic.templates.get(t.key)!)).filter((c) => c.effects.length > 0);
  if (compared.length === 0) return skipped('parameters', measure, threshold, 'no template with parameters ran at least 20 times in both traces');
  let weight = 0,
    effect = 0;
  for (const c of compared) {
    weight += c.count;
    effect += c.count * c.effect;
  }
  return outcome('parameters', measure, effect / weight, threshold, {
    details: { templates: compared.map((c) => ({ template: c.key, example: c.example, effect: c.effect, slots: c.effects })) },
  });
}

function compareTemplate(o: TemplateSummary, s: TemplateSummary) {
  const effects: { slot: string; measure: string; effect: number }[] = [];
  const counts = [o.paramCounts.values, s.paramCounts.values] as const;
  if (counts[0].some((c) => c !== counts[0][0]) || counts[1].some((c) => c !== counts[0][0])) {
    effects.push({ slot: 'count', measure: 'KS of the number of parameters', effect: ksTwoSample(counts[0], counts[1]).statistic });
  }
  for (let p = 0; p < o.positions.length; p++) {
    const a = o.positions[p],
      b = s.positions[p];
    if (a === undefined || b === undefined) continue;
    const e = comparePosition(a, b);
    if (e !== undefined) effects.push({ slot: `$${p + 1}`, ...e });
  }
  const effect = effects.length === 0 ? 0 : effects.reduce((sum, e) => sum + e.effect, 0) / effects.length;
  return { key: o.key, example: o.example, count: o.count, effects, effect };
}

function comparePosition(a: PositionSample, b: PositionSample): { measure: string; effect: number } | undefined {
  const numbersA = a.numbers.values,
    numbersB = b.numbers.values;
  if (numbersA.length >= a.stringCount && numbersA.length > 0 && numbersB.length > 0)
    return { measure: 'KS of numbers', effect: ksTwoSample(numbersA, numbersB).statistic };
  if (a.stringCount === 0 || b.stringCount === 0) return undefined;
  const distinct = a.strings.size / Math.max(1, a.stringCount);
  if (a.strings.size <= 50 && distinct < 0.5) {
    const keys = [...new Set([...a.strings.keys(), ...b.strings.keys()])];
    return {
      measure: 'TVD of values',
      effect: totalVariation(
        keys.map((k) => a.strings.get(k) ?? 0),
        keys.map((k) => b.strings.get(k) ?? 0),
      ),
    };
  }
  return { measure: 'KS of string lengths', effect: ksTwoSample(a.stringLengths.values, b.stringLengths.values).statistic };
}

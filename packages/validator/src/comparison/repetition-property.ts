import { outcome, type PropertyOutcome } from './property';
import type { TraceSummary } from './trace-summary';

/** Repetition: how often an exact statement (template and values) recurs — what caches and prepared plans see. */
export function repetition(o: TraceSummary, s: TraceSummary, threshold: number): PropertyOutcome {
  return outcome('repetition', 'absolute difference of the repeated-statement rates', Math.abs(o.repetitionRate - s.repetitionRate), threshold, {
    details: { original: o.repetitionRate, synthetic: s.repetitionRate },
  });
}

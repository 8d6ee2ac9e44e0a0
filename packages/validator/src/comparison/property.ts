import type { PropertyResult } from '@sqltrace/core';

/** Properties the workload comparison measures. */
export const PROPERTY_NAMES = [
  'template-mix',
  'coverage',
  'transitions',
  'ngram-coverage',
  'session-length',
  'session-inter-arrival',
  'think-time',
  'parameters',
  'arrival-rate',
  'repetition',
  'concurrency',
  'session-duration',
] as const;
export type PropertyName = (typeof PROPERTY_NAMES)[number];

/** Effect-size thresholds: a property passes while its effect size is at most this. */
export type Thresholds = Readonly<Partial<Record<PropertyName, number>>>;

export const DEFAULT_THRESHOLDS: Readonly<Record<PropertyName, number>> = {
  'template-mix': 0.05,
  coverage: 0,
  transitions: 0.1,
  'ngram-coverage': 0.2,
  'session-length': 0.1,
  'session-inter-arrival': 0.1,
  'think-time': 0.1,
  parameters: 0.15,
  'arrival-rate': 0.15,
  repetition: 0.05,
  concurrency: 0.1,
  'session-duration': 0.1,
};

/** A property's verdict with what it was computed from (for reports). */
export interface PropertyOutcome extends PropertyResult {
  readonly property: PropertyName;
  /** Why the verdict is not simply effect ≤ threshold. */
  readonly note?: string;
  /**
   * A pass beyond the threshold, and why: the difference may be sampling noise (its test's
   * adjusted p ≥ 0.05), or it is no larger than the original's own between its two halves.
   */
  readonly passedAs?: 'not-significant' | 'within-original-variation';
  readonly details?: Record<string, unknown>;
}

export function outcome(
  property: PropertyName,
  measure: string,
  effectSize: number,
  threshold: number,
  extra: { pValue?: number; details?: Record<string, unknown> } = {},
): PropertyOutcome {
  const effect = Number.isFinite(effectSize) ? effectSize : 1;
  return {
    property,
    measure,
    effectSize: effect,
    threshold,
    passed: effect <= threshold,
    ...(extra.pValue !== undefined && Number.isFinite(extra.pValue) ? { pValue: extra.pValue } : {}),
    ...(extra.details ? { details: extra.details } : {}),
  };
}

export function skipped(property: PropertyName, measure: string, threshold: number, reason: string): PropertyOutcome {
  return { property, measure, effectSize: 0, threshold, passed: true, skipped: reason };
}

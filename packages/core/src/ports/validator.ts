import type { TraceSource } from './trace-source';

/** The verdict on one workload property (template mix, session length, …). */
export interface PropertyResult {
  /** Stable name: `template-mix`, `session-length`, … */
  readonly property: string;
  /** What the effect size measures, in words. */
  readonly measure: string;
  /** 0 = identical; the property passes while effectSize ≤ threshold. */
  readonly effectSize: number;
  readonly threshold: number;
  /** The test's p-value where one applies, and corrected for multiple tests (Holm). */
  readonly pValue?: number;
  readonly pAdjusted?: number;
  readonly passed: boolean;
  /** Why the property could not be measured (then it passes and does not count in the score). */
  readonly skipped?: string;
}

export interface FidelityReport {
  /** Overall score in [0, 1]. */
  readonly score: number;
  readonly passed: boolean;
  readonly properties: readonly PropertyResult[];
}

/** Compares an original and a synthetic trace. */
export interface Validator {
  compare(original: TraceSource, synthetic: TraceSource, options?: { signal?: AbortSignal }): Promise<FidelityReport>;
}

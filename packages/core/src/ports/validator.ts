import type { TraceSource } from './trace-source';

/** The verdict on one workload property (template mix, session length, …). */
export interface PropertyResult {
  readonly property: string;
  readonly effectSize: number;
  readonly threshold: number;
  readonly pValue?: number;
  readonly passed: boolean;
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

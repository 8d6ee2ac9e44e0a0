import type { FidelityReport } from '@sqltrace/core';
import type { PropertyOutcome } from '../comparison/property';

/** Identifies the report format; bumped when a field changes meaning or goes away. */
export const REPORT_SCHEMA = 'sqltrace-fidelity-report';
export const REPORT_VERSION = 1;

export interface TraceFacts {
  readonly name: string;
  readonly events: number;
  readonly sessions: number;
  readonly templates: number;
  /** False when events had no templateId and the SQL text stood in for it. */
  readonly templateIds: boolean;
}

/** The JSON report: see the package README for every field. */
export interface FidelityReportJson extends FidelityReport {
  readonly schema: typeof REPORT_SCHEMA;
  readonly version: number;
  readonly original: TraceFacts;
  readonly synthetic: TraceFacts;
  /** The score a run had to reach (`--fail-under`), when one was set. */
  readonly failUnder?: number;
  readonly properties: readonly PropertyOutcome[];
  /** Properties that failed, by name (empty when all passed). */
  readonly failed: readonly string[];
  /** Top states and their next-state shares in both traces (for the heatmap). */
  readonly transitionMatrix: { readonly states: readonly { key: string; example: string }[]; readonly original: number[][]; readonly synthetic: number[][] };
}

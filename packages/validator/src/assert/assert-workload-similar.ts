import { TraceFileSource } from '@sqltrace/core';
import type { Thresholds } from '../comparison/property';
import { WorkloadValidator, type TraceInput } from '../comparison/workload-validator';
import type { FidelityReportJson } from '../report/fidelity-report';

/** A trace to compare: events in memory, a trace source, or the path of a trace file. */
export type WorkloadInput = TraceInput | string;

export interface AssertWorkloadOptions {
  readonly thresholds?: Thresholds;
  readonly failUnder?: number;
}

/** Thrown by {@link assertWorkloadSimilar}; carries the whole report. */
export class WorkloadMismatchError extends Error {
  readonly report: FidelityReportJson;

  constructor(report: FidelityReportJson) {
    super(describeMismatch(report));
    this.name = 'WorkloadMismatchError';
    this.report = report;
  }
}

/** Compares, and resolves with the report when the synthetic trace matches; otherwise rejects with a message naming each failed property and its numbers. For any test runner. */
export async function assertWorkloadSimilar(
  synthetic: WorkloadInput,
  original: WorkloadInput,
  options: AssertWorkloadOptions = {},
): Promise<FidelityReportJson> {
  const report = await new WorkloadValidator(options).compare(toInput(original), toInput(synthetic));
  if (!report.passed) throw new WorkloadMismatchError(report);
  return report;
}

export function toInput(input: WorkloadInput): TraceInput {
  return typeof input === 'string' ? new TraceFileSource(input) : input;
}

/** One line per failed property: what, how far, against what threshold, and the p-value. */
export function describeMismatch(report: FidelityReportJson): string {
  const lines = report.properties
    .filter((p) => !p.passed)
    .map(
      (p) =>
        `  ${p.property}: ${p.measure} = ${round(p.effectSize)} > ${round(p.threshold)}${p.pAdjusted !== undefined ? ` (p = ${p.pAdjusted.toExponential(1)}, Holm)` : ''}`,
    );
  if (report.failUnder !== undefined && report.score < report.failUnder) lines.push(`  score ${round(report.score)} < ${report.failUnder} (--fail-under)`);
  return `the synthetic trace does not match the original workload (score ${round(report.score)}):\n${lines.join('\n')}`;
}

function round(v: number): string {
  return Number(v.toPrecision(3)).toString();
}

import { TraceFileSource, writeFileAtomic } from '@sqltrace/core';
import { PROPERTY_NAMES, WorkloadValidator, renderHtmlReport, type FidelityReportJson, type PropertyName } from '@sqltrace/validator';
import { OptionError } from '../errors/option-error';

export interface ValidationRequest {
  /** The original trace file. */
  readonly original: string;
  /** The trace to judge. */
  readonly synthetic: string;
  /** Property thresholds that replace the defaults. */
  readonly thresholds?: Readonly<Partial<Record<string, number>>>;
  /** Fail when the overall score (0…1) is below this. */
  readonly failUnder?: number;
  /** A self-contained HTML report to write, whole or not at all. */
  readonly html?: string;
  /** The report as JSON (schema sqltrace-fidelity-report v1), whole or not at all. */
  readonly json?: string;
}

/** Compares a synthetic trace with its original, property by property, and writes the reports asked for. */
export class ValidationService {
  async validate(request: ValidationRequest, observer: { readonly signal?: AbortSignal } = {}): Promise<FidelityReportJson> {
    const failUnder = request.failUnder;
    if (failUnder !== undefined && !(failUnder >= 0 && failUnder <= 1))
      throw new OptionError('failUnder', (name) => `${name} must be a score between 0 and 1, got ${failUnder}`);
    const thresholds: Partial<Record<PropertyName, number>> = {};
    for (const [name, value] of Object.entries(request.thresholds ?? {})) {
      if (!PROPERTY_NAMES.includes(name as PropertyName) || !(Number(value) >= 0)) {
        throw new OptionError(
          'threshold',
          (option) => `${option} ${name}=${value}: expected name=value with a value ≥ 0`,
          `Properties: ${PROPERTY_NAMES.join(', ')}`,
        );
      }
      thresholds[name as PropertyName] = Number(value);
    }
    const validator = new WorkloadValidator({ thresholds, ...(failUnder !== undefined ? { failUnder } : {}) });
    const report = await validator.compare(
      new TraceFileSource(request.original),
      new TraceFileSource(request.synthetic),
      observer.signal !== undefined ? { signal: observer.signal } : {},
    );
    if (request.html !== undefined) writeFileAtomic(request.html, renderHtmlReport(report));
    if (request.json !== undefined) writeFileAtomic(request.json, JSON.stringify(report, null, 1));
    return report;
  }
}

// @sqltrace/validator — statistics and the workload fidelity comparison.
export type { Alternative, KsOptions, KsResult } from './statistics/ks-test';
export { ksTwoSample } from './statistics/ks-test';
export { kolmogorovSurvival } from './statistics/kolmogorov-distribution';
export type { ChiSquareResult } from './statistics/chi-square-test';
export { chiSquareHomogeneity, mergeSparseCategories } from './statistics/chi-square-test';
export { chiSquareSurvival, upperRegularizedGamma } from './statistics/incomplete-gamma';
export { jensenShannon, totalVariation, wasserstein1 } from './statistics/distances';
export { benjaminiHochberg, holm } from './statistics/multiple-testing';
export type { ConfidenceInterval } from './statistics/bootstrap';
export { bootstrapInterval } from './statistics/bootstrap';

export type { PropertyName, PropertyOutcome, Thresholds } from './comparison/property';
export { DEFAULT_THRESHOLDS, PROPERTY_NAMES } from './comparison/property';
export type { PositionSample, TemplateSummary, TraceSummary } from './comparison/trace-summary';
export { TraceSummaryBuilder } from './comparison/trace-summary';
export type { TraceInput, ValidateOptions } from './comparison/workload-validator';
export { WorkloadValidator } from './comparison/workload-validator';
export type { ValidationObserver } from './observers/validation-observer';
export type { FidelityReportJson, TraceFacts } from './report/fidelity-report';
export { REPORT_SCHEMA, REPORT_VERSION } from './report/fidelity-report';
export { escapeHtml, renderHtmlReport } from './report/html-report';
export type { AssertWorkloadOptions, WorkloadInput } from './assert/assert-workload-similar';
export { workloadMatchers, type WorkloadMatcherResult } from './assert/workload-matchers';
export { WorkloadMismatchError, assertWorkloadSimilar, describeMismatch } from './assert/assert-workload-similar';

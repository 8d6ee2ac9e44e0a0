// @sqltrace/bench — replay / closed / open-loop benchmark runner, latency histograms, Prometheus metrics, results.
export type { BenchmarkOptions } from './runner/benchmark-runner';
export { BenchmarkRunner } from './runner/benchmark-runner';
export type { ThreadedBenchmarkOptions } from './threads/threaded-benchmark-runner';
export { ThreadedBenchmarkRunner } from './threads/threaded-benchmark-runner';
export type { LatencySummary } from './latency/latency-histogram';
export { LatencyHistogram } from './latency/latency-histogram';
export type { BenchResults, ErrorClassResults, LatencyTriple, TemplateResults } from './results/bench-results';
export { RESULTS_SCHEMA, RESULTS_VERSION } from './results/bench-results';
export { renderResultsSummary } from './results/results-summary';
export { renderComparison } from './results/compare-results';
export type { ResultMetric } from './results/result-metrics';
export { RESULT_METRICS } from './results/result-metrics';
export type { BudgetViolation, RegressionBudget } from './results/regression-budget';
export { checkRegressionBudgets, parseRegressionBudget } from './results/regression-budget';
export { mergeResults } from './results/merge-results';
export { PrometheusMetrics } from './metrics/prometheus-metrics';
export { loadDriver } from './drivers/load-driver';
export { waitUntil } from './runner/wait-until';

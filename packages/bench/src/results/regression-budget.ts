import { StbError } from '@sqltrace/core';
import type { BenchResults } from './bench-results';
import { RESULT_METRICS, relativeChange, type ResultMetric } from './result-metrics';
import { runFailure } from './run-failure';

/** How much worse than the baseline a figure may get: a fraction of it (`10%`) or an amount in its unit (`2`, ms or ops/s or a count). */
export interface RegressionBudget {
  readonly metric: ResultMetric;
  readonly allowed: { readonly relative: number } | { readonly absolute: number };
  /** As given, for messages. */
  readonly text: string;
}

/** A figure of a later run that got worse than the baseline by more than its budget. */
export interface BudgetViolation {
  readonly run: string;
  readonly metric: string;
  readonly baseline: number;
  readonly value: number;
  /** Relative change, worse-signed: +0.23 is 23% worse whichever way the figure is better. */
  readonly worseBy: number;
  readonly budget: string;
  readonly message: string;
}

/**
 * Reads `metric=amount` (`response-p99=10%`, `throughput=5%`, `errors=0`): an unknown metric or an
 * amount that is not a number ≥ 0 is refused, naming what would be accepted.
 */
export function parseRegressionBudget(text: string): RegressionBudget {
  const m = /^\s*([a-z0-9-]+)\s*=\s*([0-9]*\.?[0-9]+)\s*(%?)\s*$/.exec(text);
  const metric = m ? RESULT_METRICS.find((x) => x.id === m[1]) : undefined;
  if (m === null || metric === undefined) {
    throw new StbError('E_USAGE', `not a budget: "${text}"`, {
      hint: `Write metric=amount, e.g. response-p99=10% or errors=0; metrics: ${RESULT_METRICS.map((x) => x.id).join(', ')}`,
    });
  }
  const amount = Number(m[2]);
  return { metric, allowed: m[3] === '%' ? { relative: amount / 100 } : { absolute: amount }, text: text.trim() };
}

/** Every figure of every later run that is worse than the first run's by more than its budget. */
export function checkRegressionBudgets(runs: readonly { name: string; results: BenchResults }[], budgets: readonly RegressionBudget[]): BudgetViolation[] {
  const [base, ...later] = runs;
  if (base === undefined) return [];
  const violations: BudgetViolation[] = [];
  // A failed run (interrupted, ended early, nothing measured, every operation an error) has no
  // figures to hold to a budget: it fails the gate, the baseline too — never "-100% better".
  for (const run of runs) {
    const failure = runFailure(run.results);
    if (failure !== undefined)
      violations.push({
        run: run.name,
        metric: 'run',
        baseline: NaN,
        value: NaN,
        worseBy: Infinity,
        budget: 'a complete run',
        message: `${run.name}: ${failure}`,
      });
  }
  if (violations.length > 0 && runFailure(base.results) !== undefined) return violations;
  for (const run of later) {
    if (runFailure(run.results) !== undefined) continue;
    for (const budget of budgets) {
      const { metric } = budget;
      const baseline = metric.get(base.results),
        value = metric.get(run.results);
      const worseAmount = metric.better === 'higher' ? baseline - value : value - baseline;
      const worseBy = metric.better === 'higher' ? -relativeChange(baseline, value) : relativeChange(baseline, value);
      const over = 'relative' in budget.allowed ? worseAmount > 0 && worseBy > budget.allowed.relative : worseAmount > budget.allowed.absolute;
      if (!over) continue;
      const unit = metric.unit === 'count' ? '' : ` ${metric.unit}`;
      const change = worseBy === Infinity ? `up from 0` : `${(worseBy * 100).toFixed(1)}% worse`;
      violations.push({
        run: run.name,
        metric: metric.id,
        baseline,
        value,
        worseBy,
        budget: budget.text,
        message: `${run.name}: ${metric.id} ${format(value)}${unit} against ${format(baseline)}${unit} in ${base.name} (${change}; budget ${budget.text})`,
      });
    }
  }
  return violations;
}

function format(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toFixed(3)).toString();
}

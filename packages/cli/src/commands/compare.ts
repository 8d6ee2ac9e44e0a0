import { Args, Flags } from '@oclif/core';
import { StbError } from '@sqltrace/core';
import { BenchmarkService } from '@sqltrace/app';
import { RESULT_METRICS, checkRegressionBudgets, parseRegressionBudget, renderComparison, type BudgetViolation } from '@sqltrace/bench';
import { EXIT, StbCommand } from '../shared/stb-command';

export interface CompareResult {
  runs: { name: string; mode: string; driver: string; throughput: number; responseP99: number }[];
  /** With --fail-on: the figures that got worse than the first run's by more than their budget. */
  violations?: BudgetViolation[];
}

export default class Compare extends StbCommand<CompareResult> {
  static override summary = 'Show benchmark runs side by side, with each run’s change against the first.';
  static override description = `With --fail-on, a gate for CI: exit 1 when a later run is worse than the first by more than a budget — metric=N% (of the first run's figure) or metric=N (in the metric's unit: ops/s, ms, a count). Metrics: ${RESULT_METRICS.map((m) => m.id).join(', ')}. A run that failed — interrupted, ended early, measured nothing, every operation an error — fails any gate. Exit 2 on bad input.`;
  static override examples = [
    '<%= config.bin %> compare before.json after.json',
    '<%= config.bin %> compare original.json synthetic.json --json',
    '<%= config.bin %> compare baseline.json candidate.json --fail-on throughput=5% --fail-on response-p99=10% --fail-on errors=0',
  ];
  static override strict = false;
  static override args = {
    results: Args.string({ description: 'Results files written by `stb bench -o` (two or more).', required: true }),
  };
  static override flags = {
    'fail-on': Flags.string({
      summary: 'Exit 1 when a later run is worse than the first by more than this: metric=N% or metric=N (repeatable).',
      multiple: true,
      multipleNonGreedy: true,
    }),
  };

  async run(): Promise<CompareResult> {
    const { argv, flags } = await this.parse(Compare);
    const budgets = (flags['fail-on'] ?? []).map(parseRegressionBudget);
    const files = argv as string[];
    if (files.length < 2) throw new StbError('E_USAGE', 'compare needs at least two results files', { hint: 'stb compare a.json b.json' });
    const service = new BenchmarkService();
    const runs = files.map((file) => ({ name: file.replace(/^.*\//, '').replace(/\.json$/, ''), results: service.loadResults(file) }));
    for (const r of runs) if (r.results.label) r.name = r.results.label;
    this.say(renderComparison(runs));
    const summary: CompareResult = {
      runs: runs.map((r) => ({
        name: r.name,
        mode: r.results.mode,
        driver: r.results.driver,
        throughput: r.results.throughput,
        responseP99: r.results.responseTime.p99,
      })),
    };
    if (budgets.length === 0) return summary;
    const violations = checkRegressionBudgets(runs, budgets);
    if (violations.length === 0) this.say(`\nwithin budget: ${budgets.map((b) => b.text).join(', ')}`);
    else {
      for (const v of violations) process.stderr.write(`over budget: ${v.message}\n`);
      process.exitCode = EXIT.failed;
    }
    return { ...summary, violations };
  }
}

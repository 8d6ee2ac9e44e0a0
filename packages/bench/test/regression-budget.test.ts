import { checkRegressionBudgets, parseRegressionBudget, type BenchResults } from '@sqltrace/bench';

function run(throughput: number, p99: number, errors = 0): BenchResults {
  const latency = { count: 1, mean: p99 / 2, p50: p99 / 2, p90: p99 / 2, p99, p999: p99, max: p99 };
  return { throughput, goodput: throughput, errors, dropped: 0, responseTime: latency, serviceTime: latency, scheduleLag: latency } as unknown as BenchResults;
}

describe('regression budgets (stb compare --fail-on)', () => {
  const base = { name: 'base', results: run(1000, 10) };

  it('fails a figure worse than the first run by more than its share, whichever way the figure is better', () => {
    const budgets = ['throughput=5%', 'response-p99=10%'].map(parseRegressionBudget);
    expect(checkRegressionBudgets([base, { name: 'same', results: run(960, 10.9) }], budgets)).toEqual([]); // 4% and 9% worse: within
    const slower = checkRegressionBudgets([base, { name: 'slower', results: run(940, 11.5) }], budgets);
    expect(slower.map((v) => [v.metric, Number(v.worseBy.toFixed(3))])).toEqual([
      ['throughput', 0.06],
      ['response-p99', 0.15],
    ]);
    expect(slower[1]!.message).toBe('slower: response-p99 11.5 ms against 10 ms in base (15.0% worse; budget response-p99=10%)');
    expect(checkRegressionBudgets([base, { name: 'faster', results: run(2000, 5) }], budgets)).toEqual([]); // better by far is never a failure
  });

  it('reads an amount without % in the metric’s unit, and errors=0 fails on the first new error', () => {
    expect(checkRegressionBudgets([base, { name: 'b', results: run(1000, 12) }], [parseRegressionBudget('response-p99=2')])).toEqual([]);
    expect(checkRegressionBudgets([base, { name: 'b', results: run(1000, 12.5) }], [parseRegressionBudget('response-p99=2')])).toHaveLength(1);
    const errors = checkRegressionBudgets(
      [base, { name: 'b', results: run(1000, 10, 1) }, { name: 'c', results: run(1000, 10, 0) }],
      [parseRegressionBudget('errors=0')],
    );
    expect(errors.map((v) => v.message)).toEqual(['b: errors 1 against 0 in base (up from 0; budget errors=0)']);
  });

  it('refuses an unknown metric or amount, naming the ones it knows', () => {
    expect(() => parseRegressionBudget('latency=10%')).toThrow('not a budget: "latency=10%"');
    expect(() => parseRegressionBudget('latency=10%')).toThrow(expect.objectContaining({ hint: expect.stringContaining('response-p99') }));
    expect(() => parseRegressionBudget('throughput=-5%')).toThrow(/not a budget/);
    expect(() => parseRegressionBudget('throughput')).toThrow(/not a budget/);
  });
});

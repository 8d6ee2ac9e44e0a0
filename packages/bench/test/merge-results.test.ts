import { DriverError } from '@sqltrace/core';
import { RESULTS_SCHEMA, RESULTS_VERSION, mergeResults, type BenchResults } from '@sqltrace/bench';
import { ResultsRecorder } from '../src/results/results-recorder';

/** Results as BenchmarkRunner builds them, from a recorder that saw the given operations. */
function resultsOf(recorder: ResultsRecorder, durationSeconds: number, extra: Partial<BenchResults> = {}): BenchResults {
  const overall = recorder.overall();
  return {
    schema: RESULTS_SCHEMA,
    version: RESULTS_VERSION,
    driver: 'postgres',
    target: 'postgres://db/x',
    mode: 'closed',
    settings: { workers: 2 },
    startedAt: '2026-11-28T03:00:00.000Z',
    durationSeconds,
    warmupSeconds: 0,
    operations: overall.operations,
    errors: overall.errors,
    dropped: 0,
    throughput: overall.operations / durationSeconds,
    goodput: (overall.operations - overall.errors) / durationSeconds,
    responseTime: overall.response.summary(),
    serviceTime: overall.service.summary(),
    scheduleLag: overall.lag.summary(),
    errorsByClass: recorder.errorsByClass(),
    connections: { opened: 2, lost: 0, reopened: 0, peak: 2 },
    sessionsBehind: recorder.sessionsBehind(),
    eventLoopDelay: { p50: 1, p99: 2, max: 3 },
    templates: recorder.templates(),
    histograms: { responseTime: overall.response.encode(), serviceTime: overall.service.encode(), scheduleLag: overall.lag.encode() },
    ...extra,
  };
}

describe('mergeResults', () => {
  it('merges runs that went at the same time exactly: the p99 of all operations, counts and errors added', () => {
    const a = new ResultsRecorder(-Infinity),
      b = new ResultsRecorder(-Infinity),
      all = new ResultsRecorder(-Infinity);
    const deadlock = new DriverError('deadlock detected', { code: '40P01' });
    const op = (i: number, template: string, error?: unknown) => ({
      template,
      kind: 'select',
      session: `s${i % 3}`,
      intended: 0,
      sent: i % 7,
      done: i,
      ...(error ? { error } : {}),
    });
    for (let i = 1; i <= 1000; i++) {
      const sample = op(i, 'x', i % 100 === 0 ? deadlock : undefined);
      a.record(sample, 'SELECT x');
      all.record(sample, 'SELECT x');
    }
    for (let i = 1001; i <= 3000; i++) {
      const sample = op(i, i % 2 ? 'x' : 'y', i % 500 === 0 ? deadlock : undefined);
      b.record(sample, sample.template === 'x' ? 'SELECT x' : 'SELECT y');
      all.record(sample, sample.template === 'x' ? 'SELECT x' : 'SELECT y');
    }
    const merged = mergeResults([resultsOf(a, 10), resultsOf(b, 12, { eventLoopDelay: { p50: 0.5, p99: 9, max: 20 } })]);
    const expected = resultsOf(all, 12);

    expect(merged.operations).toBe(3000);
    expect(merged.errors).toBe(10 + 4);
    expect(merged.throughput).toBeCloseTo(3000 / 12);
    for (const latency of ['responseTime', 'serviceTime', 'scheduleLag'] as const) expect(merged[latency]).toEqual(expected[latency]);
    expect(merged.responseTime.p99).toBeCloseTo(2970, -1); // a p99 of all operations, not an average of the two runs' p99s
    expect(merged.templates.map((t) => [t.template, t.operations, t.errors, t.responseTime])).toEqual(
      expected.templates.map((t) => [t.template, t.operations, t.errors, t.responseTime]),
    );
    expect(merged.errorsByClass).toEqual([{ errorClass: '40', count: 14, codes: { '40P01': 14 }, examples: ['deadlock detected'] }]);
    expect(merged.connections).toEqual({ opened: 4, lost: 0, reopened: 0, peak: 4 });
    expect(merged.eventLoopDelay).toEqual({ p50: 1, p99: 9, max: 20 });
  });

  it('returns a single run unchanged and refuses runs of different modes', () => {
    const r = resultsOf(new ResultsRecorder(-Infinity), 1);
    expect(mergeResults([r])).toBe(r);
    expect(() => mergeResults([r, { ...r, mode: 'open' }])).toThrow(/different modes \(closed, open\) cannot be merged/);
    expect(() => mergeResults([])).toThrow(/nothing to merge/);
  });
});

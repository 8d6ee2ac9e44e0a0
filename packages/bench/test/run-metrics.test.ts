import { Registry } from 'prom-client';
import { BenchMetricFamilies, LATENCY_BOUNDS } from '@sqltrace/bench';

const op = (template: string, kind: string, seconds: number, errorClass?: string) => ({
  template,
  kind,
  status: errorClass === undefined ? ('ok' as const) : ('error' as const),
  ...(errorClass !== undefined ? { errorClass } : {}),
  responseSeconds: seconds,
  serviceSeconds: seconds / 2,
  scheduleLagSeconds: seconds / 2,
});

/** The value of one series in a scrape, by its exact name and labels (in the order prom-client writes them). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Several runs at once on one registry (as `stb serve` runs benchmarks): each its own series, gone when it ends. */
describe('run metrics', () => {
  it("labels each run's series with its run and removes them when asked", async () => {
    const registry = new Registry();
    const families = new BenchMetricFamilies(registry);
    const a = families.forRun('bench-a'),
      b = families.forRun('bench-b');
    for (let i = 0; i < 3; i++) a.recordOperation(op('t1', 'select', 0.0004));
    a.recordOperation(op('t1', 'select', 0.001, '40'));
    b.recordOperation(op('t2', 'update', 0.02, '23'));
    b.recordDropped(7);
    a.setActiveSessions(4);
    b.setProgress(0.5);
    let text = await registry.metrics();
    expect(value(text, 'stb_queries_total{run="bench-a",template="t1",kind="select",status="ok"}')).toBe(3);
    expect(value(text, 'stb_queries_total{run="bench-a",template="t1",kind="select",status="error"}')).toBe(1);
    expect(value(text, 'stb_queries_total{run="bench-b",template="t2",kind="update",status="error"}')).toBe(1);
    expect(value(text, 'stb_errors_total{run="bench-a",class="40"}')).toBe(1);
    expect(value(text, 'stb_errors_total{run="bench-b",class="23"}')).toBe(1);
    expect(value(text, 'stb_dropped_operations_total{run="bench-b"}')).toBe(7);
    // 0.4 ms falls in the bucket whose bound is 0.0005; 1 ms in 0.001 (le: at most).
    expect(value(text, 'stb_query_duration_seconds_bucket{run="bench-a",kind="select",le="0.0003"}')).toBe(0);
    expect(value(text, 'stb_query_duration_seconds_bucket{run="bench-a",kind="select",le="0.0005"}')).toBe(3);
    expect(value(text, 'stb_query_duration_seconds_bucket{run="bench-a",kind="select",le="0.001"}')).toBe(4);
    expect(value(text, 'stb_query_duration_seconds_bucket{run="bench-a",kind="select",le="+Inf"}')).toBe(4);
    expect(value(text, 'stb_query_service_seconds_count{run="bench-a",kind="select"}')).toBe(4);
    expect(value(text, 'stb_query_duration_seconds_sum{run="bench-a",kind="select"}')).toBeCloseTo(0.0022, 9);
    expect(value(text, 'stb_sessions_active{run="bench-a"}')).toBe(4);
    expect(value(text, 'stb_progress_ratio{run="bench-b"}')).toBe(0.5);
    expect(value(text, 'stb_run_start_time_seconds{run="bench-a"}')).toBeCloseTo(Date.now() / 1000, -1);
    expect(value(text, 'stb_run_end_time_seconds{run="bench-a"}')).toBeUndefined();
    a.end();
    expect(value(await registry.metrics(), 'stb_run_end_time_seconds{run="bench-a"}')).toBeCloseTo(Date.now() / 1000, -1);
    a.remove();
    text = await registry.metrics();
    expect(text).not.toContain('bench-a');
    expect(value(text, 'stb_queries_total{run="bench-b",template="t2",kind="update",status="error"}')).toBe(1);
  });

  it('buckets sub-millisecond times finely enough for p99.9: no bucket wider than 5/3 from 10 µs to 10 s', () => {
    expect(LATENCY_BOUNDS[0]).toBe(0.00001);
    expect(LATENCY_BOUNDS.at(-1)).toBe(10);
    for (let i = 1; i < LATENCY_BOUNDS.length; i++) expect(LATENCY_BOUNDS[i]! / LATENCY_BOUNDS[i - 1]!).toBeLessThanOrEqual(5 / 3 + 1e-9);
  });

  it('keeps the top N templates by time as series of their own and sums the rest as "other", every counter monotonic and the sums exact', async () => {
    const registry = new Registry();
    const run = new BenchMetricFamilies(registry, { templateSeries: 2 }).forRun('r');
    const totals = new Map<string, number>();
    const scrape = async () => {
      const text = await registry.metrics();
      const series = [...text.matchAll(/^stb_queries_total\{run="r",template="([^"]+)",kind="([a-z]+)",status="ok"\} (\d+)$/gm)].map((m) => ({
        key: `${m[1]}/${m[2]}`,
        template: m[1]!,
        count: Number(m[3]),
      }));
      for (const s of series) {
        expect(s.count).toBeGreaterThanOrEqual(totals.get(s.key) ?? 0); // never goes back
        totals.set(s.key, s.count);
      }
      return series;
    };
    // 5,000 templates: the first scrape sees slow templates s1, s2 and many fast ones.
    let sent = 0;
    for (let i = 0; i < 5_000; i++, sent++) run.recordOperation(op(`fast${i}`, 'select', 0.0001));
    for (let i = 0; i < 10; i++, sent += 2) {
      run.recordOperation(op('s1', 'update', 0.05));
      run.recordOperation(op('s2', 'select', 0.04));
    }
    let series = await scrape();
    expect(series.map((s) => s.template).sort()).toEqual(['other', 's1', 's2']);
    expect(series.reduce((n, s) => n + s.count, 0)).toBe(sent);
    // A new template slower than all of them arrives: the two shown stay (no room), it goes to "other".
    for (let i = 0; i < 10; i++, sent++) run.recordOperation(op('s3', 'select', 1));
    for (let i = 0; i < 10; i++, sent++) run.recordOperation(op('s1', 'update', 0.05));
    series = await scrape();
    expect(series.map((s) => s.template).sort()).toEqual(['other', 's1', 's2']);
    expect(series.reduce((n, s) => n + s.count, 0)).toBe(sent);
    expect(series.find((s) => s.template === 's1')?.count).toBe(20);
    const time = await registry.metrics();
    const seconds = [...time.matchAll(/^stb_query_time_seconds_total\{run="r",[^}]*\} ([\d.e-]+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
    expect(seconds).toBeCloseTo(5_000 * 0.0001 + 20 * 0.05 + 10 * 0.04 + 10 * 1, 6);
  });

  it('gives a template first seen after a scrape a series of its own while there is room', async () => {
    const registry = new Registry();
    const run = new BenchMetricFamilies(registry, { templateSeries: 2 }).forRun('r');
    run.recordOperation(op('a', 'select', 0.001));
    let text = await registry.metrics();
    expect(value(text, 'stb_queries_total{run="r",template="a",kind="select",status="ok"}')).toBe(1);
    for (let i = 0; i < 3; i++) run.recordOperation(op('b', 'insert', 0.0001));
    run.recordOperation(op('c', 'insert', 0.00001));
    text = await registry.metrics();
    expect(value(text, 'stb_queries_total{run="r",template="b",kind="insert",status="ok"}')).toBe(3);
    expect(value(text, 'stb_queries_total{run="r",template="other",kind="insert",status="ok"}')).toBe(1);
    expect(() => new BenchMetricFamilies(new Registry(), { templateSeries: -1 })).toThrow(/whole number/);
  });
});

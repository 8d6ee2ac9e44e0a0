import { Registry } from 'prom-client';
import { BenchMetricFamilies } from '@sqltrace/bench';

/** Several runs at once on one registry (as `stb serve` runs benchmarks): each its own series, gone when it ends. */
describe('run metrics', () => {
  it('labels each run\'s series with its run and removes them when asked', async () => {
    const registry = new Registry();
    const families = new BenchMetricFamilies(registry);
    const a = families.forRun('bench-a'), b = families.forRun('bench-b');
    for (let i = 0; i < 3; i++) a.recordOperation({ template: 't1', kind: 'select', status: 'ok', responseSeconds: 0.0004, serviceSeconds: 0.0003, scheduleLagSeconds: 0 });
    a.recordOperation({ template: 't1', kind: 'select', status: 'error', responseSeconds: 0.001, serviceSeconds: 0.001, scheduleLagSeconds: 0 });
    b.recordOperation({ template: 't2', kind: 'update', status: 'error', responseSeconds: 0.02, serviceSeconds: 0.02, scheduleLagSeconds: 0.001 });
    a.setActiveSessions(4);
    b.setProgress(0.5);
    let text = await registry.metrics();
    expect(text).toContain('stb_queries_total{run="bench-a",template="t1",kind="select",status="ok"} 3');
    expect(text).toContain('stb_queries_total{run="bench-a",template="t1",kind="select",status="error"} 1');
    expect(text).toContain('stb_queries_total{run="bench-b",template="t2",kind="update",status="error"} 1');
    expect(text).toContain('stb_query_duration_seconds_bucket{le="0.0005",run="bench-a",kind="select"} 3');
    expect(text).toContain('stb_sessions_active{run="bench-a"} 4');
    expect(text).toContain('stb_progress_ratio{run="bench-b"} 0.5');
    a.remove();
    text = await registry.metrics();
    expect(text).not.toContain('bench-a');
    expect(text).toContain('stb_queries_total{run="bench-b",template="t2",kind="update",status="error"} 1');
  });
});

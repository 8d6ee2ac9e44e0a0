import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TraceFileSource, type Driver, type TraceEvent, type TraceSource } from '@sqltrace/core';
import { BenchmarkRunner, LatencyHistogram, PrometheusMetrics, loadDriver, renderComparison, renderResultsSummary } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';

function source(events: readonly TraceEvent[]): TraceSource {
  return {
    name: 'memory',
    events: async function* () {
      yield* events;
    },
  };
}

async function sqlite(): Promise<SqliteDriver> {
  const driver = new SqliteDriver({ url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'stb-bench-')), 'bench.db')}` });
  await driver.prepare!([
    'CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER)',
    'INSERT INTO items SELECT value, 0 FROM (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 1000) SELECT value FROM c)',
  ]);
  return driver;
}

describe('open loop at the end of its time', () => {
  it('serves the arrival the loop reaches late (after the end, though due before it), and drops only those it never reached', async () => {
    // 100 regular arrivals a second for 0.5 s: due at 10, 20, … 490 ms. The 45th (450 ms) blocks the
    // event loop until ~510 ms: the loop then reaches the one due at 460 ms late (served, with its
    // lag) and never reaches 470, 480, 490 (dropped).
    let calls = 0;
    const driver: Driver = {
      name: 'blocking',
      dialect: 'sqlite',
      open: async () => ({
        execute: async () => {
          if (++calls === 45) {
            const until = performance.now() + 60;
            while (performance.now() < until); // a synchronous driver's long statement
          }
          return { rowCount: 0 };
        },
        close: async () => undefined,
      }),
      destroy: async () => undefined,
    };
    const r = await new BenchmarkRunner({ driver, target: 'fake', mode: 'open', rate: 100, arrivals: 'regular', concurrency: 1, durationSeconds: 0.5 }).run(
      source([{ ts: 1, session: 'a', sql: 'SELECT 1', templateId: 'one' }]),
    );
    expect({ operations: r.operations, dropped: r.dropped }).toEqual({ operations: 46, dropped: 3 });
    expect(r.scheduleLag.max).toBeGreaterThan(40);
  });
});

describe('LatencyHistogram', () => {
  it('summarizes in ms and merges exactly through its encoded form', () => {
    const a = new LatencyHistogram(),
      b = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) a.recordMs(i);
    for (let i = 1001; i <= 2000; i++) b.recordMs(i);
    const merged = LatencyHistogram.decode(a.encode());
    merged.add(LatencyHistogram.decode(b.encode()));
    const s = merged.summary();
    expect(s.count).toBe(2000);
    expect(s.p50).toBeCloseTo(1000, -1);
    expect(s.p99).toBeCloseTo(1980, -1);
    expect(s.max).toBeCloseTo(2000, -1);
  });
});

describe('BenchmarkRunner on SQLite', () => {
  it('replays a trace with its timing, per session, and measures the three times', async () => {
    const t0 = 1_700_000_000_000_000;
    const events: TraceEvent[] = [];
    for (let s = 0; s < 20; s++)
      for (let i = 0; i < 10; i++)
        events.push({
          ts: t0 + i * 50_000 + s * 1_000,
          session: `s${s}`,
          sql: 'UPDATE items SET n = n + 1 WHERE id = $1',
          params: [s + 1],
          templateId: 'bump',
        });
    events.sort((a, b) => a.ts - b.ts);
    const driver = await sqlite();
    const started = performance.now();
    const results = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'replay' }).run(source(events));
    const wall = performance.now() - started;
    await driver.destroy();
    expect(results.operations).toBe(200);
    expect(results.errors).toBe(0);
    expect(wall).toBeGreaterThan(450); // the trace spans 0.47 s at speed 1
    expect(results.templates[0]).toMatchObject({ template: 'bump', operations: 200 });
    // Loose: this runs beside every other suite (neural training included) on two cores, where a
    // 100 ms stall happens; a replay that fell behind its schedule (sessions queued behind each
    // other) would show hundreds of ms here. The strict bound (p99 ≤ 2 ms) is
    // replay-fidelity.test.ts, run alone.
    expect(results.scheduleLag.p99).toBeLessThan(250);
    expect(results.connections).toMatchObject({ opened: 20, peak: 20, lost: 0 });
    expect(renderResultsSummary(results)).toMatch(/response time \(done − intended\)\s+200/);
    const fast = await new BenchmarkRunner({ driver: await sqlite(), target: 'sqlite', mode: 'replay', speed: Infinity }).run(source(events));
    expect(fast.durationSeconds).toBeLessThan(results.durationSeconds);
  });

  it('a statement listed after later-starting ones (a log written as statements end) still starts on time', async () => {
    // A duration log lists a statement when it ends: here one that started at 0.3 s and ran for
    // 2.7 s comes after another session's statements up to 3 s.
    const t0 = 1_700_000_000_000_000;
    const events: TraceEvent[] = Array.from({ length: 31 }, (_, i) => ({ ts: t0 + i * 100_000, session: 'quick', sql: 'SELECT 1', templateId: 'quick' }));
    events.push({ ts: t0 + 300_000, session: 'long', sql: 'SELECT 2', templateId: 'long' });
    const driver = await sqlite();
    const results = await new BenchmarkRunner({ driver, target: 'x', mode: 'replay', speed: 1 }).run(source(events));
    await driver.destroy();
    expect(results).toMatchObject({ operations: 32, errors: 0, dropped: 0 });
    const long = results.sessionsBehind.find((s) => s.session === 'long');
    expect(long!.maxLagMs).toBeLessThan(50); // read 2.7 s after its start: with a 0.5 s read-ahead it ran 2.2 s late
  }, 20_000);

  it('a replay stops at --duration by the clock: at --speed max, and when the database falls behind its schedule', async () => {
    const t0 = 1_700_000_000_000_000;
    let read = 0;
    // At --speed max: a trace far longer than the run (it would take minutes).
    const endless: TraceSource = {
      name: 'endless',
      events: async function* () {
        for (let i = 0; i < 50_000_000; i++, read++)
          yield { ts: t0 + i, session: `s${i % 4}`, sql: 'SELECT n FROM items WHERE id = $1', params: [1 + (i % 1000)], templateId: 'get' };
      },
    };
    const driver = await sqlite();
    let started = performance.now();
    const fast = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'replay', speed: Infinity, durationSeconds: 0.3 }).run(endless);
    let wall = (performance.now() - started) / 1000;
    expect(wall).toBeLessThan(0.3 + 1.5); // slack for a loaded CI machine; without the cap this runs for minutes
    expect(fast.operations).toBeGreaterThan(100);
    expect(read).toBeLessThan(50_000_000);
    expect(fast.dropped).toBe(0); // nothing was due at a time

    // At --speed 1: one statement due every millisecond, each taking several: the run falls behind,
    // stops on time, and counts what was due and not run as dropped.
    const slow = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) SELECT sum(x) FROM c';
    const behind = Array.from({ length: 2_000 }, (_, i) => ({ ts: t0 + i * 1_000, session: 'a', sql: slow, templateId: 'slow' }));
    started = performance.now();
    const late = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'replay', durationSeconds: 0.5 }).run(source(behind));
    wall = (performance.now() - started) / 1000;
    await driver.destroy();
    expect(wall).toBeLessThan(0.25 + 0.5 + 1.5); // lead-in, the cap, slack
    expect(late.operations).toBeLessThan(250);
    expect(late.dropped).toBeGreaterThan(100);
    expect(late.operations + late.dropped).toBeLessThanOrEqual(501); // only what was due within the 0.5 s
  });

  it('closed and open loops run for their duration and count errors by class with examples', async () => {
    const pool: TraceEvent[] = [
      { ts: 1, session: 'a', sql: 'SELECT n FROM items WHERE id = ?', params: [5] },
      { ts: 2, session: 'a', sql: 'SELECT nope FROM items' },
    ];
    const driver = await sqlite();
    const closed = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'closed', concurrency: 2, durationSeconds: 0.5 }).run(source(pool));
    expect(closed.operations).toBeGreaterThan(100);
    expect(closed.errors).toBeGreaterThan(10);
    expect(closed.errorsByClass[0]).toMatchObject({ errorClass: 'SQLITE_ERROR', examples: [expect.stringMatching(/no such column: nope/)] });
    const open = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'open', rate: 400, arrivals: 'regular', durationSeconds: 1 }).run(
      source(pool.slice(0, 1)),
    );
    expect(open.operations).toBeGreaterThan(360);
    expect(open.operations).toBeLessThanOrEqual(400);
    await driver.destroy();
    expect(
      renderComparison([
        { name: 'closed', results: closed },
        { name: 'open', results: open },
      ]),
    ).toMatch(/throughput \(ops\/s\)/);
  });

  it('serves Prometheus metrics while a run goes', async () => {
    const metrics = new PrometheusMetrics();
    const port = await metrics.listen(0);
    const driver = await sqlite();
    const run = new BenchmarkRunner({ driver, target: 'sqlite', mode: 'closed', concurrency: 1, durationSeconds: 1, metrics }).run(
      source([{ ts: 1, session: 'a', sql: 'SELECT 1', templateId: 'one' }]),
    );
    await new Promise((r) => setTimeout(r, 500));
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    await run;
    await metrics.close();
    await driver.destroy();
    expect(text).toMatch(/stb_queries_total\{run="stb",template="one",kind="select",status="ok"\} \d+/);
    for (const name of [
      'stb_query_duration_seconds_bucket',
      'stb_schedule_lag_seconds_count',
      'stb_sessions_active{run="stb"} 1',
      'stb_event_loop_delay_seconds',
      'stb_progress_ratio',
    ])
      expect(text).toContain(name);
  });

  it('loads drivers by name or package, and says so when it cannot', async () => {
    const d = await loadDriver('sqlite', { url: ':memory:' });
    expect(d.name).toBe('sqlite');
    await d.destroy();
    await expect(loadDriver('oracle-db-nope', { url: 'x' })).rejects.toThrow(/no driver "oracle-db-nope": package oracle-db-nope is not installed/);
  });

  it('--pipeline is refused with a clear message outside a replay, on a driver that cannot pipeline, and when not a whole number', async () => {
    const driver = await sqlite();
    const refusal = (options: { mode?: 'replay' | 'closed' | 'open'; pipeline: number }) => {
      try {
        new BenchmarkRunner({ driver, target: 'x', mode: options.mode ?? 'replay', rate: 10, pipeline: options.pipeline });
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(refusal({ pipeline: 4 })).toBe('--pipeline: the sqlite driver runs one statement at a time on a connection');
    expect(refusal({ mode: 'closed', pipeline: 4 })).toBe('--pipeline applies to replay mode, not closed');
    expect(refusal({ pipeline: 2.5 })).toBe('--pipeline must be a whole number ≥ 1, got 2.5');
    expect(refusal({ pipeline: 0 })).toBe('--pipeline must be a whole number ≥ 1, got 0');
    // 1 is the default: every driver and mode takes it.
    expect(refusal({ mode: 'closed', pipeline: 1 })).toBeUndefined();
    await driver.destroy();
  });

  it("a log of many short sessions replays with the connections of those still going: idle in the trace's time, or when the cap is reached, a session disconnects", async () => {
    // 10,000 sessions of two statements, one starting every 10 ms of the log: about 200 going in any
    // two seconds of it. At --speed max the whole log replays in about a second of the clock, so
    // idle time counted on the clock alone kept every session connected to the end.
    const t0 = 1_700_000_000_000_000;
    const events: TraceEvent[] = [];
    for (let i = 0; i < 10_000; i++)
      for (const k of [0, 1]) events.push({ ts: t0 + i * 10_000 + k * 1_000, session: `c${i}`, sql: `SELECT ${k}`, templateId: `t${k}` });
    const file = join(mkdtempSync(join(tmpdir(), 'stb-sessions-')), 'short-sessions.jsonl');
    writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const driver = await sqlite();
    const open = await new BenchmarkRunner({ driver, target: 'x', mode: 'replay', speed: Infinity }).run(new TraceFileSource(file));
    expect(open).toMatchObject({ operations: 20_000, errors: 0, dropped: 0, connections: { opened: 10_000 } });
    // Those of the last two seconds of the log read, and of what the reader has read ahead.
    expect(open.connections.peak).toBeLessThan(2_500);
    // A cap below the log's concurrency: the session idle longest makes room (before, each waited out
    // two seconds of the clock — 10,000 sessions over 20 slots, over fifteen minutes).
    const capped = await new BenchmarkRunner({ driver, target: 'x', mode: 'replay', speed: Infinity, concurrency: 20 }).run(new TraceFileSource(file));
    expect(capped).toMatchObject({ operations: 20_000, errors: 0, dropped: 0, connections: { opened: 10_000, peak: 20 } });
    // (Seconds here; the bug took over fifteen minutes. The bound leaves room for a loaded CI machine.)
    expect(capped.durationSeconds).toBeLessThan(100);
    // The report keeps the ten sessions furthest behind, sessions long gone among them.
    expect(capped.sessionsBehind).toHaveLength(10);
    expect(capped.sessionsBehind.every((s) => s.operations === 2)).toBe(true);
    await driver.destroy();
  }, 240_000);

  it('a capped replay whose reader has read far ahead does not stall on sessions waiting out their idle time', async () => {
    // A database that answers on the next turn of the event loop: the reader (answered in
    // microtasks) fills its read-ahead while twenty sessions hold the twenty connections, then waits
    // for the sessions to take half of it. Each session, done, used to keep its connection for its
    // two idle seconds while thousands waited for one: twenty sessions every two seconds, 250 s for
    // this log (a CI run hung on it). Now a session done while others wait disconnects at once.
    const session = {
      execute: () => new Promise<{ rowCount: number }>((resolve) => setImmediate(() => resolve({ rowCount: 1 }))),
      close: async () => undefined,
    };
    let opened = 0;
    const slow: Driver = { name: 'slow', dialect: 'postgres', open: async () => (opened++, session), destroy: async () => undefined };
    const trace: TraceSource = {
      name: 'many-sessions',
      events: async function* () {
        for (let i = 0; i < 8_000; i++) for (const k of [0, 1]) yield { ts: i * 10_000 + k * 1_000, session: `c${i}`, sql: `SELECT ${k}`, templateId: `t${k}` };
      },
    };
    const started = performance.now();
    const r = await new BenchmarkRunner({ driver: slow, target: 'x', mode: 'replay', speed: Infinity, concurrency: 20 }).run(trace);
    expect(r).toMatchObject({ operations: 16_000, errors: 0, dropped: 0, connections: { opened: 8_000, peak: 20 } });
    expect(opened).toBe(8_000);
    expect((performance.now() - started) / 1000).toBeLessThan(60);
  }, 120_000);
});

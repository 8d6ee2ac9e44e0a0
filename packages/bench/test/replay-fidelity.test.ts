import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { BenchmarkRunner } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';

/**
 * (Timing-sensitive: `npm test` runs it alone, after the other suites — see the bench package's
 * `test-timing` target.)
 *
 * Replay fidelity: 100,000 statements from 200 sessions over one minute, replayed at speed 1
 * against SQLite, start within 2 ms of their intended time at the 99th percentile — and the
 * results say how far behind each session fell.
 */
describe('replay fidelity against SQLite', () => {
  it('starts 100,000 statements over a minute within 2 ms of schedule at p99', async () => {
    const t0 = 1_700_000_000_000_000;
    const sessions = 200,
      perSession = 500,
      spanUs = 60_000_000;
    // Generated lazily in time order: each session's statements at its own steady pace.
    const trace: TraceSource = {
      name: 'steady',
      events: async function* () {
        const step = spanUs / perSession;
        for (let i = 0; i < perSession; i++) {
          for (let s = 0; s < sessions; s++) {
            const event: TraceEvent = {
              ts: t0 + i * step + (s * step) / sessions,
              session: `s${s}`,
              sql: 'SELECT n FROM items WHERE id = ?',
              params: [1 + ((i * sessions + s) % 1000)],
              templateId: 'lookup',
            };
            yield event;
          }
        }
      },
    };
    const driver = new SqliteDriver({ url: `sqlite:${join(mkdtempSync(join(tmpdir(), 'stb-fidelity-')), 'f.db')}` });
    await driver.prepare!([
      'CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER)',
      'INSERT INTO items SELECT value, value FROM (WITH RECURSIVE c(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM c WHERE value < 1000) SELECT value FROM c)',
    ]);
    const results = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'replay' }).run(trace);
    await driver.destroy();
    expect(results.operations).toBe(100_000);
    expect(results.errors).toBe(0);
    expect(results.durationSeconds).toBeGreaterThan(59);
    expect(results.scheduleLag.p99).toBeLessThanOrEqual(2);
    expect(results.sessionsBehind).toHaveLength(10);
    expect(results.sessionsBehind[0]!.maxLagMs).toBeGreaterThanOrEqual(results.sessionsBehind[9]!.maxLagMs);
  }, 120_000);
});

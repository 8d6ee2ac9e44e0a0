import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { BenchmarkRunner } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';

/** A MariaDB-like trace: the general log prints whole seconds, so a second's statements share one time. */
function coarseTrace(events: readonly TraceEvent[]): TraceSource {
  return {
    name: 'coarse',
    header: async () => ({ version: 1, resolutionUs: 1_000_000 }),
    events: async function* () {
      yield* events;
    },
  };
}

async function replayRecordingTimes(spread: 'auto' | 'off'): Promise<{ times: number[]; results: Awaited<ReturnType<BenchmarkRunner['run']>> }> {
  const file = join(mkdtempSync(join(tmpdir(), 'stb-spread-')), 'spread.db');
  const driver = new SqliteDriver({ url: `sqlite:${file}` });
  await driver.prepare!(['CREATE TABLE seen (k INTEGER, at REAL)']);
  const t0 = 1_765_000_000_000_000;
  // Two sessions, ten statements each in one second of the log, then one in the next second.
  const events: TraceEvent[] = [];
  for (let k = 0; k < 20; k++)
    events.push({ ts: t0, session: `s${k % 2}`, sql: `INSERT INTO seen VALUES (${k}, (julianday('now') - 2440587.5) * 86400000.0)` });
  events.push({ ts: t0 + 1_000_000, session: 's0', sql: "INSERT INTO seen VALUES (20, (julianday('now') - 2440587.5) * 86400000.0)" });
  const results = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'replay', speed: 1, spread }).run(coarseTrace(events));
  const db = new Database(file, { readonly: true });
  const rows = db.prepare('SELECT k, at FROM seen ORDER BY k').all() as { k: number; at: number }[];
  db.close();
  return { times: rows.map((r) => r.at), results };
}

describe('replay of a coarse trace', () => {
  it('spreads the statements that share one second evenly over it, in log order, and says so', async () => {
    const { times, results } = await replayRecordingTimes('auto');
    expect(times).toHaveLength(21);
    const first = times[0]!;
    // The k-th of 20 statements of the second is due k × 50 ms into it.
    const offsets = times.slice(0, 20).map((t) => t - first);
    expect(offsets[19]!).toBeGreaterThan(900);
    expect(offsets[19]!).toBeLessThan(1_050);
    expect(Math.max(...offsets.map((o, k) => Math.abs(o - k * 50)))).toBeLessThan(40);
    expect(times[20]! - first).toBeGreaterThan(980);
    expect(results.settings).toMatchObject({ spreadOverUs: 1_000_000 });
    expect(results.timeline!.operations.reduce((a, b) => a + b, 0)).toBe(21);
    expect(Math.max(...results.timeline!.openConnections)).toBe(2);
  });

  it("with spread off sends a second's statements at its start", async () => {
    const { times, results } = await replayRecordingTimes('off');
    expect(times[19]! - times[0]!).toBeLessThan(200);
    expect(results.settings).toMatchObject({ spread: 'off' });
    expect(results.settings).not.toHaveProperty('spreadOverUs');
  });
});

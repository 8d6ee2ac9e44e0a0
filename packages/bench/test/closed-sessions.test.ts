import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TraceEvent, TraceSource } from '@sqltrace/core';
import { BenchmarkRunner } from '@sqltrace/bench';
import { SqliteDriver } from '@sqltrace/driver-sqlite';

/**
 * The closed loop draws a trace's statements session by session: two sessions whose transactions
 * interleave in the log (as every concurrent log does) run each transaction whole on a worker —
 * not A's BEGIN, then B's BEGIN inside it (an error), then A's COMMIT ending B's work.
 */
describe('closed loop over interleaved sessions', () => {
  it("runs each session's transaction whole, in its order, without errors", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stb-closed-')), 'closed.db');
    const driver = new SqliteDriver({ url: `sqlite:${file}` });
    await driver.prepare!(['CREATE TABLE seen (n INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)']);
    const events: TraceEvent[] = [];
    const statements = (s: string) => ['BEGIN', `INSERT INTO seen (v) VALUES ('${s}1')`, `INSERT INTO seen (v) VALUES ('${s}2')`, 'COMMIT'];
    const a = statements('a'),
      b = statements('b');
    for (let i = 0; i < 4; i++) events.push({ ts: 2 * i, session: 'A', sql: a[i]! }, { ts: 2 * i + 1, session: 'B', sql: b[i]! });
    const trace: TraceSource = {
      name: 'interleaved',
      events: async function* () {
        yield* events;
      },
    };
    const results = await new BenchmarkRunner({ driver, target: 'sqlite', mode: 'closed', concurrency: 1, durationSeconds: 0.3 }).run(trace);
    await driver.destroy();
    expect(results.operations).toBeGreaterThan(16);
    expect(results.errors).toBe(0);
    const db = new Database(file, { readonly: true });
    const seen = (db.prepare('SELECT v FROM seen ORDER BY n LIMIT 8').all() as { v: string }[]).map((r) => r.v);
    db.close();
    expect(seen).toEqual(['a1', 'a2', 'b1', 'b2', 'a1', 'a2', 'b1', 'b2']);
  });
});

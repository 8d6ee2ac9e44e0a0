import type { TraceEvent } from '@sqltrace/core';
import { DistinctCounter, PgStderrReader, SessionIds, compilePrefix, type ReaderSink } from '@sqltrace/parser';

describe('bounded bookkeeping', () => {
  it('counts distinct values exactly up to the limit, then within 3% by estimate', () => {
    const small = new DistinctCounter(1000);
    for (let i = 0; i < 5000; i++) small.add(String(i % 700));
    expect(small.size).toBe(700);
    expect(small.approximate).toBe(false);
    const big = new DistinctCounter(1000);
    for (let i = 0; i < 300_000; i++) big.add(`session-${i % 150_000}`);
    expect(big.approximate).toBe(true);
    expect(Math.abs(big.size - 150_000) / 150_000).toBeLessThan(0.03);
  });

  it('gives a reused connection number a new session id, and stays unique past its memory limit', () => {
    const ids = new SessionIds(2);
    expect(ids.current('42')).toBe('42');
    ids.next('42');
    expect(ids.current('42')).toBe('42#1');
    ids.next('7');
    ids.next('8'); // over the limit: a new epoch
    const all = new Set(['42', '42#1', ids.current('42'), ids.current('7'), ids.current('8')]);
    expect(all.size).toBe(5);
  });

  it('emits the held statement of a session that never disconnects once it has been idle for ten minutes', () => {
    const events: TraceEvent[] = [];
    const sink: ReaderSink = { event: (e) => events.push(e), used: () => undefined, skipped: () => undefined };
    const reader = new PgStderrReader(sink, { prefix: compilePrefix('%m [%p] ') });
    const at = (seconds: number) => new Date(Date.UTC(2024, 0, 1) + seconds * 1000).toISOString().replace('T', ' ').replace('Z', ' UTC');
    reader.push(`${at(0)} [1] LOG:  statement: SELECT 'held'`, 1);
    // 60,000 records from another session, twenty minutes later: the sweep runs on the way.
    for (let k = 0; k < 60_000; k++) reader.push(`${at(1200 + k / 1000)} [2] LOG:  statement: SELECT ${k}`, k + 2);
    expect(events.some((e) => e.sql === "SELECT 'held'")).toBe(true);
    reader.end();
    expect(events).toHaveLength(60_001);
  });
});

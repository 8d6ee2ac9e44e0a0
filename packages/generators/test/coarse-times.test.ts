import type { TraceEvent } from '@sqltrace/core';
import { spreadCoarseTimes } from '../src/timing/coarse-times';

const T0 = 1_765_000_000_000_000;

/**
 * A millisecond log of many short sessions (pgbench -C's shape): session k runs BEGIN, SELECT and
 * COMMIT within ms k, all logged on the same tick. `read` counts what the consumer has pulled.
 */
function shortSessions(sessions: number, read: { count: number }): AsyncIterable<TraceEvent> {
  return {
    async *[Symbol.asyncIterator]() {
      for (let k = 0; k < sessions; k++) {
        for (const sql of ['BEGIN', 'SELECT 1', 'COMMIT']) {
          read.count++;
          yield { ts: T0 + k * 1_000, session: `s${k}`, sql, durationUs: 50 };
        }
      }
    },
  };
}

describe('spreadCoarseTimes', () => {
  it("lets a finished session's statements go while the log streams on, instead of holding every session's last tick to the end", async () => {
    const read = { count: 0 };
    let readWhenFirstOut: number | undefined;
    const out: TraceEvent[] = [];
    for await (const event of spreadCoarseTimes(shortSessions(30_000, read), 1_000, 'short.jsonl')) {
      if (event.session === 's0' && readWhenFirstOut === undefined) readWhenFirstOut = read.count;
      out.push(event);
    }
    // Out within the first sweep, long before the log's 90,000 events were read.
    expect(readWhenFirstOut).toBeLessThan(20_000);
    // Nothing lost, and each session's statements spread over its own tick, in order, not overlapping.
    expect(out).toHaveLength(90_000);
    const bySession = new Map<string, TraceEvent[]>();
    for (const e of out) bySession.set(e.session, [...(bySession.get(e.session) ?? []), e]);
    expect(bySession.size).toBe(30_000);
    for (const [session, events] of bySession) {
      const tick = T0 + Number(session.slice(1)) * 1_000;
      expect(events.map((e) => e.sql)).toEqual(['BEGIN', 'SELECT 1', 'COMMIT']);
      for (let i = 0; i < 3; i++) {
        expect(events[i]!.ts).toBeGreaterThanOrEqual(tick);
        expect(events[i]!.ts).toBeLessThan(tick + 1_000);
        if (i > 0) expect(events[i]!.ts).toBeGreaterThanOrEqual(events[i - 1]!.ts + 50);
      }
    }
  });
});

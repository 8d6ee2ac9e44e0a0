import type { TraceEvent, TraceSource } from '@sqltrace/core';

/**
 * Up to `max` statements of a trace (its first ones), for the closed and open modes that draw from
 * its statement mix — grouped by session: each session's statements together and in their order,
 * the sessions in the order they began. A closed-loop worker walking the pool so runs a session's
 * transaction whole, as the application did, rather than a BEGIN of one session, an UPDATE of
 * another and a COMMIT of a third (whose transactions, each a few statements long, make the
 * server commit far more often than the original did).
 */
export async function statementPool(trace: TraceSource, max = 100_000): Promise<TraceEvent[]> {
  const bySession = new Map<string, TraceEvent[]>();
  let count = 0;
  for await (const event of trace.events()) {
    let statements = bySession.get(event.session);
    if (statements === undefined) bySession.set(event.session, (statements = []));
    statements.push(event);
    if (++count >= max) break;
  }
  const pool: TraceEvent[] = [];
  for (const statements of bySession.values()) for (const event of statements) pool.push(event);
  return pool;
}

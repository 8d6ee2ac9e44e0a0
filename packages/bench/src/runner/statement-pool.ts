import type { TraceEvent, TraceSource } from '@sqltrace/core';

/** Up to `max` statements of a trace, for the closed and open modes that draw from its statement mix. */
export async function statementPool(trace: TraceSource, max = 100_000): Promise<TraceEvent[]> {
  const pool: TraceEvent[] = [];
  for await (const event of trace.events()) {
    pool.push(event);
    if (pool.length >= max) break;
  }
  return pool;
}

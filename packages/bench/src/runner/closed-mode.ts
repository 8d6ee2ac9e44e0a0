import type { TraceEvent } from '@sqltrace/core';
import type { RunContext } from './run-context';

/**
 * Closed loop: `workers` connections, each running the trace's statements back to back (each
 * from its own offset in the statement pool) until `durationSeconds` have passed: the maximum
 * throughput. No schedule: intended = sent.
 */
export async function closedLoop(pool: readonly TraceEvent[], context: RunContext, workers: number, durationSeconds: number): Promise<void> {
  const endAt = context.start + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let connection = await context.open();
      let i = Math.floor((w * pool.length) / workers);
      let now = performance.now();
      while (connection !== undefined && !context.stopped && now < endAt) {
        const event = pool[i++ % pool.length]!;
        connection = await context.execute(connection, event, now);
        now = performance.now();
        const pause = context.breathe(now);
        if (pause) {
          await pause;
          now = performance.now();
        }
      }
      await context.close(connection);
    }),
  );
}

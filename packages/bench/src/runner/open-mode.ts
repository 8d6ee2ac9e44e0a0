import pLimit from 'p-limit';
import { Prng, type DriverSession, type TraceEvent } from '@sqltrace/core';
import type { RunContext } from './run-context';
import { waitUntil } from './wait-until';

export interface OpenLoopSettings {
  /** Arrivals per second. */
  readonly rate: number;
  readonly arrivals: 'poisson' | 'regular';
  /** Connections serving the arrivals. */
  readonly connections: number;
  readonly durationSeconds: number;
  readonly seed: string | number;
  /** Regular arrivals: the first one's offset, as a fraction of the interval (generators sharing a rate take 0, 1/N, …). */
  readonly phase?: number;
}

/**
 * Open loop: statements arrive at `rate` per second (Poisson or evenly spaced) whatever the
 * database does, drawn in order from the trace's statement mix, and wait for a free connection.
 * Response time counts from the arrival, so a stall shows in it (no coordinated omission); when
 * more than 100 arrivals per connection are waiting, new ones are dropped and counted — the run
 * never aborts because the database cannot keep up, and ends at its duration: arrivals still due
 * then are dropped too. A synchronous driver (SQLite) is held to the same: an arrival counts as
 * waiting from when it was due, whether or not the loop has reached it.
 */
export async function openLoop(pool: readonly TraceEvent[], context: RunContext, settings: OpenLoopSettings): Promise<void> {
  const limit = pLimit(settings.connections);
  const free: DriverSession[] = [];
  const prng = new Prng(settings.seed);
  const endAt = context.start + settings.durationSeconds * 1000;
  const maxWaiting = settings.connections * 100;
  const inFlight = new Set<Promise<void>>();
  let at = context.start + (settings.arrivals === 'regular' ? (settings.phase ?? 0) * (1000 / settings.rate) : 0);
  let i = 0;
  const next = () => (at += settings.arrivals === 'poisson' ? prng.exponential(settings.rate) * 1000 : 1000 / settings.rate);
  while (!context.stopped) {
    if (next() >= endAt) break;
    await waitUntil(at, context.signal);
    const now = performance.now();
    const intended = at;
    // Time is up (a timer that fired late, or the database or a synchronous driver fell behind):
    // this arrival, due within the run, is served late (its lag says how late); those after it
    // that were due too were never reached.
    const timeUp = now >= endAt;
    if (timeUp) while (next() < endAt) context.drop();
    // Waiting: those queued for a connection, and those already due that this loop has not
    // reached (a synchronous driver runs each arrival before the loop sees the next).
    const behind = ((now - intended) * settings.rate) / 1000;
    if (limit.pendingCount + behind >= maxWaiting) {
      context.drop();
      if (timeUp) break;
      continue;
    }
    const pause = context.breathe(now);
    if (pause) await pause;
    const event = pool[i++ % pool.length]!;
    const task = limit(async () => {
      let connection = free.pop() ?? (await context.open());
      if (connection === undefined) {
        context.drop();
        return;
      }
      connection = await context.execute(connection, event, intended);
      if (connection !== undefined) free.push(connection);
    });
    inFlight.add(task);
    void task.finally(() => inFlight.delete(task));
    if (timeUp) break;
  }
  await Promise.all(inFlight);
  for (const connection of free) await context.close(connection);
}

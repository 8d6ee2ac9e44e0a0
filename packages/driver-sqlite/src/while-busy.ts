import { DriverError } from '@sqltrace/core';

/**
 * Runs `attempt` until it stops failing because another connection holds SQLite's lock, or until
 * `timeoutMs` has passed. The waits are timers, never SQLite's own busy handler: that would block the
 * whole thread — and with it the session holding the lock, when both live on one event loop.
 */
export async function whileBusy<T>(attempt: () => T, timeoutMs: number): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (let wait = 0.25; ; wait = Math.min(wait * 2, 2)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

function isBusy(error: unknown): boolean {
  return error instanceof DriverError && /^SQLITE_(BUSY|LOCKED)/.test(error.sqlState);
}

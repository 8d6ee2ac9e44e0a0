import { parentPort, workerData } from 'node:worker_threads';
import { isStbError, type TraceEvent, type TraceSource } from '@sqltrace/core';
import { loadDriver } from '../drivers/load-driver';
import { BenchmarkRunner, type BenchmarkOptions } from '../runner/benchmark-runner';
import { EventFeed } from './event-feed';
import { ForwardedMetrics } from './forwarded-metrics';
import type { ParentMessage, WorkerData, WorkerMessage } from './thread-messages';

/**
 * Entry of one benchmark thread (ThreadedBenchmarkRunner starts it next to the bundle): loads the
 * driver by name, runs its share of the workload with a BenchmarkRunner — the statement mix it was
 * started with, or (replay) its sessions' events as the parent sends them, on the parent's
 * schedule — forwards metrics, and posts its results, or the error that stopped it.
 */
async function main(): Promise<void> {
  const data = workerData as WorkerData;
  const post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => parentPort!.postMessage(message, transfer);
  const controller = new AbortController();
  const feed = data.replay ? new EventFeed(data.traceName, () => post({ type: 'consumed' })) : undefined;
  let started: (schedule: { startAt: number; firstTs: number }) => void = () => undefined;
  const schedule = new Promise<{ startAt: number; firstTs: number }>((resolve) => (started = resolve));
  parentPort!.on('message', (m: ParentMessage) => {
    if (m.type === 'abort') {
      controller.abort();
      feed?.end();
    } else if (m.type === 'start') started({ startAt: m.startAt, firstTs: m.firstTs });
    else if (m.type === 'events') feed?.push(m.packed);
    else if (m.type === 'end') feed?.end();
  });
  const metrics = data.metrics ? new ForwardedMetrics(post) : undefined;
  try {
    const driver = await loadDriver(data.driver.name, data.driver.config);
    try {
      let options: BenchmarkOptions = { ...data.options, driver, signal: controller.signal, ...(metrics ? { metrics } : {}) };
      let trace: TraceSource;
      if (feed !== undefined) {
        post({ type: 'ready' });
        options = { ...options, schedule: await schedule };
        trace = feed;
      } else {
        const pool: readonly TraceEvent[] = data.pool;
        trace = {
          name: data.traceName,
          events: async function* () {
            yield* pool;
          },
        };
      }
      const results = await new BenchmarkRunner(options).run(trace);
      await metrics?.close();
      post({ type: 'done', results });
    } finally {
      await driver.destroy().catch(() => undefined);
    }
  } catch (error) {
    await metrics?.close();
    post({
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      ...(isStbError(error) ? { code: error.code, ...(error.hint !== undefined ? { hint: error.hint } : {}) } : {}),
    });
  }
}

void main();

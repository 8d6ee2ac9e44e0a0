import { parentPort, workerData } from 'node:worker_threads';
import { isStbError, type TraceEvent } from '@sqltrace/core';
import { loadDriver } from '../drivers/load-driver';
import { BenchmarkRunner, type BenchmarkOptions } from '../runner/benchmark-runner';
import { ForwardedMetrics } from './forwarded-metrics';
import type { WorkerData, WorkerMessage } from './thread-messages';

/**
 * Entry of one benchmark thread (ThreadedBenchmarkRunner starts it next to the bundle): loads the
 * driver by name, runs its share of the workload with a BenchmarkRunner, forwards metrics, and
 * posts its results — or the error that stopped it.
 */
async function main(): Promise<void> {
  const data = workerData as WorkerData;
  const post = (message: WorkerMessage, transfer?: ArrayBuffer[]) => parentPort!.postMessage(message, transfer);
  const controller = new AbortController();
  parentPort!.on('message', (m: { type: string }) => {
    if (m.type === 'abort') controller.abort();
  });
  const metrics = data.metrics ? new ForwardedMetrics(post) : undefined;
  try {
    const driver = await loadDriver(data.driver.name, data.driver.config);
    try {
      const pool: readonly TraceEvent[] = data.pool;
      const options: BenchmarkOptions = { ...data.options, driver, signal: controller.signal, ...(metrics ? { metrics } : {}) };
      const results = await new BenchmarkRunner(options).run({
        name: data.traceName,
        events: async function* () {
          yield* pool;
        },
      });
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

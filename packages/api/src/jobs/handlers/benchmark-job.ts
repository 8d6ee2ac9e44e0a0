import { join } from 'node:path';
import { text } from 'node:stream/consumers';
import { BenchmarkService } from '@sqltrace/app';
import { StbError, type JsonObject } from '@sqltrace/core';
import { fileToBlob } from '../blob-files';
import type { JobHandler } from '../job-runner';
import type { JobServices } from './job-services';
import { traceFile } from './trace-file';

/** The setup statements the request gave (stored as a blob beside the run's results). */
async function setupStatements(services: JobServices, key: string): Promise<string[]> {
  return (JSON.parse(await text(await services.blobs.get(key))) as unknown[]).map(String);
}

/** How long a finished benchmark's series stay on /metrics. */
const LINGER_MS = 60_000;

/**
 * Runs a benchmark of a trace against a named target (or the driver's default): results to the
 * blob store, headline figures on the record. Cancelled, it stops starting statements and keeps
 * the results so far (marked interrupted).
 */
export function benchmarkJob(services: JobServices): JobHandler {
  return async (input, { workspace, signal, progress }) => {
    const benchmarkId = String(input.benchmarkId);
    const trace = await traceFile(services, String(input.traceId), workspace);
    const settings = input.settings as JsonObject;
    const target = input.target !== undefined ? services.targets[String(input.target)] : undefined;
    if (input.target !== undefined && target === undefined) throw new StbError('E_USAGE', `no target named ${String(input.target)}`);
    const driver = target?.driver ?? String(input.driver);
    const output = join(workspace, 'results.json');
    let operations = 0;
    // Jobs queued by an earlier version carry their statements in the row.
    const setup = Array.isArray(input.setup)
      ? input.setup.map(String)
      : typeof input.setupBlob === 'string'
        ? await setupStatements(services, input.setupBlob)
        : undefined;
    // Its series on the server's /metrics while it runs, and a minute after (so the last scrape sees its totals).
    const live = services.benchmarkMetrics?.forRun(benchmarkId);
    const run = new BenchmarkService().run(
      {
        trace,
        driver,
        output,
        ...(target !== undefined ? { url: target.url } : input.url !== undefined ? { url: String(input.url) } : {}),
        ...(setup !== undefined ? { setup } : {}),
        mode: (settings.mode ?? 'replay') as 'replay' | 'closed' | 'open',
        ...(typeof settings.speed === 'number' ? { speed: settings.speed } : settings.speed === 'max' ? { speed: Infinity } : {}),
        ...(typeof settings.durationSeconds === 'number' ? { durationSeconds: settings.durationSeconds } : {}),
        ...(typeof settings.concurrency === 'number' ? { concurrency: settings.concurrency } : {}),
        ...(typeof settings.rate === 'number' ? { rate: settings.rate } : {}),
        label: benchmarkId,
      },
      {
        signal,
        metrics: {
          recordOperation: (operation) => {
            live?.recordOperation(operation);
            if (++operations % 1_000 === 0) progress({ phase: 'run', operations });
          },
          recordDropped: (count) => live?.recordDropped(count),
          setActiveSessions: (count) => live?.setActiveSessions(count),
          setProgress: (ratio) => {
            live?.setProgress(ratio);
            progress({ phase: 'run', operations, ratio });
          },
        },
      },
    );
    const { results, failure } = await run.finally(() => {
      live?.end();
      if (live !== undefined) setTimeout(() => live.remove(), LINGER_MS).unref();
    });
    await fileToBlob(services.blobs, output, `benchmarks/${benchmarkId}/results.json`);
    const r = results as unknown as {
      throughput?: number;
      operations?: number;
      errors?: number;
      dropped?: number;
      interrupted?: boolean;
      latency?: { p99?: number };
    };
    await services.repository.updateBenchmark(benchmarkId, {
      resultsBlob: `benchmarks/${benchmarkId}/results.json`,
      summary: JSON.parse(
        JSON.stringify({
          throughput: r.throughput,
          operations: r.operations,
          errors: r.errors,
          dropped: r.dropped,
          interrupted: r.interrupted ?? signal.aborted,
          failure,
        }),
      ) as JsonObject,
    });
    if (failure !== undefined && !signal.aborted) throw new StbError('E_DRIVER', failure);
    return { benchmarkId };
  };
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BenchmarkRunner, type BenchResults } from '@sqltrace/bench';
import { TraceFileSource } from '@sqltrace/core';
import { PostgresDriver } from '@sqltrace/driver-postgres';
import { capturePgbench, freshPgbenchDatabase, pipeline, type Pipeline } from '../src/index';
import { serversOrSkip } from './servers';

/**
 * The load a synthetic trace puts on a database, against its original's: a TPC-B log captured at
 * a rate this machine keeps up with (pgbench -R), and its synthetic trace, each replayed at its
 * own speed against the same database made afresh.
 */
const dir = mkdtempSync(join(tmpdir(), 'stb-load-'));
const { describePg } = serversOrSkip();
const URL_ = process.env.STB_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const TARGET = 'stb_capture_target';

async function replay(trace: string): Promise<BenchResults> {
  const url = await freshPgbenchDatabase(URL_, TARGET);
  const driver = new PostgresDriver({ url });
  try {
    return await new BenchmarkRunner({ driver, target: TARGET, mode: 'replay', speed: 1, durationSeconds: 10 }).run(new TraceFileSource(trace));
  } finally {
    await driver.destroy();
  }
}

describePg('original and synthetic pgbench TPC-B replayed against the same database', () => {
  let run: Pipeline;
  let original: BenchResults;
  let synthetic: BenchResults;
  beforeAll(async () => {
    const log = join(dir, 'tpcb-rate.log');
    await capturePgbench({ output: log, clients: 8, threads: 2, seconds: 14, rate: 400 });
    run = await pipeline(log, 'tpcb-rate', dir);
    original = await replay(run.original);
    synthetic = await replay(run.synthetic);
  }, 300_000);

  it('puts the same load on it: throughput within 10%, the same connections (±1)', () => {
    expect(run.report.failed).toEqual([]);
    expect(original.operations).toBeGreaterThan(15_000);
    expect(original.errors + synthetic.errors).toBe(0);
    expect(Math.abs(synthetic.throughput / original.throughput - 1)).toBeLessThan(0.1);
    expect(Math.abs(synthetic.connections.peak - original.connections.peak)).toBeLessThanOrEqual(1);
    // Second by second (the whole seconds inside the run): the connections open at once.
    const inner = (r: BenchResults) => r.timeline!.openConnections.slice(1, -1);
    const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    expect(Math.abs(mean(inner(synthetic)) - mean(inner(original)))).toBeLessThanOrEqual(1);
  });
});

/**
 * The runner's own ceiling: BenchmarkRunner in closed loop against a driver that does nothing,
 * in one process (one core). Prints JSON {operations, seconds, throughput, peakMB}.
 */
import { readFileSync } from 'node:fs';
import type { Driver, DriverSession, TraceSource } from '@sqltrace/core';
import { BenchmarkRunner } from '@sqltrace/bench';

const session: DriverSession = { execute: async () => ({ rowCount: 1 }), close: async () => undefined };
const noop: Driver = { name: 'noop', dialect: 'postgres', open: async () => session, destroy: async () => undefined };
const trace: TraceSource = {
  name: 'select-only',
  events: async function* () {
    for (let i = 0; i < 10_000; i++)
      yield { ts: i, session: `s${i % 8}`, sql: 'SELECT abalance FROM pgbench_accounts WHERE aid = $1', params: [1 + i], templateId: 'select' };
  },
};
const seconds = Number(process.argv[2] ?? 5);
const results = await new BenchmarkRunner({ driver: noop, target: 'noop', mode: 'closed', concurrency: 8, durationSeconds: seconds }).run(trace);
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  JSON.stringify({
    operations: results.operations,
    seconds: results.durationSeconds,
    throughput: results.throughput,
    peakMB: hwm ? Number(hwm[1]) / 1024 : NaN,
  }),
);

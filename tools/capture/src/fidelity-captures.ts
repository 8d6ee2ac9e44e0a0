import { capturePgbench, type CaptureResult } from './capture-pgbench';
import { captureSysbench } from './capture-sysbench';

/**
 * The three real logs the session-fidelity suite and the fidelity benchmarks capture: a benchmark
 * client's fixed set of connections (pgbench TPC-B, sysbench) and one connection per transaction
 * (pgbench -C). One definition, so the suite and `npm run bench:neural-fidelity` see the same logs.
 */
export interface FidelityCapture {
  readonly name: 'tpcb' | 'sysbench' | 'tpcb-C';
  readonly label: string;
  /** The client program it runs. */
  readonly needs: 'pgbench' | 'sysbench';
  readonly capture: (output: string, url?: string) => Promise<CaptureResult>;
}

export const FIDELITY_CAPTURES: readonly FidelityCapture[] = [
  {
    name: 'tpcb',
    label: 'pgbench -c 8 -j 2 -T 30 TPC-B on PostgreSQL (eight connections for the whole log)',
    needs: 'pgbench',
    capture: (output, url) => capturePgbench({ output, ...(url !== undefined ? { url } : {}), clients: 8, threads: 2, seconds: 30 }),
  },
  {
    name: 'sysbench',
    label: 'sysbench oltp_read_write --threads=8 on MariaDB, general log switched on mid-run',
    needs: 'sysbench',
    capture: (output) => captureSysbench({ output, threads: 8, seconds: 20, logAfterSeconds: 1.5 }),
  },
  {
    // 40 s rather than 20: this machine opens ~50 connections a second (a new backend each), so
    // 20 s gave ~1,000 sessions and a noisy concurrency curve.
    name: 'tpcb-C',
    label: 'pgbench -C -c 6 -T 40 on PostgreSQL (a new connection for every transaction)',
    needs: 'pgbench',
    capture: (output, url) =>
      capturePgbench({ output, ...(url !== undefined ? { url } : {}), clients: 6, threads: 2, seconds: 40, connectPerTransaction: true }),
  },
];

export function fidelityCapture(name: FidelityCapture['name']): FidelityCapture {
  return FIDELITY_CAPTURES.find((c) => c.name === name)!;
}
